using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NetGen.Kernels;
using Xunit;
using static NetGen.Tests.Kernels.BatchNormKernelTests;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Batch normalisation over a batch cut into chunks, each chunk on a thread of its own, meeting to combine their shares
/// (<see cref="ChunkedBatchStatistics"/>): the statistics, outputs and gradients are the whole batch's (against the
/// double-precision reference of <see cref="BatchNormKernelTests"/>), the running statistics move once per batch, and
/// the result is bitwise the same whichever chunk arrives last and however many of them compute at once.
/// </summary>
public class BatchNormChunkTests
{
    private const float Momentum = 0.3f, Epsilon = 1e-3f;

    public static IEnumerable<object[]> Cases()
    {
        foreach (int width in new[] { 16, 8, 4, 1 })
            foreach (bool meanLoss in new[] { true, false })
            {
                // A vector node (S = 1) in chunks of 4, 4, 3 and of 5, 5, 1 (a chunk of one sample: one value per channel).
                foreach (int channels in new[] { 5, 17 })
                    foreach (int chunkSize in new[] { 4, 5 })
                        yield return [width, channels, 1, 11, chunkSize, meanLoss];
                // A shaped node in chunks of 2, 2, 1.
                foreach (int spatial in new[] { 9, 17 })
                    if (spatial >= width || width == 1)
                        yield return [width, 3, spatial, 5, 2, meanLoss];
            }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chunks_OnThreadsOfTheirOwn_GiveTheWholeBatchs_AndTheSameBits_InAnyOrder(int width, int channels, int spatial, int batch, int chunkSize, bool meanLoss)
    {
        Outcome first = Run(width, channels, spatial, batch, chunkSize, meanLoss, permits: 0, reverse: false);
        string where = $"{width} lanes, C = {channels}, S = {spatial}, batch {batch} in chunks of {chunkSize}, {(meanLoss ? "mean" : "sum")}";
        Inputs inputs = Inputs.Of(channels, spatial, batch);
        Reference reference = Reference.Of(inputs.X, inputs.Scale, inputs.Delta, channels, spatial, batch);
        Assert.Equal(5, first.Tracked);   // once for the batch, not once per chunk
        double n = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            Close(0.7 * inputs.RunningMean[c] + 0.3 * reference.Mean[c], first.RunningMean[c], $"{where}: running mean {c}");
            Close(0.7 * inputs.RunningVariance[c] + 0.3 * reference.Variance[c] * n / (n - 1), first.RunningVariance[c], $"{where}: running variance {c}");
            Close(reference.ScaleGradient[c], first.ScaleGradient[c], $"{where}: ∂L/∂γ {c}");
            Close(reference.ShiftGradient[c], first.ShiftGradient[c], $"{where}: ∂L/∂β {c}");
        }
        for (int i = 0; i < inputs.X.Length; i++)
        {
            int c = i / spatial % channels;
            Close(inputs.Scale[c] * reference.Normalized[i] + inputs.Shift[c], first.Y[i], $"{where}: y[{i}]");
            Assert.True(Math.Abs(inputs.InputGradients[i] + reference.InputGradient[i] - first.InputGradients[i]) <= 2e-5 * (1 + Math.Abs(inputs.InputGradients[i]) + reference.InputGradientTerms[i]),
                $"{where}: δx[{i}]: {first.InputGradients[i]} vs {inputs.InputGradients[i] + reference.InputGradient[i]}");
        }

        // The last chunk to arrive combines: another order of arrival, and one thread computing at a time, change no bit.
        first.AssertBitwiseEqual(Run(width, channels, spatial, batch, chunkSize, meanLoss, permits: 0, reverse: true), $"{where}, chunks started in reverse");
        first.AssertBitwiseEqual(Run(width, channels, spatial, batch, chunkSize, meanLoss, permits: 1, reverse: true), $"{where}, one permit");
    }

    /// <summary>The chunks of a normalisation that is its source's only reader write δx and apply the source's derivative (ReLU's).</summary>
    [Theory]
    [InlineData(16, 17, 1, 11, 5)]
    [InlineData(8, 3, 9, 5, 2)]
    [InlineData(1, 5, 1, 11, 4)]
    public void Chunks_WritingTheInputGradients_ApplyTheSourcesDerivative(int width, int channels, int spatial, int batch, int chunkSize)
    {
        Outcome outcome = Run(width, channels, spatial, batch, chunkSize, meanLoss: true, permits: 0, reverse: false, write: true);
        Inputs inputs = Inputs.Of(channels, spatial, batch);
        Reference reference = Reference.Of(inputs.X, inputs.Scale, inputs.Delta, channels, spatial, batch);
        for (int i = 0; i < inputs.X.Length; i++)
        {
            double expected = inputs.Source[i] > 0 ? reference.InputGradient[i] : 0;
            Assert.True(Math.Abs(expected - outcome.InputGradients[i]) <= 2e-5 * (1 + reference.InputGradientTerms[i]),
                $"f′ ⊙ δx[{i}]: {outcome.InputGradients[i]} vs {expected}");
        }
    }

