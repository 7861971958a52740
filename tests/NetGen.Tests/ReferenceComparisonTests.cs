using System;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>Generated loss and gradients against <see cref="ReferenceMlp"/>, an independent double-precision implementation.</summary>
public class ReferenceComparisonTests
{
    private static readonly Func<double, double> Identity = z => z, One = _ => 1;

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void WideChain_AgreesWithReference(ulong seed)
    {
        const int batch = 5;
        var network = TestData.Network(b => new WideChain(b), batch, seed, std: 0.3);
        var reference = new ReferenceMlp(
            [19, 33, 17, 5],
            [ReferenceMlp.Sigmoid, Math.Tanh, Identity],
            [y => y * (1 - y), y => 1 - y * y, One],
            [true, true, true]);
        AssertAgrees(network, reference, batch, seed);
    }

    [Fact]
    public void ReluChain_AgreesWithReference()
    {
        const int batch = 4;
        var network = TestData.Network(b => new ReluChain(b), batch, 5);
        var reference = new ReferenceMlp([4, 7, 2], [z => Math.Max(z, 0), Identity], [y => y > 0 ? 1 : 0, One], [true, true]);
        AssertAgrees(network, reference, batch, 5);
    }

    [Fact]
    public void NoBiasChain_AgreesWithReference()
    {
        const int batch = 3;
        var network = TestData.Network(b => new NoBiasChain(b), batch, 6);
        var reference = new ReferenceMlp([3, 4, 1], [ReferenceMlp.Sigmoid, Identity], [y => y * (1 - y), One], [false, false]);
        AssertAgrees(network, reference, batch, 6);
    }

    private static void AssertAgrees(INetwork network, ReferenceMlp reference, int batch, ulong seed)
    {
        float[] inputs = TestData.Normal(batch * network.InputSize, seed + 10);
        float[] targets = TestData.Normal(batch * network.OutputSize, seed + 20);
        var inputGradients = new float[inputs.Length];

        float loss = network.Backward(inputs, targets, batch, inputGradients);
        var expected = reference.Backward(network.Parameters.ToArray(), inputs, targets, batch);

        Assert.Equal(expected.Loss, loss, 1e-5 * Math.Max(1, expected.Loss));
        for (int i = 0; i < network.ParameterCount; i++)
            Assert.True(Math.Abs(network.Gradients[i] - expected.Gradients[i]) <= 1e-5 + 1e-4 * Math.Abs(expected.Gradients[i]),
                $"parameter {i}: generated {network.Gradients[i]}, reference {expected.Gradients[i]}");
        for (int i = 0; i < inputs.Length; i++)
            Assert.True(Math.Abs(inputGradients[i] - expected.InputGradients[i]) <= 1e-5 + 1e-4 * Math.Abs(expected.InputGradients[i]),
                $"input {i}: generated {inputGradients[i]}, reference {expected.InputGradients[i]}");
    }
}
