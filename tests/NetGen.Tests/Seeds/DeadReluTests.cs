using System;
using NetGen;
using Xunit;

namespace NetGen.Tests.Seeds;

/// <summary>
/// Problem F: f(x) = Σ_j u_j·σ(a_j x + b_j). A ReLU unit with a_j x_i + b_j &lt; 0 on every training point gets
/// exactly zero gradients and never moves; with a leaky ReLU the same unit gets α·(∂ℓ/∂f)·u_j·x_i and moves.
/// </summary>
public class DeadReluTests
{
    private const int Dead = 2;
    private const int Count = 64;

    private static readonly float[] s_a = [1.5f, -0.8f, 1f, 0.6f];
    private static readonly float[] s_b = [0.2f, 0.3f, -10f, -0.1f]; // unit 2: a·x + b ≤ 2 − 10 < 0 on x ∈ [−2, 2]
    private static readonly float[] s_u = [0.7f, -1.1f, 0.9f, 0.5f];

    private static Dataset Data()
    {
        var x = new float[Count];
        var y = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            x[i] = -2f + 4f * i / (Count - 1);
            y[i] = MathF.Sin(2 * x[i]);
        }
        return new Dataset(x, y, 1, 1);
    }

    private static void Initialise(Span<float> a, Span<float> b, Span<float> u)
    {
        s_a.CopyTo(a);
        s_b.CopyTo(b);
        s_u.CopyTo(u);
    }

    [Fact]
    public void DeadReluUnit_GetsExactlyZeroGradients_AndNeverChanges()
    {
        Dataset data = Data();
        var network = new TwoLayerRelu(Count);
        Initialise(network.HWeights, network.HBias, network.FWeights);

        // Every single sample: ∂ℓ/∂a_j = ∂ℓ/∂b_j = ∂ℓ/∂u_j = 0 exactly.
        bool liveUnitLearns = false;
        for (int i = 0; i < Count; i++)
        {
            network.Backward(data.InputRows(i, 1), data.TargetRows(i, 1), 1);
            Assert.Equal(0f, network.HWeightGradients[Dead]);
            Assert.Equal(0f, network.HBiasGradients[Dead]);
            Assert.Equal(0f, network.FWeightGradients[Dead]);
            liveUnitLearns |= network.HWeightGradients[0] != 0f;
        }
        Assert.True(liveUnitLearns, "the live unit 0 should get gradients from the samples where it fires");

        float lossBefore = Trainer.Evaluate(network, data);
        var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = 8 });
        trainer.Train(data, epochs: 50);

        Assert.Equal(s_a[Dead], network.HWeights[Dead]); // bit for bit
        Assert.Equal(s_b[Dead], network.HBias[Dead]);
        Assert.Equal(s_u[Dead], network.FWeights[Dead]);
        Assert.NotEqual(s_a[0], network.HWeights[0]);
        Assert.True(trainer.Evaluate(data) < lossBefore);
    }

    [Fact]
    public void LeakyReluUnit_GetsAlphaTimesTheGradient_AndRecovers()
    {
        Dataset data = Data();
        var network = new TwoLayerLeakyRelu(Count);
        Initialise(network.HWeights, network.HBias, network.FWeights);
        const float alpha = 0.01f;

        for (int i = 0; i < Count; i += 7)
        {
            float x = data.Inputs[i];
            network.Backward(data.InputRows(i, 1), data.TargetRows(i, 1), 1);
            float f = network.F[0, 0];
            float dLdf = 2 * (f - data.Targets[i]); // MSE of one sample
            // ∂ℓ/∂a_j = α·(∂ℓ/∂f)·u_j·x_i,  ∂ℓ/∂b_j = α·(∂ℓ/∂f)·u_j
            Assert.Equal(alpha * dLdf * s_u[Dead] * x, network.HWeightGradients[Dead], 1e-6);
            Assert.Equal(alpha * dLdf * s_u[Dead], network.HBiasGradients[Dead], 1e-6);
            Assert.NotEqual(0f, network.HBiasGradients[Dead]);
        }

        var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = 8 });
        trainer.Train(data, epochs: 50);

        Assert.NotEqual(s_a[Dead], network.HWeights[Dead]);
        Assert.NotEqual(s_b[Dead], network.HBias[Dead]);
        Assert.NotEqual(s_u[Dead], network.FWeights[Dead]);
    }
}
