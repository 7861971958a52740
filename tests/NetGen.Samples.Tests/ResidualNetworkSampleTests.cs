using System;
using System.Globalization;
using NetGen;
using NetGen.Samples.ResidualNetwork;
using ResidualNet = NetGen.Samples.ResidualNetwork.ResidualNetwork;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>Problem K: the residual network's generated gradients are the closed forms (a) and (b).</summary>
[Collection(ConsoleCollection.Name)]
public class ResidualNetworkSampleTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void GeneratedGradients_AreTheClosedFormsAAndB(ulong seed)
    {
        var network = new ResidualNet(Problem.TestCount);
        new SeededRandom(seed).FillNormal(network.Parameters, 0, 1);
        Dataset data = Problem.MakeData(10, new SeededRandom(seed + 1));

        for (int sample = 0; sample < data.Count; sample++)
        {
            GradientComparison g = Experiment.CompareGradients(network, data, sample);
            AssertClose(g.ClosedFormDLossDH, g.GeneratedDLossDH);    // (a)
            AssertClose(g.ClosedFormDLossDW1, g.GeneratedDLossDW1);  // (b)

            // (a) once more, inside the full network: ∂L/∂w2[j] = (∂L/∂h_j / w2[j])·h_j.
            network.Backward(data.InputRows(sample, 1), data.TargetRows(sample, 1), 1);
            var dw2 = new double[Problem.D];
            for (int j = 0; j < Problem.D; j++)
                dw2[j] = g.ClosedFormDLossDH[j] / network.GWeights[j] * network.H[0, j];
            AssertClose(dw2, network.GWeightGradients.ToArray());
        }
    }

    [Fact]
    public void Training_SeparatesTheTwoClasses()
    {
        ExperimentResult result = Experiment.Run(seed: 1);
        Assert.True(result.LossAfter < 0.5f * result.LossBefore, $"L {result.LossBefore} → {result.LossAfter}");
        // Two Gaussians N(±½·1, I) in ℝ⁴ are 2 apart: the best possible accuracy is Φ(1) ≈ 84 %.
        Assert.InRange(result.TrainingAccuracy, 0.78, 0.92);
        Assert.InRange(result.TestAccuracy, 0.78, 0.8413 + 0.03);
    }

    [Fact]
    public void Sample_PrintsTheGradientsNextToTheClosedForms()
    {
        string output = SampleRunner.Run(typeof(Experiment).Assembly);
        ExperimentResult result = Experiment.Run(seed: 1);

        Assert.Contains(result.TestAccuracy.ToString("P1", CultureInfo.CurrentCulture), SampleRunner.Line(output, "after training:"));
        string[] differences = output.Split("largest |difference| = ")[1..];
        Assert.Equal(2, differences.Length);
        foreach (string part in differences)
            Assert.InRange(double.Parse(part.Split('\n')[0], CultureInfo.CurrentCulture), 0, 1e-6);
        GradientComparison g = result.Gradients;
        for (int j = 0; j < Problem.D; j++)
        {
            string line = SampleRunner.Line(output, $"    {j,2}   ");
            Assert.Contains(g.GeneratedDLossDH[j].ToString("0.000000E+0", CultureInfo.CurrentCulture), line);
            Assert.Contains(g.ClosedFormDLossDH[j].ToString("0.000000E+0", CultureInfo.CurrentCulture), line);
        }
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 + 1e-5 * Math.Abs(expected[i]), $"[{i}]: closed form {expected[i]}, generated {actual[i]}");
    }
}
