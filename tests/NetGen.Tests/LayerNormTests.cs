using System;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>Layer normalisation against nn.LayerNorm's definition, and its parameters as PyTorch starts them.</summary>
public class LayerNormTests
{
    [Fact]
    public void Forward_MatchesTheDefinition_OverAllOfASamplesValues()
    {
        const int batch = 4;
        var network = TestData.Network(b => new ConvLayerNorm(b), batch, 3, std: 0.3);
        float[] inputs = TestData.Normal(batch * ConvLayerNorm.InputSize, 4);
        var outputs = new float[batch * 2];
        network.Forward(inputs, outputs, batch);

        float[] gamma = network.NWeights.ToArray(), beta = network.NBias.ToArray();
        for (int n = 0; n < batch; n++)
        {
            double[] c = network.C[n].ToArray().Select(v => (double)v).ToArray();
            double mean = c.Average(), variance = c.Select(v => (v - mean) * (v - mean)).Average();
            float[] normalized = network.N[n].ToArray();
            for (int i = 0; i < c.Length; i++)
            {
                double expected = (c[i] - mean) / Math.Sqrt(variance + 1e-5) * gamma[i] + beta[i];
                Assert.True(Math.Abs(expected - normalized[i]) < 1e-5, $"sample {n}, value {i}: {normalized[i]} vs {expected}");
            }
        }
    }

    [Fact]
    public void LargeMean_LosesNothingToCancellation()
    {
        // Values of 1e4 ± 1: a one-pass float variance would be mostly rounding error.
        var network = new LayerNormChain();
        Initializers.XavierNormal(network, 1);
        float[] x = [10000f, 10001f, 9999f, 10000.5f, 9999.5f];
        var output = new float[3];
        network.Forward(x, output);
        float[] n0 = network.N0[0].ToArray();
        double mean = x.Average(v => (double)v), sd = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average() + 1e-5);
        for (int i = 0; i < 5; i++)
            Assert.True(Math.Abs((x[i] - mean) / sd - n0[i]) < 1e-5, $"{n0[i]} vs {(x[i] - mean) / sd}");
    }

    [Fact]
    public void Initializers_StartGammaAtOneAndBetaAtZero_AsPyTorch()
    {
        var network = new LayerNormChain();
        foreach (Action<INetwork> initialise in new Action<INetwork>[]
        {
            n => Initializers.XavierNormal(n, 1), n => Initializers.HeUniform(n, 2, bias: 0.1f), n => Initializers.PyTorchLinearDefault(n, 3),
            n => Initializers.NormalWeightsConstantBias(n, 4),
        })
        {
            initialise(network);
            Assert.All(network.N0Weights.ToArray(), v => Assert.Equal(1f, v));
            Assert.All(network.N1Bias.ToArray(), v => Assert.Equal(0f, v));
            Assert.Contains(network.HWeights.ToArray(), v => v != 0f && v != 1f);
        }
        Assert.Equal(
            ["N0.weight [5]", "N0.bias [5]", "H.weight [12, 5]", "H.bias [12]", "N1.weight [12]", "N1.bias [12]", "Y.weight [3, 12]", "Y.bias [3]"],
            network.ParameterTensors.Select(t => $"{t.Name} {t.Shape}"));
        Assert.Equal([ParameterKind.Scale, ParameterKind.Shift], network.ParameterTensors.Take(2).Select(t => t.Kind));
    }
}
