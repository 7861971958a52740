using System;
using System.Collections.Generic;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Every initialiser against its formula: the sample mean and variance of each weight matrix of a wide network
/// (131 072 and 65 536 draws), within four standard errors of the sample variance.
/// </summary>
public class InitializerTests
{
    public static IEnumerable<object[]> Schemes() =>
    [
        ["XavierNormal"],
        ["LeCunNormal"],
        ["GlorotNormal"],
        ["GlorotUniform"],
        ["HeNormal"],
        ["HeUniform"],
        ["PyTorchLinearDefault"],
        ["NormalWeightsConstantBias"],
    ];

    private static (Action<INetwork, ulong> Initialize, Func<int, int, double> Variance, Func<int, int, double>? UniformBound) Scheme(string name) => name switch
    {
        "XavierNormal" => ((n, s) => Initializers.XavierNormal(n, s), (i, _) => 1.0 / i, null),
        "LeCunNormal" => ((n, s) => Initializers.LeCunNormal(n, s), (i, _) => 1.0 / i, null),
        "GlorotNormal" => ((n, s) => Initializers.GlorotNormal(n, s), (i, o) => 2.0 / (i + o), null),
        "GlorotUniform" => ((n, s) => Initializers.GlorotUniform(n, s), (i, o) => 2.0 / (i + o), (i, o) => Math.Sqrt(6.0 / (i + o))),
        "HeNormal" => ((n, s) => Initializers.HeNormal(n, s), (i, _) => 2.0 / i, null),
        "HeUniform" => ((n, s) => Initializers.HeUniform(n, s), (i, _) => 2.0 / i, (i, _) => Math.Sqrt(6.0 / i)),
        "PyTorchLinearDefault" => (Initializers.PyTorchLinearDefault, (i, _) => 1.0 / (3.0 * i), (i, _) => 1.0 / Math.Sqrt(i)),
        "NormalWeightsConstantBias" => ((n, s) => Initializers.NormalWeightsConstantBias(n, s), (_, _) => 1.0, null),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void WeightVariance_MatchesTheFormula(string name)
    {
        var (initialize, variance, uniformBound) = Scheme(name);
        var network = new WideNetwork();
        initialize(network, 42);

        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            if (tensor.Kind != ParameterKind.Weight)
                continue;
            ReadOnlySpan<float> values = network.Parameters.Slice(tensor.Offset, tensor.Length);
            double expected = variance(tensor.FanIn, tensor.FanOut);
            var (mean, sampleVariance) = Moments(values);

            // Standard error of the sample variance: √((μ₄ − σ⁴)/n), μ₄ = 3σ⁴ (normal) or 9σ⁴/5 (uniform).
            double kurtosis = uniformBound is null ? 3.0 : 1.8;
            double varianceError = expected * Math.Sqrt((kurtosis - 1) / values.Length);
            Assert.True(Math.Abs(sampleVariance - expected) < 4 * varianceError,
                $"{name} {tensor.Name}: sample variance {sampleVariance:G6}, formula {expected:G6} (fan_in {tensor.FanIn}, fan_out {tensor.FanOut})");
            Assert.True(Math.Abs(mean) < 4 * Math.Sqrt(expected / values.Length), $"{name} {tensor.Name}: mean {mean:G6}");

            if (uniformBound is not null)
            {
                double bound = uniformBound(tensor.FanIn, tensor.FanOut);
                AssertWithin(values, bound, $"{name} {tensor.Name}");
            }
        }
    }

    [Theory]
    [InlineData("XavierNormal")]
    [InlineData("GlorotNormal")]
    [InlineData("GlorotUniform")]
    [InlineData("HeNormal")]
    [InlineData("HeUniform")]
    public void Biases_AreZero(string name)
    {
        var network = new WideNetwork();
        network.Parameters.Fill(7f);
        Scheme(name).Initialize(network, 3);
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            if (tensor.Kind == ParameterKind.Bias)
                Assert.All(network.Parameters.Slice(tensor.Offset, tensor.Length).ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void SeedInitialisation_SetsBiasesToTheConstant()
    {
        var network = new WideNetwork();
        Initializers.NormalWeightsConstantBias(network, 1, weightStd: 1f, bias: 0.03f);
        Assert.Equal(0.03f, network.OutputBias[0]);
        Assert.Equal(0.03f, network.HiddenBias[511]);
    }

    [Fact]
    public void PyTorchLinearDefault_DrawsBiasesFromTheLayersFanIn()
    {
        var network = new WideNetwork();
        Initializers.PyTorchLinearDefault(network, 5);
        // The hidden layer has fan_in 256 (bound 1/16), the output layer 512 (bound 1/√512 ≈ 0.0442).
        AssertWithin(network.HiddenBias, 1.0 / 16, "Hidden.bias");
        AssertWithin(network.OutputBias, 1.0 / Math.Sqrt(512), "Output.bias");
        var (_, variance) = Moments(network.HiddenBias);
        Assert.InRange(variance, 0.7 / (3 * 256), 1.3 / (3 * 256));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void SameSeed_SameParameters_OtherSeed_Others(string name)
    {
        Action<INetwork, ulong> initialize = Scheme(name).Initialize;
        var a = new TinyNetwork();
        var b = new TinyNetwork();
        var c = new TinyNetwork();
        initialize(a, 11);
        initialize(b, 11);
        initialize(c, 12);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        Assert.NotEqual(a.HiddenWeights.ToArray(), c.HiddenWeights.ToArray());
    }

    [Fact]
    public void SeedInitialisation_KeepsItsExactDraws()
    {
        // The draws of the foundation's NormalWeightsConstantBias: N(0, 1) from SeededRandom(seed), tensor by tensor.
        var network = new TinyNetwork();
        Initializers.NormalWeightsConstantBias(network, 9, weightStd: 2f, bias: 0.5f);
        var expected = new float[6];
        new SeededRandom(9).FillNormal(expected, 0, 2);
        Assert.Equal(expected, network.HiddenWeights.ToArray());
        Assert.Equal([0.5f, 0.5f, 0.5f], network.HiddenBias.ToArray());
    }

    private static (double Mean, double Variance) Moments(ReadOnlySpan<float> values)
    {
        double mean = 0;
        foreach (float v in values)
            mean += v;
        mean /= values.Length;
        double sum = 0;
        foreach (float v in values)
            sum += (v - mean) * (v - mean);
        return (mean, sum / (values.Length - 1));
    }

    private static void AssertWithin(ReadOnlySpan<float> values, double bound, string what)
    {
        float max = 0;
        foreach (float v in values)
            max = Math.Max(max, Math.Abs(v));
        Assert.True(max <= bound, $"{what}: |w| reaches {max}, above the bound {bound}");
        // With thousands of draws, the largest comes close to the bound (it is a uniform, not a narrower law).
        Assert.True(max > 0.95 * bound, $"{what}: |w| only reaches {max} of the bound {bound}");
    }
}
