using System;
using System.Globalization;
using NetGen;
using NetGen.Samples.LogisticRegression;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>Problems H, I and L: the closed-form gradients, the effect of the L2 term, and the logistic neuron's exact numbers.</summary>
[Collection(ConsoleCollection.Name)]
public class LogisticRegressionSampleTests
{
    [Fact]
    public void L_LogisticNeuron_HasTheExactNumbers()
    {
        NeuronGradients g = Experiment.Neuron();
        Assert.Equal(0f, g.Z, 1e-6);
        Assert.Equal(0.5f, g.Prediction, 1e-6);
        Assert.Equal(0.25f, g.Loss, 1e-6);          // L = 1/4
        Assert.Equal(-0.25f, g.DLossDP0, 1e-6);     // ∂L/∂p₀ = −1/4
        Assert.Equal(-0.25f, g.DLossDW1, 1e-6);     // ∂L/∂w₁ = −1/4
        Assert.Equal(-0.25f, g.DLossDW2, 1e-6);     // ∂L/∂w₂ = −1/4
        Assert.Equal(-0.2f, g.DLossDX1, 1e-6);      // ∂L/∂x₁ = −1/5
        Assert.Equal(0.35f, g.DLossDX2, 1e-6);      // ∂L/∂x₂ = 7/20
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void H_GeneratedGradient_IsTheClosedForm_WithTheTwoWTerm(ulong seed)
    {
        (Dataset training, _) = Problem.MakeData(seed);
        var network = new RegularizedLogisticRegression(Problem.TrainingCount);
        new SeededRandom(seed + 7).FillNormal(network.Parameters, 0, 1);

        float loss = network.Backward(training.Inputs, training.Targets, training.Count);

        AssertClose(ClosedForms.LogisticGradient(network.Parameters, training), network.Gradients);
        // L(w) = Σ BCE + ‖w‖², by hand.
        double expected = 0;
        for (int n = 0; n < training.Count; n++)
        {
            double z = 0;
            for (int k = 0; k < Problem.Features; k++)
                z += network.FWeights[k] * (double)training.Inputs[n * Problem.Features + k];
            double f = 1 / (1 + Math.Exp(-z));
            expected -= training.Targets[n] == 1 ? Math.Log(f) : Math.Log(1 - f);
        }
        foreach (float w in network.FWeights)
            expected += (double)w * w;
        Assert.Equal(expected, loss, 1e-5 * expected);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void I_GeneratedGradient_IsTheClosedForm(ulong seed)
    {
        (Dataset training, _) = Problem.MakeData(seed);
        Dataset bipolar = Problem.ToBipolar(training);
        var network = new BipolarSigmoidRegression(Problem.TrainingCount);
        new SeededRandom(seed + 7).FillNormal(network.Parameters, 0, 1);

        network.Backward(bipolar.Inputs, bipolar.Targets, bipolar.Count);

        AssertClose(ClosedForms.BipolarGradient(network.Parameters, bipolar), network.Gradients);
    }

    [Fact]
    public void H_TheL2Term_ShrinksTheWeights()
    {
        (Fit withL2, Fit withoutL2) = Experiment.Regularization();
        Assert.True(withL2.WeightNorm < 0.5 * withoutL2.WeightNorm, $"‖w‖ {withL2.WeightNorm} with L2, {withoutL2.WeightNorm} without");
        // Less overfitting: it fits the training set less closely and does no worse on the test set.
        Assert.True(withL2.TrainingAccuracy <= withoutL2.TrainingAccuracy);
        Assert.True(withL2.TestAccuracy >= withoutL2.TestAccuracy);
        Assert.InRange(withL2.TestAccuracy, 0.65, 0.9);
        // The regularised L is strictly convex and gradient descent reached its minimum: ∇L = Σ (f − y)x + 2w ≈ 0.
        (Dataset training, _) = Problem.MakeData(1);
        Assert.True(ClosedForms.MaxDifference(new float[Problem.Features], ClosedForms.LogisticGradient(withL2.Weights, training)) < 1e-3);
        // The printed comparison at the starting weights agrees.
        Assert.True(ClosedForms.MaxDifference(withL2.StartGradient, withL2.StartClosedForm) < 1e-4);
    }

    [Fact]
    public void Sample_PrintsProblemLsNumbers_AndTheL2Comparison()
    {
        string output = SampleRunner.Run(typeof(Experiment).Assembly);

        Assert.Contains("L = 0.25", SampleRunner.Line(output, "z = "));
        Assert.Equal("∂L/∂w₁ = -0.25   ∂L/∂w₂ = -0.25   ∂L/∂p₀ = -0.25   (exact: −1/4 each)", SampleRunner.Line(output, "∂L/∂w₁"));
        Assert.Equal("∂L/∂x₁ = -0.2   ∂L/∂x₂ = 0.35   (exact: −1/5, 7/20)", SampleRunner.Line(output, "∂L/∂x₁"));

        (Fit withL2, Fit withoutL2) = Experiment.Regularization();
        Assert.Contains(withL2.WeightNorm.ToString("F3", CultureInfo.CurrentCulture), SampleRunner.Line(output, "with ‖w‖² term"));
        Assert.Contains(withoutL2.WeightNorm.ToString("F3", CultureInfo.CurrentCulture), SampleRunner.Line(output, "without it"));
        Assert.Equal(2, output.Split("largest |difference| = ").Length - 1);
        foreach (string part in output.Split("largest |difference| = ")[1..])
            Assert.InRange(double.Parse(part.Split('\n')[0], CultureInfo.CurrentCulture), 0, 1e-4);
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (double e in expected)
            scale = Math.Max(scale, Math.Abs(e));
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5 * scale, $"[{k}]: closed form {expected[k]}, generated {actual[k]}");
    }
}
