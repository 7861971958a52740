using System;
using NetGen;
using Xunit;

namespace NetGen.Tests.Seeds;

/// <summary>Problem E: facts about activation functions, checked on the generated code.</summary>
public class ActivationFactTests
{
    private static void SetIdentity(Span<float> weights, int size)
    {
        weights.Clear();
        for (int i = 0; i < size; i++)
            weights[i * size + i] = 1f;
    }

    [Fact]
    public void A_ReluIsIdempotent()
    {
        const int batch = 50;
        var once = new ReluOnce(batch);
        var twice = new ReluTwice(batch);
        SetIdentity(once.YWeights, 7);
        SetIdentity(twice.R1Weights, 7);
        SetIdentity(twice.R2Weights, 7);
        float[] z = TestData.Normal(batch * 7, 21, std: 3);
        var relu = new float[z.Length];
        var reluRelu = new float[z.Length];

        once.Forward(z, relu, batch);
        twice.Forward(z, reluRelu, batch);

        Assert.Equal(relu, reluRelu);
        for (int i = 0; i < z.Length; i++)
            Assert.Equal(Math.Max(z[i], 0f), relu[i]);
        Assert.Contains(relu, v => v == 0f);
        Assert.Contains(relu, v => v > 0f);
    }

    [Fact]
    public void B_SoftplusHasDerivativeSigmoid_AndStaysFiniteForLargeInputs()
    {
        // Y = tanh(0·x) + σ(0·x) + softplus(1·x): with L = (Y − t)², ∂L/∂b_softplus = 2(Y − t)·softplus′(x), so the
        // network's own softplus′(x) is that gradient over 2Y (t = 0; Y ≥ 0.5).
        var network = new OneUnit();
        network.SoftplusWeights[0] = 1f;
        double Derivative(float x)
        {
            network.Backward([x], [0f], 1);
            float y = network.Y[0, 0];
            Assert.True(float.IsFinite(y) && float.IsFinite(network.SoftplusBiasGradients[0]), $"not finite at x = {x}");
            double softplus = Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs((double)x)));
            Assert.Equal(softplus + 0.5, y, 1e-6 * Math.Max(1, Math.Abs(y)));
            return network.SoftplusBiasGradients[0] / (2.0 * y);
        }

        foreach (float x in new[] { -1000f, -30f, -2f, -0.5f, 0f, 0.5f, 2f, 30f, 1000f })
            Assert.Equal(1 / (1 + Math.Exp(-(double)x)), Derivative(x), 1e-6);

        // softplus′ = σ is increasing, in (0, 1), and ¼-Lipschitz (σ′ = σ(1 − σ) ≤ ¼), as the network computes it.
        const float Step = 0.125f;
        double previous = Derivative(-12f);
        for (float x = -12f + Step; x <= 12f; x += Step)
        {
            double current = Derivative(x);
            Assert.InRange(current - previous, 0, 0.25 * Step + 1e-6);
            Assert.InRange(current, 0, 1);
            previous = current;
        }
    }

    [Fact]
    public void C_TanhIsTwoSigmoidOfTwoZMinusOne()
    {
        // Tanh node: tanh(x); Sigmoid node: σ(2x).
        var network = new OneUnit();
        network.TanhWeights[0] = 1f;
        network.SigmoidWeights[0] = 2f;
        for (float x = -10f; x <= 10f; x += 0.125f)
        {
            network.Forward([x], new float[1]);
            Assert.Equal(Math.Tanh(x), network.Tanh[0, 0], 1e-6);
            Assert.Equal(network.Tanh[0, 0], 2 * network.Sigmoid[0, 0] - 1, 1e-6);
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void C_SigmoidMlpAndTanhMlp_ComputeTheSameMap_UnderTheConversion(ulong seed)
    {
        const int batch = 32;
        var sigmoid = TestData.Network(b => new SigmoidMlp(b), batch, seed, std: 1);
        var tanh = new TanhMlp(batch);

        // C₁ = A₁/2, d₁ = b₁/2;  C₂ = A₂/4, d₂ = b₂/2 + A₂·𝟙/4;  C₃ = A₃/2, d₃ = b₃ + A₃·𝟙/2.
        Convert(sigmoid.Y1Weights, sigmoid.Y1Bias, tanh.Y1Weights, tanh.Y1Bias, weightFactor: 0.5f, biasFactor: 0.5f, onesFactor: 0f);
        Convert(sigmoid.Y2Weights, sigmoid.Y2Bias, tanh.Y2Weights, tanh.Y2Bias, weightFactor: 0.25f, biasFactor: 0.5f, onesFactor: 0.25f);
        Convert(sigmoid.Y3Weights, sigmoid.Y3Bias, tanh.Y3Weights, tanh.Y3Bias, weightFactor: 0.5f, biasFactor: 1f, onesFactor: 0.5f);

        float[] x = TestData.Normal(batch * 3, seed + 10, std: 2);
        var ySigmoid = new float[batch * 2];
        var yTanh = new float[batch * 2];
        sigmoid.Forward(x, ySigmoid, batch);
        tanh.Forward(x, yTanh, batch);

        for (int i = 0; i < ySigmoid.Length; i++)
            Assert.Equal(ySigmoid[i], yTanh[i], 1e-5 * Math.Max(1, Math.Abs(ySigmoid[i])));
        // Internally ȳᵢ = 2yᵢ − 1.
        for (int n = 0; n < batch; n++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(2 * sigmoid.Y2[n, j] - 1, tanh.Y2[n, j], 1e-5);
    }

    /// <summary>C = f_w·A, d = f_b·b + f_1·A·𝟙.</summary>
    private static void Convert(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, Span<float> d, float weightFactor, float biasFactor, float onesFactor)
    {
        int units = b.Length, inputs = a.Length / units;
        for (int o = 0; o < units; o++)
        {
            double rowSum = 0;
            for (int i = 0; i < inputs; i++)
            {
                c[o * inputs + i] = weightFactor * a[o * inputs + i];
                rowSum += a[o * inputs + i];
            }
            d[o] = (float)(biasFactor * b[o] + onesFactor * rowSum);
        }
    }
}
