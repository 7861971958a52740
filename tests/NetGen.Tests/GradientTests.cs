using System;
using System.Collections.Generic;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>Every parameter and input gradient of small networks against central finite differences.</summary>
public class GradientTests
{
    public static IEnumerable<object[]> Networks()
    {
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            yield return ["identity", seed];
            yield return ["sigmoid", seed];
            yield return ["tanh", seed];
            yield return ["relu", seed];
            yield return ["no-bias", seed];
            yield return ["wide", seed];
            yield return ["conv2d", seed];
            yield return ["conv1d", seed];
            yield return ["conv-residual", seed];
            yield return ["layer-norm", seed];
            yield return ["conv-layer-norm", seed];
        }
    }

    internal static INetwork Create(string name, int batch, ulong seed) => name switch
    {
        "identity" => TestData.Network(b => new IdentityChain(b), batch, seed),
        "sigmoid" => TestData.Network(b => new SigmoidChain(b), batch, seed),
        "tanh" => TestData.Network(b => new TanhChain(b), batch, seed),
        "relu" => TestData.Network(b => new ReluChain(b), batch, seed),
        "no-bias" => TestData.Network(b => new NoBiasChain(b), batch, seed),
        "wide" => TestData.Network(b => new WideChain(b), batch, seed, std: 0.3),
        "conv2d" => TestData.Network(b => new Conv2DChain(b), batch, seed, std: 0.3),
        "conv1d" => TestData.Network(b => new Conv1DChain(b), batch, seed, std: 0.3),
        "conv-residual" => TestData.Network(b => new ConvResidual(b), batch, seed, std: 0.3),
        "layer-norm" => TestData.Network(b => new LayerNormChain(b), batch, seed, std: 0.5),
        "conv-layer-norm" => TestData.Network(b => new ConvLayerNorm(b), batch, seed, std: 0.3),
        "pooled-image" => TestData.Network(b => new PooledImage(b), batch, seed, std: 0.3),
        "pooled-signal" => TestData.Network(b => new PooledSignal(b), batch, seed, std: 0.3),
        "pooled-activation-image" => TestData.Network(b => new PooledActivationImage(b), batch, seed, std: 0.3),
        "pooled-activation-signal" => TestData.Network(b => new PooledActivationSignal(b), batch, seed, std: 0.3),
        "batch-norm-vector" => TestData.Network(b => new BatchNormVector(b), batch, seed, std: 0.5),
        "batch-norm-signal" => TestData.Network(b => new BatchNormSignal(b), batch, seed, std: 0.3),
        // Small weights: Y reads 315 normalised values, and a large loss would leave its finite differences to rounding.
        "batch-norm-image" => TestData.Network(b => new BatchNormImage(b), batch, seed, std: 0.1),
        "batch-norm-one-channel" => TestData.Network(b => new BatchNormOneChannel(b), batch, seed, std: 0.5),
        "batch-norm-cnn" => TestData.Network(b => new BatchNormCnn(b), batch, seed, std: 0.3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backward_MatchesFiniteDifferences(string name, ulong seed)
    {
        const int batch = 3;
        INetwork network = Create(name, batch, seed);
        float[] inputs = TestData.Normal(batch * network.InputSize, seed + 100);
        float[] targets = TestData.Normal(batch * network.OutputSize, seed + 200);

        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, batch);

        Assert.Equal(network.ParameterCount + inputs.Length, result.Checked);
        Assert.True(result.Passed, result.ToString());
    }

    /// <summary>
    /// Networks that max-pool their input, fed values at least 0.02 apart (a shuffled grid), so that no perturbation of
    /// ±1e-3 moves a window's maximum: a finite difference across a tie would measure a kink, not a gradient. The
    /// networks that pool a convolution's output rely on its values being apart for these seeds (with seeds 1
    /// and 3 a step of 1e-3 moves a maximum of the image's: the finite differences of C1.weight[0, 0, 2, 0] and
    /// C1.weight[2, 0, 0, 1] tend to the analytic 0.0836 and 0.0052 only as the step shrinks, 0.0966 → 0.0835 and
    /// 0.0534 → 0.0302 → 0.0095 from 1e-3 to 3e-4 to 1e-4).
    /// </summary>
    [Theory]
    [InlineData("pooled-image", 1)]
    [InlineData("pooled-image", 2)]
    [InlineData("pooled-image", 3)]
    [InlineData("pooled-signal", 1)]
    [InlineData("pooled-signal", 2)]
    [InlineData("pooled-signal", 3)]
    [InlineData("pooled-activation-image", 2)]
    [InlineData("pooled-activation-image", 4)]
    [InlineData("pooled-activation-image", 5)]
    [InlineData("pooled-activation-signal", 1)]
    [InlineData("pooled-activation-signal", 2)]
    public void MaxPoolingNetworks_MatchFiniteDifferences(string name, ulong seed)
    {
        const int batch = 3;
        INetwork network = Create(name, batch, seed);
        float[] inputs = Spaced(batch * network.InputSize, seed + 100);
        float[] targets = TestData.Normal(batch * network.OutputSize, seed + 200);

        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, batch);

        Assert.Equal(network.ParameterCount + inputs.Length, result.Checked);
        Assert.True(result.Passed, result.ToString());
    }

    /// <summary>n distinct values 0.02 apart, centred on 0, in a seeded random order.</summary>
    private static float[] Spaced(int n, ulong seed)
    {
        float[] values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (i - n / 2) * 0.02f;
        new Random((int)seed).Shuffle(values);
        return values;
    }

    /// <summary>
    /// Odd sizes at batches on both sides of the kernels' thresholds: 1 and 3 compute dot products over W's rows, 4 and 7
    /// the register-blocked products (and the row tiles for the 300-wide fan-in), 7 leaves remainders of the 6-row tiles.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void OddSizes_MatchFiniteDifferences(int batch)
    {
        INetwork network = TestData.Network(b => new OddSizesChain(b), batch, 41, std: 0.15);
        float[] inputs = TestData.Normal(batch * network.InputSize, 42);
        float[] targets = TestData.Normal(batch * network.OutputSize, 43);

        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, batch);

        Assert.Equal(network.ParameterCount + inputs.Length, result.Checked);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void GradientCheck_DetectsAWrongGradient()
    {
        // A check that cannot fail proves nothing: corrupt the network's answer and expect a failure.
        var network = new CorruptedGradients(TestData.Network(b => new SigmoidChain(b), 2, 7));
        float[] inputs = TestData.Normal(2 * 3, 8);
        float[] targets = TestData.Normal(2 * 2, 9);
        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, 2);
        Assert.False(result.Passed);
        // Gradients[3] of H.weight [5, 3] is row 1, column 0: named as the safetensors errors name an element.
        Assert.Equal("H.weight[1, 0]", result.WorstName);
    }

    [Fact]
    public void GradientCheck_NamesAWrongInputGradient_BySampleAndValue()
    {
        var network = new CorruptedGradients(TestData.Network(b => new SigmoidChain(b), 2, 7), corruptInput: 4);
        float[] inputs = TestData.Normal(2 * 3, 8);
        float[] targets = TestData.Normal(2 * 2, 9);
        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, 2);
        Assert.False(result.Passed);
        Assert.Equal("input[1, 1]", result.WorstName); // inputs [2, 3]: flat index 4
    }

    /// <summary>Wraps a network and adds 10 % to one parameter gradient, or 1 to one input gradient.</summary>
    private sealed class CorruptedGradients(INetwork inner, int corruptInput = -1) : INetwork
    {
        public int InputSize => inner.InputSize;
        public int OutputSize => inner.OutputSize;
        public int ParameterCount => inner.ParameterCount;
        public int MaxBatchSize => inner.MaxBatchSize;
        public LossReduction LossReduction => inner.LossReduction;
        public Span<float> Parameters => inner.Parameters;
        public Span<float> Gradients => inner.Gradients;
        public IReadOnlyList<ParameterTensor> ParameterTensors => inner.ParameterTensors;
        public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
        public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) => inner.ComputeLoss(inputs, targets, batchSize);
        public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Span<float> inputGradients = default)
        {
            float loss = inner.Backward(inputs, targets, batchSize, inputGradients);
            if (corruptInput < 0)
                inner.Gradients[3] *= 1.1f;
            else if (!inputGradients.IsEmpty)
                inputGradients[corruptInput] += 1f;
            return loss;
        }
    }
}
