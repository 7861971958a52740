using System;
using System.Globalization;
using NetGen.Samples.LinearRegression;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>Problem J: gradient descent on the squared error reaches the closed form (XᵀX)⁻¹Xᵀy.</summary>
[Collection(ConsoleCollection.Name)]
public class LinearRegressionSampleTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void GradientDescent_ConvergesToTheClosedForm(ulong seed)
    {
        ExperimentResult result = Experiment.Run(seed);

        for (int k = 0; k < Problem.Features; k++)
        {
            Assert.Equal(result.ClosedForm[k], result.Learned[k], 1e-4);
            Assert.Equal(Problem.TrueWeights[k], result.ClosedForm[k], 0.1); // 200 samples, noise 0.3: close to the truth
        }
        Assert.Equal(result.ClosedFormMse, result.FinalMse, 1e-5);
        Assert.InRange(result.ClosedFormMse, 0.5 * 0.09, 1.5 * 0.09); // ≈ σ² = 0.3²
    }

    [Fact]
    public void LeastSquares_SolvesAnExactSystem()
    {
        // y = 1·1 + 2·x exactly: w* = (1, 2).
        float[] x = [1, 0, 1, 1, 1, 2, 1, 3];
        float[] y = [1, 3, 5, 7];
        double[] w = LeastSquares.Solve(x, y, 2);
        Assert.Equal(1, w[0], 12);
        Assert.Equal(2, w[1], 12);
        Assert.Throws<ArgumentException>(() => LeastSquares.Solve([1, 2, 1, 2], [1, 2], 2)); // dependent columns
    }

    [Fact]
    public void Sample_PrintsTheClosedFormAndTheLearnedWeights()
    {
        string output = SampleRunner.Run(typeof(Experiment).Assembly);
        ExperimentResult result = Experiment.Run(seed: 1);

        string closed = SampleRunner.Line(output, "closed form (XᵀX)⁻¹Xᵀy");
        string learned = SampleRunner.Line(output, "gradient descent (NetGen)");
        for (int k = 0; k < Problem.Features; k++)
        {
            Assert.Contains(result.ClosedForm[k].ToString("F6", CultureInfo.CurrentCulture), closed);
            Assert.Contains(result.Learned[k].ToString("F6", CultureInfo.CurrentCulture), learned);
        }
        string difference = SampleRunner.Line(output, "largest |gradient descent − closed form| = ");
        double printed = double.Parse(difference.Split("= ")[1], CultureInfo.CurrentCulture);
        Assert.InRange(printed, 0, 1e-4);
    }
}
