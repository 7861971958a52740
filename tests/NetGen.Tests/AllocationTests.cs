using System;
using NetGen;
using Xunit;
using NetGen.Testing;

namespace NetGen.Tests;

/// <summary>Nothing on the inference and training paths allocates after construction.</summary>
public class AllocationTests
{
    [Fact]
    public void ForwardBackwardLossAndSgd_AllocateNothing()
    {
        const int batch = 128;
        var network = new Samples.ThreeLayerMlp.ThreeLayerMlp(batch);
        Initializers.NormalWeightsConstantBias(network, 1);
        float[] inputs = TestData.Normal(batch, 2);
        float[] targets = TestData.Normal(batch, 3);
        var outputs = new float[batch];
        var single = new float[1];
        var inputGradients = new float[batch];
        var sgd = new Sgd(0.01f);

        void Step()
        {
            network.Forward(inputs, outputs, batch);
            network.Forward(inputs.AsSpan(0, 1), single);
            network.ComputeLoss(inputs, targets, batch);
            network.Backward(inputs, targets, batch);
            network.Backward(inputs, targets, batch, inputGradients);
            sgd.Step(network);
        }

        Step(); // JIT and static initialisation happen here.
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 200; i++)
                Step();
        }));
    }

    [Fact]
    public void TrainerEpochs_AllocateNothing()
    {
        var network = new Samples.ThreeLayerMlp.ThreeLayerMlp(128);
        Initializers.NormalWeightsConstantBias(network, 1);
        var data = Samples.ThreeLayerMlp.Problem.MakeData(512, new SeededRandom(4));
        foreach (bool shuffle in new[] { false, true })
        {
            var trainer = new Trainer(network, new Sgd(0.01f), new TrainerOptions { BatchSize = 128, Shuffle = shuffle, ShuffleSeed = 5 });
            trainer.Train(data, 1);
            Assert.Equal(0, Allocations.OnThisThread(() => trainer.Train(data, 20)));
        }
    }

    [Theory]
    [InlineData("conv2d")]
    [InlineData("conv1d")]
    [InlineData("conv-residual")]
    [InlineData("pooled-image")]
    [InlineData("pooled-signal")]
    [InlineData("layer-norm")]
    [InlineData("conv-layer-norm")]
    [InlineData("batch-norm-vector")]
    [InlineData("batch-norm-signal")]
    [InlineData("batch-norm-image")]
    [InlineData("batch-norm-one-channel")]
    public void ConvolutionNetworks_AllocateNothing(string name)
    {
        const int batch = 16;
        INetwork network = GradientTests.Create(name, batch, 1);
        float[] inputs = TestData.Normal(batch * network.InputSize, 2);
        float[] targets = TestData.Normal(batch * network.OutputSize, 3);
        var outputs = new float[batch * network.OutputSize];
        var inputGradients = new float[batch * network.InputSize];
        var adam = new Adam(0.001f);

        void Step()
        {
            network.Forward(inputs, outputs, batch);
            network.Forward(inputs.AsSpan(0, network.InputSize), outputs.AsSpan(0, network.OutputSize), 1);
            network.Backward(inputs, targets, batch);
            network.Backward(inputs, targets, batch, inputGradients);
            adam.Step(network);
        }

        Step();
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 50; i++)
                Step();
        }));
    }
}
