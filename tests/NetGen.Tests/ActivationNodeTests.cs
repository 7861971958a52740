using System;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// [Activation] nodes: gradients against finite differences on every planner path (ActivationNetworks.cs), training
/// through a BatchNorm, and the same numbers as the activation given to the Dense layer before it.
/// </summary>
public class ActivationNodeTests
{
    /// <summary>
    /// The chain of every planner path, and the block after a BatchNorm (there the finite differences are of the training
    /// loss: Backward normalises with the batch's statistics, and GradientCheck differentiates what Backward computes).
    /// </summary>
    [Theory]
    [InlineData("chain", 1)]
    [InlineData("chain", 3)]
    [InlineData("chain", 8)]
    [InlineData("after-batch-norm", 2)]
    [InlineData("after-batch-norm", 3)]
    [InlineData("after-batch-norm", 13)]
    public void Backward_MatchesFiniteDifferences(string name, int batch)
    {
        INetwork network = name == "chain"
            ? TestData.Network(b => new ActivationChain(b), batch, (ulong)batch, std: 0.5)
            : TestData.Network(b => new BatchNormActivation(b), batch, (ulong)batch, std: 0.3);
        float[] inputs = TestData.Normal(batch * network.InputSize, (ulong)batch + 100);
        float[] targets = TestData.Normal(batch * network.OutputSize, (ulong)batch + 200);

        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, batch);

        Assert.Equal(network.ParameterCount + inputs.Length, result.Checked);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void NodesOfTheirOwn_ComputeWhatTheDenseLayersActivationsCompute()
    {
        const int Batch = 5;
        var fused = new FusedSoftmax(Batch);
        var split = new SplitSoftmax(Batch);
        Assert.Equal(FusedSoftmax.ParameterCount, SplitSoftmax.ParameterCount);
        TestData.Normal(FusedSoftmax.ParameterCount, 7, 0.5).AsSpan().CopyTo(fused.Parameters);
        fused.Parameters.CopyTo(split.Parameters);
        float[] inputs = TestData.Normal(Batch * FusedSoftmax.InputSize, 8);
        int[] labels = [3, 0, 2, 1, 3];

        var fusedOutputs = new float[Batch * FusedSoftmax.OutputSize];
        var splitOutputs = new float[fusedOutputs.Length];
        fused.Forward(inputs, fusedOutputs, Batch);
        split.Forward(inputs, splitOutputs, Batch);
        Assert.Equal(fusedOutputs, splitOutputs);

        var fusedInputGradients = new float[inputs.Length];
        var splitInputGradients = new float[inputs.Length];
        float fusedLoss = fused.BackwardOnLabels(inputs, labels, Batch, fusedInputGradients);
        float splitLoss = split.BackwardOnLabels(inputs, labels, Batch, splitInputGradients);
        Assert.Equal(fusedLoss, splitLoss);
        // The tanh′ runs in the Dense's input-gradient kernel for the one and in the node's own step for the other: the
        // same products, so the same floats up to the order of one multiplication.
        AssertClose(fused.Gradients.ToArray(), split.Gradients.ToArray());
        AssertClose(fusedInputGradients, splitInputGradients);
        Assert.Equal(Activation.Softmax, SplitSoftmax.Graph.Output.Activation);
        Assert.Equal(GraphNodeKind.Activation, SplitSoftmax.Graph.Output.Kind);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float largest = expected.Max(System.Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(System.Math.Abs(expected[i] - actual[i]) <= 1e-6f * System.Math.Max(1f, largest), $"[{i}]: {expected[i]} against {actual[i]}");
    }
}