    [Fact]
    public void AnAbandonedMeeting_ReleasesTheWaitingChunk_AndLeavesTheRunningStatisticsAlone()
    {
        const int channels = 2, batch = 4;
        var statistics = new ChunkedBatchStatistics(2, null);
        statistics.BeginBatch(batch, 2, 2, meanLoss: true);
        float[] x = TestData.Normal(2 * channels, 1), y = new float[2 * channels], moments = new float[BatchNorm.MomentsLength(channels)];
        float[] mean = [0f, 0f], variance = [1f, 1f];
        long[] tracked = [0];
        Exception? caught = null;
        var chunk = new Thread(() =>
        {
            try
            {
                BatchNorm.ChunkTrainingForward(statistics, 0, y, moments, mean, variance, ref tracked[0], x, [1f, 1f], [0f, 0f], channels, 1, 0.1f, 1e-5f, 2);
            }
            catch (Exception exception)
            {
                caught = exception;
            }
        });
        chunk.Start();
        Thread.Sleep(50);   // chunk 0 waits for chunk 1, which fails instead of arriving
        var failure = new InvalidOperationException("chunk 1 failed");
        statistics.Abandon(failure);
        Assert.True(chunk.Join(TimeSpan.FromSeconds(10)), "the waiting chunk was not released");
        Assert.IsType<ChunkAbandonedException>(caught);
        Assert.Same(failure, statistics.Failure);
        Assert.Equal(0L, tracked[0]);
        Assert.Equal([0f, 0f], mean);
        Assert.Equal([1f, 1f], variance);
        // A chunk that arrives after the failure does not wait either; the next batch starts afresh.
        Assert.Throws<ChunkAbandonedException>(() => statistics.Arrive(1, moments));
        statistics.BeginBatch(batch, 2, 2, meanLoss: true);
        Assert.Null(statistics.Failure);
    }

    [Fact]
    public void AChunkThatIsNotTheBatchs_IsRefused()
    {
        var statistics = new ChunkedBatchStatistics(3, null);
        statistics.BeginBatch(10, 4, 3, meanLoss: true);   // chunks of 4, 4, 2
        float[] x = new float[3], y = new float[3], moments = new float[BatchNorm.MomentsLength(1)];
        long tracked = 0;
        var error = Assert.Throws<ArgumentException>(() =>
            BatchNorm.ChunkTrainingForward(statistics, 2, y, moments, new float[1], [1f], ref tracked, x, [1f], [0f], 1, 1, 0.1f, 1e-5f, 3));
        Assert.Equal("chunk", error.ParamName);
        Assert.Contains("Chunk 2 of 3 samples is not one of the 3 chunks of the batch of 10", error.Message);
    }

    /// <summary>The whole batch's data, the same for every run of a case.</summary>
    private sealed record Inputs(float[] X, float[] Scale, float[] Shift, float[] Delta, float[] RunningMean, float[] RunningVariance, float[] InputGradients, float[] Source)
    {
        public static Inputs Of(int channels, int spatial, int batch)
        {
            int size = batch * channels * spatial;
            float[] x = TestData.Normal(size, (ulong)(size + channels), std: 2);
            for (int i = 0; i < size; i++)
                x[i] += 3f;
            float[] variance = new float[channels];
            for (int c = 0; c < channels; c++)
                variance[c] = 0.5f + c;
            return new Inputs(x, TestData.Normal(channels, 7), TestData.Normal(channels, 8), TestData.Normal(size, 9), TestData.Normal(channels, 10), variance,
                TestData.Normal(size, 11), TestData.Normal(size, 12));
        }
    }

