using System;
using System.Globalization;
using System.IO;
using NetGen.Samples.BreastCancer;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>
/// Problem H on the breast-cancer data: both optimisers reach the optimum that Newton's method finds in double precision,
/// and the sample prints what they found.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class BreastCancerSampleTests
{
    private static readonly Lazy<(Dataset Training, Dataset Test)> s_data = new(() =>
    {
        (Dataset training, Dataset test, _) = Problem.Load();
        return (training, test);
    });

    /// <summary>w* and b*, from <see cref="Newton"/> on the sample's (standardised, float) training rows.</summary>
    private static readonly Lazy<double[]> s_optimum = new(() => Newton(s_data.Value.Training));

    /// <summary>
    /// Newton's method in double on L(θ) = Σ [softplus(zᵢ) − yᵢzᵢ] + λ‖w‖², zᵢ = wᵀxᵢ + b, θ = (w, b):
    /// ∇L = Σ (σ(zᵢ) − yᵢ)·(xᵢ, 1) + 2λ(w, 0),  ∇²L = Σ σ(zᵢ)(1 − σ(zᵢ))·(xᵢ, 1)(xᵢ, 1)ᵀ + 2λ·diag(1, …, 1, 0).
    /// L is strictly convex (the λ term, and the bias column is not constant), so the full Newton step converges quadratically from 0.
    /// </summary>
    private static double[] Newton(Dataset data)
    {
        int d = data.InputSize, n = d + 1;
        var theta = new double[n];
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[n];
            var hessian = new double[n, n];
            var row = new double[n];
            for (int i = 0; i < data.Count; i++)
            {
                for (int k = 0; k < d; k++)
                    row[k] = data.Inputs[i * d + k];
                row[d] = 1;
                double z = 0;
                for (int k = 0; k < n; k++)
                    z += theta[k] * row[k];
                double p = 1 / (1 + Math.Exp(-z));
                for (int k = 0; k < n; k++)
                {
                    gradient[k] += (p - data.Targets[i]) * row[k];
                    for (int l = 0; l < n; l++)
                        hessian[k, l] += p * (1 - p) * row[k] * row[l];
                }
            }
            for (int k = 0; k < d; k++)
            {
                gradient[k] += 2 * Problem.Lambda * theta[k];
                hessian[k, k] += 2 * Problem.Lambda;
            }
            double[] step = Solve(hessian, gradient);
            double largest = 0;
            for (int k = 0; k < n; k++)
            {
                theta[k] -= step[k];
                largest = Math.Max(largest, Math.Abs(step[k]));
            }
            if (largest < 1e-14)
                return theta;
        }
        throw new InvalidOperationException("Newton's method did not converge.");
    }

    /// <summary>Gaussian elimination with partial pivoting: A·x = b.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++)
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                    pivot = r;
            for (int k = 0; k < n; k++)
                (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            (x[c], x[pivot]) = (x[pivot], x[c]);
            for (int r = c + 1; r < n; r++)
            {
                double f = m[r, c] / m[c, c];
                for (int k = c; k < n; k++)
                    m[r, k] -= f * m[c, k];
                x[r] -= f * x[c];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            for (int k = r + 1; k < n; k++)
                x[r] -= m[r, k] * x[k];
            x[r] /= m[r, r];
        }
        return x;
    }

    public static TheoryData<string> Optimizers => new() { "L-BFGS", "gradient descent" };

    private static Fit Train(string optimizer) => optimizer == "L-BFGS"
        ? Experiment.TrainWithLbfgs(s_data.Value.Training, s_data.Value.Test)
        : Experiment.TrainWithGradientDescent(s_data.Value.Training, s_data.Value.Test);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Optimum_IsNewtonsSolution_WithinOneInTenThousand(string optimizer)
    {
        Fit fit = Train(optimizer);
        double[] optimum = s_optimum.Value;

        // ‖θ − θ*‖∞ ≤ 1e−4·‖θ*‖∞ over the 30 weights and the bias.
        double scale = 0, error = 0;
        for (int k = 0; k < optimum.Length; k++)
        {
            double value = k < fit.Weights.Length ? fit.Weights[k] : fit.Bias;
            scale = Math.Max(scale, Math.Abs(optimum[k]));
            error = Math.Max(error, Math.Abs(value - optimum[k]));
        }
        Assert.True(error <= 1e-4 * scale, $"{optimizer}: largest |θ − θ*| = {error:E3}, ‖θ*‖∞ = {scale:F4}");
        Assert.True(fit.GradientNorm <= Problem.GradientNormTarget, $"‖∇L‖ = {fit.GradientNorm:E3}");
        Assert.Equal(Norm(optimum.AsSpan(0, Problem.Features)), fit.WeightNorm, 1e-4);
    }

    [Fact]
    public void Optimum_ClassifiesAsNewtonsSolution_AndTheAucCountsPairs()
    {
        (Dataset training, Dataset test) = s_data.Value;
        Fit fit = Train("L-BFGS");
        double[] optimum = s_optimum.Value;

        Assert.Equal(AccuracyOf(optimum, training), fit.TrainingAccuracy);
        Assert.Equal(AccuracyOf(optimum, test), fit.TestAccuracy);
        // AUC by counting (positive, negative) pairs with Newton's scores, ties ½.
        double[] scores = Scores(optimum, test);
        double wins = 0, pairs = 0;
        for (int i = 0; i < test.Count; i++)
            for (int j = 0; j < test.Count; j++)
                if (test.Targets[i] == 1 && test.Targets[j] == 0)
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        Assert.Equal(wins / pairs, fit.TestRocAuc, 1e-12);
        // The facts the README and the report quote: 456 training rows fitted at 98.7 %, 112 of the 113 test rows right.
        Assert.Equal(450.0 / 456, fit.TrainingAccuracy, 1e-12);
        Assert.Equal(112.0 / 113, fit.TestAccuracy, 1e-12);
    }

    [Fact]
    public void Sample_PrintsBothFits_AndWritesTheWeightsAndPlots()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"netgen-breast-cancer-{Guid.NewGuid():N}");
        try
        {
            string output = SampleRunner.Run(typeof(Experiment).Assembly, "--out", folder);

            double[] optimum = s_optimum.Value;
            foreach (string optimizer in new[] { "L-BFGS", "gradient descent" })
            {
                Fit fit = Train(optimizer);
                string[] cells = SampleRunner.Line(output, optimizer + "  ")[18..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(fit.Iterations.ToString(CultureInfo.CurrentCulture), cells[0]);
                Assert.Equal(fit.Evaluations.ToString(CultureInfo.CurrentCulture), cells[1]);
                Assert.True(double.Parse(cells[2], CultureInfo.CurrentCulture) > 0);                      // time (ms)
                Assert.Equal(fit.Loss.ToString("F6", CultureInfo.CurrentCulture), cells[3]);
                Assert.InRange(double.Parse(cells[4], CultureInfo.CurrentCulture), 0, Problem.GradientNormTarget);
                Assert.Equal(Norm(optimum.AsSpan(0, Problem.Features)).ToString("F5", CultureInfo.CurrentCulture), cells[5]);   // ‖w*‖
                Assert.Equal(optimum[^1].ToString("F5", CultureInfo.CurrentCulture), cells[6]);                                  // b*
                Assert.Equal($"{cells[7]} {cells[8]}", (450.0 / 456).ToString("P2", CultureInfo.CurrentCulture));
                Assert.Equal($"{cells[9]} {cells[10]}", (112.0 / 113).ToString("P2", CultureInfo.CurrentCulture));
                Assert.Equal(fit.TestRocAuc.ToString("F4", CultureInfo.CurrentCulture), cells[11]);
            }
            string difference = SampleRunner.Line(output, "largest |L-BFGS − gradient descent|").Split(": ")[1];
            Assert.InRange(double.Parse(difference, CultureInfo.CurrentCulture), 0, 1e-4);

            foreach (string plot in new[] { "BreastCancer.roc.png", "BreastCancer.loss.png" })
                Assert.True(new FileInfo(Path.Combine(folder, plot)).Length > 10_000, $"{plot} is missing or empty");
            // The weights file loads into a fresh model and classifies as the optimum does.
            var model = new BreastCancerModel(maxBatchSize: 1);
            SafeTensors.Load(model, Path.Combine(folder, "BreastCancer.safetensors"));
            for (int k = 0; k < Problem.Features; k++)
                Assert.Equal(optimum[k], model.PWeights[k], 1e-4);
            Assert.Equal(optimum[^1], model.PBias[0], 1e-4);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static double[] Scores(double[] theta, Dataset data)
    {
        var scores = new double[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            double z = theta[^1];
            for (int k = 0; k < data.InputSize; k++)
                z += theta[k] * data.Inputs[i * data.InputSize + k];
            scores[i] = z;
        }
        return scores;
    }

    [Fact]
    public void LossPlot_HasAPointForEveryIteration_WithL_EqualToLStar_OnTheFloor()
    {
        // L(0), two iterations above L*, then two at L* exactly: before, those two were dropped and the curve ended at 2.
        float best = 39.3f;
        float[] history = [69.3f, 39.5f, MathF.BitIncrement(best), best, best];
        (double[] x, double[] y) = Plot.LossGap(history, best);
        double floor = Math.Log10(MathF.BitIncrement(best) - best);
        Assert.Equal([0.0, 1, 2, 3, 4], x);
        Assert.Equal(Math.Log10(69.3f - (double)best), y[0], 12);
        Assert.Equal(Math.Log10(39.5f - (double)best), y[1], 12);
        Assert.Equal([floor, floor, floor], y[2..]);
    }

    private static double AccuracyOf(double[] theta, Dataset data)
    {
        double[] scores = Scores(theta, data);
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
            if (scores[i] > 0 == (data.Targets[i] == 1))
                correct++;
        return (double)correct / data.Count;
    }

    private static double Norm(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
            sum += v * v;
        return Math.Sqrt(sum);
    }
}
