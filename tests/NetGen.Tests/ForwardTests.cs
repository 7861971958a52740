using System;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Tests;

public class ForwardTests
{
    [Fact]
    public void BatchedForward_EqualsSingleSampleForward()
    {
        const int batch = 7;
        var network = TestData.Network(b => new WideChain(b), batch, 11, std: 0.3);
        float[] inputs = TestData.Normal(batch * WideChain.InputSize, 12);
        var batched = new float[batch * WideChain.OutputSize];
        network.Forward(inputs, batched, batch);

        var single = new float[WideChain.OutputSize];
        for (int n = 0; n < batch; n++)
        {
            network.Forward(inputs.AsSpan(n * WideChain.InputSize, WideChain.InputSize), single);
            // A batch of 7 runs the register-blocked product and one sample the dot products over W's rows: the same
            // sums in another order, so equal to float rounding, not bit for bit.
            for (int o = 0; o < WideChain.OutputSize; o++)
                Assert.Equal(batched[n * WideChain.OutputSize + o], single[o], 1e-5f);
        }
    }

    [Fact]
    public void NodeProperties_ShowTheLatestActivations()
    {
        var network = TestData.Network(b => new SigmoidChain(b), 2, 3);
        float[] inputs = [0.5f, -1f, 2f, 1f, 0f, -0.5f];
        var outputs = new float[4];
        network.Forward(inputs, outputs, 2);

        Assert.Equal(2, network.H.BatchSize);
        Assert.Equal(5, network.H.Size);
        Assert.Equal(inputs, network.X.Values.ToArray());
        Assert.Equal(outputs, network.Y.Values.ToArray());
        // H = σ(W·X + b) for the second sample, by hand.
        for (int o = 0; o < 5; o++)
        {
            double z = network.HBias[o];
            for (int i = 0; i < 3; i++)
                z += network.HWeights[o * 3 + i] * inputs[3 + i];
            Assert.Equal(1 / (1 + Math.Exp(-z)), network.H[1, o], 5);
        }
    }

    [Fact]
    public void SeedMlp_HasTheParameterCountOfProblemB()
    {
        Assert.Equal(4353, Samples.ThreeLayerMlp.ThreeLayerMlp.ParameterCount);
        Assert.Equal(4353, new Samples.ThreeLayerMlp.ThreeLayerMlp().Parameters.Length);
        Assert.Equal((1 * 64 + 64) + (64 * 64 + 64) + (64 * 1 + 1), Samples.ThreeLayerMlp.ThreeLayerMlp.ParameterCount);
    }

    [Fact]
    public void ParameterTensors_DescribeThePyTorchLayout()
    {
        var network = new Samples.ThreeLayerMlp.ThreeLayerMlp();
        Assert.Equal(
            ["Hidden1.weight", "Hidden1.bias", "Hidden2.weight", "Hidden2.bias", "Output.weight", "Output.bias"],
            network.ParameterTensors.Select(t => t.Name));
        Assert.Equal(new ParameterTensor("Hidden2.weight", "Hidden2", ParameterKind.Weight, 128, new TensorShape(64, 64)), network.ParameterTensors[2]);
        network.Parameters[128 + 64 * 3 + 5] = 42f; // W2[3, 5]
        Assert.Equal(42f, network.Hidden2Weights[3 * 64 + 5]);
    }

    [Fact]
    public void WrongSizes_ThrowClearErrors()
    {
        var network = new SigmoidChain(maxBatchSize: 2);
        var outputs = new float[4];
        var tooBig = Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(new float[9], new float[6], 3));
        Assert.Contains("between 1 and 2", tooBig.Message);
        var shortInput = Assert.Throws<ArgumentException>(() => network.Forward(new float[5], outputs, 2));
        Assert.Contains("'inputs' holds 5 values, but a batch of 2 needs 2 × 3 = 6", shortInput.Message);
        var badTargets = Assert.Throws<ArgumentException>(() => network.Backward(new float[6], new float[3], 2));
        Assert.Contains("'targets' holds 3 values", badTargets.Message);
        var badGradients = Assert.Throws<ArgumentException>(() => network.Backward(new float[6], new float[4], 2, new float[5]));
        Assert.Contains("'inputGradients' holds 5 values", badGradients.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidChain(0));
    }

    /// <summary>The buffers hold maxBatchSize × (activations per sample) floats: beyond an array's length is an argument error, not an OverflowException.</summary>
    [Fact]
    public void MaxBatchSize_BeyondWhatAnArrayHolds_IsAClearError()
    {
        var huge = Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidChain(int.MaxValue));
        Assert.Equal("maxBatchSize", huge.ParamName);
        var match = System.Text.RegularExpressions.Regex.Match(huge.Message,
            @"^This network keeps (\d+) activations per sample, so a batch of 2147483647 needs more floats than an array holds \(2147483591\): the largest maxBatchSize is (\d+) ");
        Assert.True(match.Success, huge.Message);
        int perSample = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int limit = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Array.MaxLength / perSample, limit);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidChain(limit + 1));
        Assert.Equal(limit, NetworkArguments.CheckMaxBatchSize(limit, perSample)); // the limit itself passes (not allocated here)
        Assert.Equal(Array.MaxLength, NetworkArguments.CheckMaxBatchSize(Array.MaxLength, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkArguments.CheckMaxBatchSize(Array.MaxLength + 1, 1));
    }
}
