using System;
using NetGen;
using Xunit;

namespace NetGen.Tests.Seeds;

/// <summary>Problem C: ℓ^CE(f, y) = −log softmax(f)_y, its properties, its gradient, and its stability for large logits.</summary>
public class CrossEntropyTests
{
    private const int K = CrossEntropyOfLogits.InputSize;

    /// <summary>W = I, b = 0: the network's logits are its input f, so its loss is ℓ^CE(f, y).</summary>
    private static CrossEntropyOfLogits LogitsNetwork()
    {
        var network = new CrossEntropyOfLogits();
        for (int i = 0; i < K; i++)
            network.PWeights[i * K + i] = 1f;
        return network;
    }

    private static float Loss(CrossEntropyOfLogits network, float[] f, int y) => network.ComputeLossOnLabels(f, [y], 1);

    [Fact]
    public void A_IsPositiveAndFinite_ForFiniteLogits()
    {
        CrossEntropyOfLogits network = LogitsNetwork();
        var random = new SeededRandom(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var f = new float[K];
            random.FillUniform(f, -8, 8);
            int y = random.NextInt(K);
            double expected = Math.Log(Math.Exp(f[0]) + Math.Exp(f[1]) + Math.Exp(f[2])) - f[y];
            float loss = Loss(network, f, y);
            Assert.True(loss > 0 && float.IsFinite(loss), $"ℓ({string.Join(", ", f)}; {y}) = {loss}");
            Assert.Equal(expected, loss, 1e-6 * Math.Max(1, expected));
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(5f)]
    [InlineData(20f)]
    public void B_OfLambdaTimesTheRightUnitVector_IsLogOnePlusKMinusOneTimesExpMinusLambda(float lambda)
    {
        CrossEntropyOfLogits network = LogitsNetwork();
        for (int y = 0; y < K; y++)
        {
            var f = new float[K];
            f[y] = lambda;
            double expected = Math.Log(1 + (K - 1) * Math.Exp(-lambda));
            Assert.Equal(expected, Loss(network, f, y), 1e-6 * Math.Max(expected, 1e-3));
        }
    }

    [Fact]
    public void B_LambdaOf1000_GivesZero_AndTheWrongClassGivesLambda_NeverNaNOrInfinity()
    {
        CrossEntropyOfLogits network = LogitsNetwork();
        float[] f = [1000f, 0f, 0f];
        Assert.Equal(0f, Loss(network, f, 0)); // log(1 + 2e^{−1000}) rounds to exactly 0
        Assert.Equal(1000f, Loss(network, f, 1)); // log(e^{1000} + 2) − 0 = 1000 + log(1 + 2e^{−1000})
        Assert.Equal(2000f, Loss(network, [-1000f, 1000f, 0f], 0));

        // The gradient softmax(f) − e_y is finite as well: (0, 1, 0) − (1, 0, 0).
        var df = new float[K];
        network.Backward(f, [0f, 1f, 0f], 1, df);
        Assert.Equal([1f, -1f, 0f], df);
        network.Backward(f, [1f, 0f, 0f], 1, df);
        Assert.Equal([0f, 0f, 0f], df);
    }

    [Fact]
    public void Gradient_IsSoftmaxMinusTheUnitVector()
    {
        CrossEntropyOfLogits network = LogitsNetwork();
        float[] f = [0.3f, -1.2f, 2f];
        double sum = Math.Exp(0.3) + Math.Exp(-1.2) + Math.Exp(2);
        for (int y = 0; y < K; y++)
        {
            var df = new float[K];
            float[] target = new float[K];
            target[y] = 1f;
            network.Backward(f, target, 1, df);
            for (int j = 0; j < K; j++)
                Assert.Equal(Math.Exp(f[j]) / sum - (j == y ? 1 : 0), df[j], 6);
            // And the weight gradient of W = I is (softmax(f) − e_y)·fᵀ.
            for (int o = 0; o < K; o++)
                for (int i = 0; i < K; i++)
                    Assert.Equal(df[o] * f[i], network.PWeightGradients[o * K + i], 6);
        }
    }

    [Theory]
    [InlineData(1000f, 0f, 1000f, 1f)]
    [InlineData(-1000f, 1f, 1000f, -1f)]
    [InlineData(1000f, 1f, 0f, 0f)]
    [InlineData(-1000f, 0f, 0f, 0f)]
    [InlineData(0f, 1f, 0.6931472f, -0.5f)]
    public void BinaryCrossEntropy_FromTheLogit_IsFiniteForLargeLogits(float z, float t, float loss, float gradient)
    {
        var network = new BinaryCrossEntropyOfLogit();
        network.YWeights[0] = 1f;
        var dz = new float[1];
        Assert.Equal(loss, network.Backward([z], [t], 1, dz), 6);
        Assert.Equal(gradient, dz[0], 6);
        Assert.Equal(gradient, network.YBiasGradients[0], 6);
    }
}