    /// <summary>What a run leaves: y, δx and the γ and β gradients of the whole batch (the chunks' put back together), and the state.</summary>
    private sealed record Outcome(float[] Y, float[] InputGradients, float[] ScaleGradient, float[] ShiftGradient, float[] RunningMean, float[] RunningVariance, long Tracked)
    {
        public void AssertBitwiseEqual(Outcome other, string what)
        {
            foreach ((float[] a, float[] b, string name) in new[] { (Y, other.Y, "y"), (InputGradients, other.InputGradients, "δx"), (ScaleGradient, other.ScaleGradient, "∂L/∂γ"),
                (ShiftGradient, other.ShiftGradient, "∂L/∂β"), (RunningMean, other.RunningMean, "running mean"), (RunningVariance, other.RunningVariance, "running variance") })
                Assert.True(a.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Select(BitConverter.SingleToInt32Bits)), $"{what}: {name} differs");
            Assert.Equal(Tracked, other.Tracked);
        }
    }

    /// <summary>
    /// The training pass and its backward step, chunk k on thread k with its own buffers, δy scaled as its own loss would
    /// (÷ its share of a mean loss); then δx and the γ and β gradients scaled back and added in chunk order as the
    /// reduction of the chunks' gradients does. <paramref name="permits"/> &gt; 0 lets only that many compute at once.
    /// </summary>
    private static Outcome Run(int width, int channels, int spatial, int batch, int chunkSize, bool meanLoss, int permits, bool reverse, bool write = false)
    {
        Inputs inputs = Inputs.Of(channels, spatial, batch);
        int chunks = (batch + chunkSize - 1) / chunkSize, perSample = channels * spatial;
        using var gate = permits > 0 ? new SemaphoreSlim(permits, permits) : null;
        var statistics = new ChunkedBatchStatistics(chunks, gate);
        statistics.BeginBatch(batch, chunkSize, chunks, meanLoss);
        float[] runningMean = (float[])inputs.RunningMean.Clone(), runningVariance = (float[])inputs.RunningVariance.Clone();
        long[] tracked = [4];
        var y = new float[chunks][];
        var dx = new float[chunks][];
        var dScale = new float[chunks][];
        var dShift = new float[chunks][];
        var failures = new Exception?[chunks];
        var threads = new Thread[chunks];
        for (int k = 0; k < chunks; k++)
        {
            int chunk = k, first = k * chunkSize, samples = Math.Min(chunkSize, batch - first);
            double weight = meanLoss ? (double)samples / batch : 1;
            float[] x = inputs.X.AsSpan(first * perSample, samples * perSample).ToArray();
            float[] source = inputs.Source.AsSpan(first * perSample, samples * perSample).ToArray();
            float[] delta = inputs.Delta.AsSpan(first * perSample, samples * perSample).ToArray().Select(d => (float)(d / weight)).ToArray();
            y[k] = new float[samples * perSample];
            dx[k] = inputs.InputGradients.AsSpan(first * perSample, samples * perSample).ToArray().Select(d => (float)(d / weight)).ToArray();
            dScale[k] = new float[channels];
            dShift[k] = new float[channels];
            float[] moments = new float[BatchNorm.MomentsLength(channels)];
            threads[k] = new Thread(() =>
            {
                gate?.Wait();
                try
                {
                    BatchNorm.ChunkTrainingForward(width, statistics, chunk, y[chunk], moments, runningMean, runningVariance, ref tracked[0], x, inputs.Scale, inputs.Shift,
                        channels, spatial, Momentum, Epsilon, samples);
                    if (write)
                        BatchNorm.ChunkBackward<ReluDerivativeOperator>(width, statistics, chunk, dScale[chunk], dShift[chunk], dx[chunk], moments, delta, x, source,
                            accumulate: false, channels, spatial, samples);
                    else
                        BatchNorm.ChunkBackward(width, statistics, chunk, dScale[chunk], dShift[chunk], dx[chunk], moments, delta, x, channels, spatial, samples);
                }
                catch (Exception exception)
                {
                    failures[chunk] = exception;
                    statistics.Abandon(exception);
                }
                finally
                {
                    gate?.Release();
                }
            });
        }
        foreach (int k in reverse ? Enumerable.Range(0, chunks).Reverse() : Enumerable.Range(0, chunks))
        {
            threads[k].Start();
            if (reverse)
                Thread.Sleep(2);   // the first chunk arrives last
        }
        foreach (Thread thread in threads)
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "a chunk did not finish");
        Assert.All(failures, failure => Assert.Null(failure));

        // Put the chunks back together: δx scaled back to the batch's loss, the gradients weighted and added in chunk order.
        var whole = new Outcome(new float[batch * perSample], new float[batch * perSample], new float[channels], new float[channels], runningMean, runningVariance, tracked[0]);
        for (int k = 0; k < chunks; k++)
        {
            int first = k * chunkSize, samples = Math.Min(chunkSize, batch - first);
            float weight = meanLoss ? (float)samples / batch : 1f;
            y[k].CopyTo(whole.Y, first * perSample);
            for (int i = 0; i < dx[k].Length; i++)
                whole.InputGradients[first * perSample + i] = dx[k][i] * weight;
            for (int c = 0; c < channels; c++)
            {
                whole.ScaleGradient[c] += weight * dScale[k][c];
                whole.ShiftGradient[c] += weight * dShift[k][c];
            }
        }
        return whole;
    }
}
