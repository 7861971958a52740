using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The batch normalisation kernels at each vector width on their own (the 512-bit type runs in software where it is
/// not accelerated), against a plain double-precision reference written from PyTorch's definition: across the
/// channels of a vector node (channel counts on both sides of every width, the last ones one at a time) and along the
/// values of a shaped node's channel (lengths on both sides of every width, the last vector overlapping).
/// </summary>
public class BatchNormKernelTests
{
    private const float Momentum = 0.3f, Epsilon = 1e-3f;

    public static IEnumerable<object[]> Cases()
    {
        foreach (int width in new[] { 16, 8, 4, 1 })
        {
            // A vector node: S = 1, the passes run across the channels.
            foreach (int channels in new[] { 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33 })
                foreach (int batch in new[] { 2, 3, 13 })
                    yield return [width, channels, 1, batch];
            // A shaped node: the passes run along each channel's S values (S ≥ the width, as the dispatch picks it).
            foreach (int spatial in new[] { 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63 })
                if (spatial >= width || width == 1)
                    foreach (int channels in new[] { 1, 3 })
                        yield return [width, channels, spatial, channels == 1 ? 1 : 3];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachWidth_MatchesTheReference_InTrainingEvaluationAndBackward(int width, int channels, int spatial, int batch)
    {
        int size = batch * channels * spatial;
        float[] x = TestData.Normal(size, (ulong)(size + width), std: 2);
        for (int i = 0; i < size; i++)
            x[i] += 3f; // a mean away from 0, so that the centring is tested
        float[] scale = TestData.Normal(channels, 7), shift = TestData.Normal(channels, 8), delta = TestData.Normal(size, 9);
        float[] runningMean = TestData.Normal(channels, 10), runningVariance = new float[channels];
        for (int c = 0; c < channels; c++)
            runningVariance[c] = 0.5f + c;
        float[] moments = new float[BatchNorm.MomentsLength(channels)];
        float[] y = new float[size], dScale = new float[channels], dShift = new float[channels];
        float[] dx = TestData.Normal(size, 11), dxBefore = (float[])dx.Clone();
        float[] meanBefore = (float[])runningMean.Clone(), varianceBefore = (float[])runningVariance.Clone();
        long tracked = 4;

        BatchNorm.TrainingForward(width, y, moments, runningMean, runningVariance, ref tracked, x, scale, shift, channels, spatial, Momentum, Epsilon, batch);
        BatchNorm.Backward(width, dScale, dShift, dx, moments, delta, x, channels, spatial, batch);

        Reference reference = Reference.Of(x, scale, delta, channels, spatial, batch);
        string where = $"{width} lanes, C = {channels}, S = {spatial}, batch {batch}";
        Assert.Equal(5, tracked);
        for (int c = 0; c < channels; c++)
        {
            double n = batch * spatial;
            Close(0.7 * meanBefore[c] + 0.3 * reference.Mean[c], runningMean[c], $"{where}: running mean {c}");
            Close(0.7 * varianceBefore[c] + 0.3 * reference.Variance[c] * n / (n - 1), runningVariance[c], $"{where}: running variance {c}");
            Close(reference.ScaleGradient[c], dScale[c], $"{where}: ∂L/∂γ {c}");
            Close(reference.ShiftGradient[c], dShift[c], $"{where}: ∂L/∂β {c}");
        }
        for (int i = 0; i < size; i++)
        {
            int c = i / spatial % channels;
            Close(scale[c] * reference.Normalized[i] + shift[c], y[i], $"{where}: training y[{i}]");
            // δx is a difference of terms that cancel (exactly, for a batch of 2): its rounding scales with the terms.
            Assert.True(Math.Abs(dxBefore[i] + reference.InputGradient[i] - dx[i]) <= 2e-5 * (1 + Math.Abs(dxBefore[i]) + reference.InputGradientTerms[i]),
                $"{where}: δx[{i}]: {dx[i]} vs {dxBefore[i] + reference.InputGradient[i]}");
        }

        BatchNorm.EvaluationForward(width, y, moments, x, scale, shift, runningMean, runningVariance, channels, spatial, Epsilon, batch);
        for (int i = 0; i < size; i++)
        {
            int c = i / spatial % channels;
            Close(scale[c] * (x[i] - (double)runningMean[c]) / Math.Sqrt(runningVariance[c] + (double)Epsilon) + shift[c], y[i], $"{where}: evaluation y[{i}]");
        }
    }

    /// <summary>
    /// The backward step of a normalisation that is its source's only reader writes δx over whatever the buffer held, and
    /// applies the source's derivative in the same pass (ReLU's here: δx where the source is positive, 0 elsewhere).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardWrite_OverwritesTheInputGradients_AndAppliesTheSourcesDerivative(int width, int channels, int spatial, int batch)
    {
        int size = batch * channels * spatial;
        float[] x = TestData.Normal(size, (ulong)(size + width), std: 2), scale = TestData.Normal(channels, 7), shift = TestData.Normal(channels, 8);
        float[] delta = TestData.Normal(size, 9), source = TestData.Normal(size, 12);
        float[] moments = new float[BatchNorm.MomentsLength(channels)], y = new float[size], dScale = new float[channels], dShift = new float[channels];
        float[] mean = new float[channels], variance = Enumerable.Repeat(1f, channels).ToArray();
        long tracked = 0;
        BatchNorm.TrainingForward(width, y, moments, mean, variance, ref tracked, x, scale, shift, channels, spatial, Momentum, Epsilon, batch);
        Reference reference = Reference.Of(x, scale, delta, channels, spatial, batch);
        string where = $"{width} lanes, C = {channels}, S = {spatial}, batch {batch}";

        float[] written = Enumerable.Repeat(float.NaN, size).ToArray();   // nothing of it may survive
        BatchNorm.Backward<IdentityDerivativeOperator>(width, dScale, dShift, written, moments, delta, x, default, accumulate: false, channels, spatial, batch);
        float[] masked = Enumerable.Repeat(float.NaN, size).ToArray();
        BatchNorm.Backward<ReluDerivativeOperator>(width, dScale, dShift, masked, moments, delta, x, source, accumulate: false, channels, spatial, batch);
        for (int i = 0; i < size; i++)
        {
            double tolerance = 2e-5 * (1 + reference.InputGradientTerms[i]);
            Assert.True(Math.Abs(reference.InputGradient[i] - written[i]) <= tolerance, $"{where}: δx[{i}]: {written[i]} vs {reference.InputGradient[i]}");
            double expected = source[i] > 0 ? reference.InputGradient[i] : 0;
            Assert.True(Math.Abs(expected - masked[i]) <= tolerance, $"{where}: f′ ⊙ δx[{i}]: {masked[i]} vs {expected}");
        }
        for (int c = 0; c < channels; c++)
            Close(reference.ScaleGradient[c], dScale[c], $"{where}: ∂L/∂γ {c}");
    }

    [Fact]
    public void ADerivative_OfInputGradientsAddedTo_IsRefused()
    {
        float[] x = [1f, 2f, 3f, 4f], moments = new float[BatchNorm.MomentsLength(2)];
        var error = Assert.Throws<ArgumentException>(() => BatchNorm.Backward<ReluDerivativeOperator>(1, new float[2], new float[2], new float[4], moments,
            x, x, x, accumulate: true, 2, 1, 2));
        Assert.Contains("written, not added to", error.Message);
        error = Assert.Throws<ArgumentException>(() => BatchNorm.BackwardWrite<ReluDerivativeOperator>(new float[2], new float[2], new float[4], moments,
            x, x, [1f], 2, 1, 2));
        Assert.Equal("derivativeSource", error.ParamName);
    }

    [Fact]
    public void Backward_WithoutInputGradients_WritesOnlyTheParameterGradients()
    {
        const int channels = 3, spatial = 9, batch = 2, size = channels * spatial * batch;
        float[] x = TestData.Normal(size, 1), delta = TestData.Normal(size, 2), scale = [1f, 2f, 3f], shift = new float[channels];
        float[] moments = new float[BatchNorm.MomentsLength(channels)], y = new float[size], dScale = new float[channels], dShift = new float[channels];
        float[] mean = new float[channels], variance = [1f, 1f, 1f];
        long tracked = 0;
        BatchNorm.TrainingForward(y, moments, mean, variance, ref tracked, x, scale, shift, channels, spatial, 0.1f, Epsilon, batch);
        BatchNorm.Backward(dScale, dShift, default, moments, delta, x, channels, spatial, batch);
        Reference reference = Reference.Of(x, scale, delta, channels, spatial, batch);
        for (int c = 0; c < channels; c++)
            Close(reference.ScaleGradient[c], dScale[c], $"∂L/∂γ {c}");
    }

    [Fact]
    public void TrainingOnOneValuePerChannel_Throws()
    {
        float[] x = [1f, 2f], y = new float[2], moments = new float[BatchNorm.MomentsLength(2)], mean = new float[2], variance = [1f, 1f];
        long tracked = 0;
        var error = Assert.Throws<ArgumentException>(() =>
            BatchNorm.TrainingForward(y, moments, mean, variance, ref tracked, x, [1f, 1f], [0f, 0f], 2, 1, 0.1f, 1e-5f, 1));
        Assert.Contains("more than 1 value per channel", error.Message);
        Assert.Equal(0, tracked);
        Assert.Equal([0f, 0f], mean);
    }

    internal static void Close(double expected, float actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 2e-5 + 2e-5 * Math.Abs(expected), $"{what}: {actual} vs {expected}");

    /// <summary>PyTorch's batch normalisation in training, in double, straight from its definition.</summary>
    internal sealed record Reference(double[] Mean, double[] Variance, double[] Normalized, double[] ScaleGradient, double[] ShiftGradient, double[] InputGradient, double[] InputGradientTerms)
    {
        public static Reference Of(float[] x, float[] scale, float[] delta, int channels, int spatial, int batch)
        {
            int size = x.Length;
            double n = batch * spatial;
            double[] mean = new double[channels], variance = new double[channels], normalized = new double[size];
            double[] dScale = new double[channels], dShift = new double[channels], dx = new double[size], terms = new double[size];
            for (int i = 0; i < size; i++)
                mean[i / spatial % channels] += x[i] / n;
            for (int i = 0; i < size; i++)
                variance[i / spatial % channels] += (x[i] - mean[i / spatial % channels]) * (x[i] - mean[i / spatial % channels]) / n;
            for (int i = 0; i < size; i++)
            {
                int c = i / spatial % channels;
                normalized[i] = (x[i] - mean[c]) / Math.Sqrt(variance[c] + Epsilon);
                dScale[c] += delta[i] * normalized[i];
                dShift[c] += delta[i];
            }
            for (int i = 0; i < size; i++)
            {
                int c = i / spatial % channels;
                double a = scale[c] / Math.Sqrt(variance[c] + Epsilon);
                dx[i] = a * (delta[i] - dShift[c] / n - normalized[i] * dScale[c] / n);
                terms[i] = Math.Abs(a) * (Math.Abs(delta[i]) + Math.Abs(dShift[c] / n) + Math.Abs(normalized[i] * dScale[c] / n));
            }
            return new Reference(mean, variance, normalized, dScale, dShift, dx, terms);
        }
    }
}
