using System;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Each optimiser against an update sequence worked out by hand: θ₀ = (1, −2) and three given gradients
/// g₁ = (0.5, −1), g₂ = (−0.25, 0.5), g₃ = (0.1, 0.2), η = 0.1.
/// </summary>
public class OptimizerTests
{
    private static readonly float[][] s_gradients = [[0.5f, -1f], [-0.25f, 0.5f], [0.1f, 0.2f]];

    /// <summary>Runs the three steps and returns θ after each.</summary>
    private static float[][] Run(IOptimizer optimizer)
    {
        var theta = new ParameterVector(1f, -2f);
        var after = new float[3][];
        for (int t = 0; t < 3; t++)
        {
            s_gradients[t].CopyTo(theta.Gradients);
            optimizer.Step(theta);
            after[t] = theta.Parameters.ToArray();
        }
        return after;
    }

    private static void AssertSequence(double[][] expected, float[][] actual)
    {
        for (int t = 0; t < expected.Length; t++)
        {
            for (int i = 0; i < expected[t].Length; i++)
                Assert.True(Math.Abs(expected[t][i] - actual[t][i]) < 1e-6, $"step {t + 1}, θ[{i}]: expected {expected[t][i]}, got {actual[t][i]}");
        }
    }

    [Fact]
    public void Sgd_Plain()
    {
        // θ ← θ − 0.1·g: (1, −2) → (0.95, −1.9) → (0.975, −1.95) → (0.965, −1.97).
        AssertSequence([[0.95, -1.9], [0.975, -1.95], [0.965, -1.97]], Run(new Sgd(0.1f)));
    }

    [Fact]
    public void Sgd_Momentum()
    {
        // b₁ = g₁ = (0.5, −1);                      θ₁ = (0.95, −1.9)
        // b₂ = 0.9·b₁ + g₂ = (0.2, −0.4);           θ₂ = (0.93, −1.86)
        // b₃ = 0.9·b₂ + g₃ = (0.28, −0.16);         θ₃ = (0.902, −1.844)
        AssertSequence([[0.95, -1.9], [0.93, -1.86], [0.902, -1.844]], Run(new Sgd(0.1f, momentum: 0.9f)));
    }

    [Fact]
    public void Sgd_Nesterov()
    {
        // Same b as with momentum; the step follows g + 0.9·b:
        // (0.95, −1.9) → θ₁ = (0.905, −1.81); (−0.07, 0.14) → θ₂ = (0.912, −1.824); (0.352, 0.056) → θ₃ = (0.8768, −1.8296)
        AssertSequence([[0.905, -1.81], [0.912, -1.824], [0.8768, -1.8296]], Run(new Sgd(0.1f, momentum: 0.9f, nesterov: true)));
    }

    [Fact]
    public void Sgd_MomentumWithWeightDecay()
    {
        // g ← g + 0.1·θ (PyTorch's coupled decay), then momentum 0.9:
        // g = (0.6, −1.2),         b = (0.6, −1.2),          θ₁ = (0.94, −1.88)
        // g = (−0.156, 0.312),     b = (0.384, −0.768),      θ₂ = (0.9016, −1.8032)
        // g = (0.19016, 0.01968),  b = (0.53576, −0.67152),  θ₃ = (0.848024, −1.736048)
        AssertSequence([[0.94, -1.88], [0.9016, -1.8032], [0.848024, -1.736048]], Run(new Sgd(0.1f, momentum: 0.9f, weightDecay: 0.1f)));
    }

    [Fact]
    public void Sgd_WeightDecayWithoutMomentum()
    {
        // θ ← θ − 0.1·(g + 0.1·θ): g + 0.1·θ = (0.6, −1.2) → θ₁ = (0.94, −1.88);
        // (−0.156, 0.312) → θ₂ = (0.9556, −1.9112); (0.19556, 0.00888) → θ₃ = (0.936044, −1.912088)
        AssertSequence([[0.94, -1.88], [0.9556, -1.9112], [0.936044, -1.912088]], Run(new Sgd(0.1f, weightDecay: 0.1f)));
    }

    [Fact]
    public void Adam_PyTorchDefaults()
    {
        // Step 1: m = 0.1·g₁, v = 0.001·g₁², m̂ = g₁, √v̂ = |g₁|: θ moves by η·sign(g₁) (up to ε): (0.9, −1.9).
        // Step 2, θ[0]: m = 0.9·0.05 − 0.025 = 0.02, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225,
        //   θ = 0.9 − 0.1·(0.02/0.19)/(√(0.00031225/0.001999)) = 0.9 − 0.026634 = 0.873366.
        AssertSequence([[0.9, -1.9], [0.873366299, -1.8733663], [0.841841943, -1.86435934]], Run(new Adam(0.1f)));
    }

    [Fact]
    public void Adam_WeightDecayIsAddedToTheGradient()
    {
        // Step 1 is still η·sign(g + 0.1·θ); afterwards the decay term changes the moments.
        AssertSequence([[0.9, -1.9], [0.854441367, -1.85374726], [0.802403794, -1.81875076]], Run(new Adam(0.1f, weightDecay: 0.1f)));
    }

    [Fact]
    public void AdamW_DecaysTheParametersDirectly()
    {
        // Step 1: θ·(1 − 0.1·0.1) = (0.99, −1.98), then Adam's η·sign(g): (0.89, −1.88).
        AssertSequence([[0.89, -1.88], [0.854466299, -1.8345663], [0.81439728, -1.80721368]], Run(new AdamW(0.1f, weightDecay: 0.1f)));
    }

    [Fact]
    public void AdamW_WithoutDecay_IsAdam()
    {
        float[][] adam = Run(new Adam(0.1f));
        float[][] adamW = Run(new AdamW(0.1f, weightDecay: 0f));
        for (int t = 0; t < 3; t++)
            Assert.Equal(adam[t], adamW[t]);
    }

    [Fact]
    public void Adam_CountsSteps_AndResetStartsAfresh()
    {
        var adam = new Adam(0.1f);
        var first = new ParameterVector(1f);
        first.Gradients[0] = 1f;
        adam.Step(first);
        adam.Step(first);
        Assert.Equal(2, adam.Steps);
        adam.Reset();
        Assert.Equal(0, adam.Steps);
        var second = new ParameterVector(1f);
        second.Gradients[0] = 1f;
        adam.Step(second); // no longer bound to the first network
        Assert.Equal(0.9f, second.Parameters[0], 6);
    }

    [Theory]
    [InlineData("Sgd")]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    public void StatefulOptimisers_RefuseASecondNetwork(string name)
    {
        IOptimizer optimizer = name switch
        {
            "Sgd" => new Sgd(0.1f, momentum: 0.5f),
            "Adam" => new Adam(),
            _ => new AdamW(),
        };
        var first = new ParameterVector(1f, 2f);
        var second = new ParameterVector(3f, 4f);
        optimizer.Step(first);
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Step(second));
        Assert.Contains("another network", error.Message);
        Assert.Equal([3f, 4f], second.Parameters.ToArray()); // untouched
    }

    [Fact]
    public void PlainSgd_WorksWithAnyNetwork()
    {
        var sgd = new Sgd(0.5f);
        var a = new ParameterVector(1f);
        var b = new ParameterVector(1f, 1f);
        a.Gradients[0] = 1f;
        b.Gradients.Fill(2f);
        sgd.Step(a);
        sgd.Step(b);
        Assert.Equal(0.5f, a.Parameters[0]);
        Assert.Equal([0f, 0f], b.Parameters.ToArray());
    }

    [Fact]
    public void BadHyperParameters_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, momentum: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, weightDecay: -1f));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(epsilon: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { LearningRate = float.PositiveInfinity });
    }

    [Fact]
    public void Steps_AllocateNothingAfterTheFirst()
    {
        var network = new WideNetwork(maxBatchSize: 1);
        Initializers.HeNormal(network, 1);
        new SeededRandom(2).FillNormal(network.Gradients, 0, 0.01);
        IOptimizer[] optimizers =
        [
            new Sgd(0.01f), new Sgd(0.01f, weightDecay: 1e-4f), new Sgd(0.01f, momentum: 0.9f, nesterov: true, weightDecay: 1e-4f),
            new Adam(weightDecay: 1e-4f), new AdamW(),
        ];
        foreach (IOptimizer optimizer in optimizers)
        {
            optimizer.Step(network); // allocates the state
            Assert.Equal(0, Allocations.OnThisThread(() =>
            {
                for (int i = 0; i < 20; i++)
                    optimizer.Step(network);
            }));
        }
    }
}
