using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Kernels;
using Xunit;
using static NetGen.Tests.Kernels.ActivationAccuracyTests;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Softmax, its backward step, log-sum-exp and the losses' stable forms against float64 from the same float inputs, with
/// the bounds of <see cref="AccuracyBounds.Losses"/> (docs/accuracy.md). Rows of 1 to 100 columns, so that
/// TensorPrimitives' vector loops and their tails both run at the machine's width; logits from size 10⁻³ to 10⁴, ties,
/// whole rows far from 0, and the confident answers (right and wrong) where the naive forms lose everything.
/// </summary>
public class LossAccuracyTests
{
    private static readonly int[] Columns = [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 100];
    private static readonly double[] Spreads = [1e-3, 1, 5, 30, 1e3, 1e4];

    /// <summary>Rows of logits: N(0, spread²), some shifted far from 0, some with ties at the maximum.</summary>
    private static IEnumerable<float[]> Rows()
    {
        var random = new SeededRandom(19);
        foreach (int n in Columns)
            foreach (double spread in Spreads)
                foreach (float shift in new[] { 0f, 1e4f, -3e3f })
                {
                    var z = new float[n];
                    random.FillNormal(z, 0, spread);
                    for (int j = 0; j < n; j++)
                        z[j] += shift;
                    yield return z;
                    if (n > 2)
                    {
                        float[] tied = (float[])z.Clone();
                        tied[n - 1] = tied[0] = tied.Max();
                        yield return tied;
                    }
                }
    }

    [Fact]
    public void Softmax_IsWithinItsBound()
    {
        double worst = 0;
        string at = "";
        foreach (float[] z in Rows())
        {
            var y = new float[z.Length];
            Activations.Softmax(y, z, z.Length);
            double[] p = ExactSoftmax(z);
            double m = z.Max(), spread = p.Select((pj, j) => pj * (m - z[j])).Sum();
            for (int i = 0; i < z.Length; i++)
            {
                double units = Math.Abs(y[i] - p[i]) / (Ulp(p[i]) * (1 + (m - z[i]) + spread));
                if (!(units <= worst))
                    (worst, at) = (double.IsNaN(units) ? double.PositiveInfinity : units, $"z_{i} − max z = {z[i] - m}, {z.Length} columns: {y[i]:R}, exact {p[i]:R}");
            }
        }
        Report("softmax", worst, at);
    }

    [Fact]
    public void SoftmaxBackward_IsWithinItsBound()
    {
        var random = new SeededRandom(5);
        double worst = 0;
        string at = "";
        foreach (float[] z in Rows())
        {
            var y = new float[z.Length];
            Activations.Softmax(y, z, z.Length);
            var delta = new float[z.Length];
            random.FillNormal(delta, 0, 3);
            float[] result = (float[])delta.Clone();
            Activations.SoftmaxBackward(result, y, z.Length);
            double dot = 0, size = 0;
            for (int j = 0; j < z.Length; j++)
            {
                dot += (double)y[j] * delta[j];
                size += y[j] * Math.Abs((double)delta[j]);
            }
            for (int i = 0; i < z.Length; i++)
            {
                double exact = y[i] * (delta[i] - dot);
                double units = Math.Max(0, Math.Abs(result[i] - exact) - Math.Pow(2, -149)) / (Math.Pow(2, -24) * y[i] * (Math.Abs(delta[i]) + size));
                if (!(units <= worst) && !(y[i] == 0 && result[i] == 0))
                    (worst, at) = (double.IsNaN(units) ? double.PositiveInfinity : units, $"y = {y[i]:R}, δ = {delta[i]:R}: {result[i]:R}, exact {exact:R}");
            }
        }
        Report("softmax′", worst, at);
    }

    /// <summary>Each loss on one row at a time (so that a small term is not hidden by a large one), then on a whole batch.</summary>
    [Theory]
    [InlineData("squared-error")]
    [InlineData("bce-with-logits")]
    [InlineData("softmax-ce")]
    [InlineData("softmax-ce-labels")]
    public void LossSums_AreWithinTheirBounds(string loss)
    {
        var random = new SeededRandom(23);
        double worst = 0;
        string at = "";
        var batch = new List<(float[] Z, float[] T, int Label)>();
        foreach (float[] z in Rows())
        {
            int label = z.Length - 1 - (z.Length / 3);
            foreach (string target in new[] { "right", "wrong", "soft" })
            {
                var t = new float[z.Length];
                int k = target == "right" ? Array.IndexOf(z, z.Max()) : target == "wrong" ? Array.IndexOf(z, z.Min()) : label;
                if (target == "soft" || loss == "squared-error")
                    for (int j = 0; j < t.Length; j++)
                        t[j] = (float)random.NextDouble();
                else
                    t[k] = 1;
                if (loss == "bce-with-logits" && target == "right")
                    for (int j = 0; j < t.Length; j++)
                        t[j] = z[j] > 0 ? 1 : 0;
                batch.Add((z, t, k));
                double actual = Sum(loss, z, t, k), exact = ExactSum(loss, z, t, k);
                double relative = Math.Abs(actual - exact) / Math.Abs(exact);
                if (exact == 0)
                    relative = actual == 0 ? 0 : double.PositiveInfinity;
                if (!(relative <= worst))
                    (worst, at) = (double.IsNaN(relative) ? double.PositiveInfinity : relative, $"{target} target, {z.Length} columns, max z {z.Max()}: {actual:R}, exact {exact:R}");
            }
        }
        foreach (int columns in Columns)
        {
            var rows = batch.Where(r => r.Z.Length == columns).ToArray();
            float[] z = rows.SelectMany(r => r.Z).ToArray(), t = rows.SelectMany(r => r.T).ToArray();
            double actual = loss switch
            {
                "squared-error" => Losses.SquaredError(z, t),
                "bce-with-logits" => Losses.BinaryCrossEntropyWithLogits(z, t),
                "softmax-ce" => Losses.SoftmaxCrossEntropy(z, t, columns),
                _ => Losses.SoftmaxCrossEntropy(z, rows.Select(r => r.Label).ToArray(), columns),
            };
            double exact = rows.Sum(r => ExactSum(loss, r.Z, r.T, r.Label));
            double relative = exact == 0 ? (actual == 0 ? 0 : double.PositiveInfinity) : Math.Abs(actual - exact) / Math.Abs(exact);
            if (!(relative <= worst))
                (worst, at) = (double.IsNaN(relative) ? double.PositiveInfinity : relative, $"a batch of {rows.Length} rows of {columns}: {actual:R}, exact {exact:R}");
        }
        Report(loss, worst, at, relative: true);
    }

    [Theory]
    [InlineData("squared-error′")]
    [InlineData("bce′")]
    [InlineData("softmax-ce′")]
    [InlineData("softmax-ce-labels′")]
    public void LossGradients_AreWithinTheirBounds(string gradient)
    {
        var random = new SeededRandom(29);
        double worst = 0;
        string at = "";
        foreach (float[] z in Rows())
            foreach (float coefficient in new[] { 1f, 1f / 128, 0.01f, 1f / 3, 7.5e-6f })
            {
                int n = z.Length, label = Array.IndexOf(z, z.Max());
                var y = new float[n];
                if (gradient == "bce′")
                    Activations.Sigmoid(y, z);
                else if (gradient == "squared-error′")
                    Array.Copy(z, y, n);
                else
                    Activations.Softmax(y, z, n);
                var t = new float[n];
                if (gradient == "softmax-ce-labels′" || (gradient == "softmax-ce′" && coefficient == 1f))
                    t[label] = 1;
                else if (gradient == "bce′")
                    for (int j = 0; j < n; j++)
                        t[j] = (j + n) % 3 == 0 ? (float)random.NextDouble() : z[j] > 0 ? 1 : 0;
                else
                    for (int j = 0; j < n; j++)
                        t[j] = gradient == "squared-error′" ? z[j] + (float)random.NextDouble() * MathF.Abs(z[j]) * 1e-3f : (float)random.NextDouble();
                var d = new float[n];
                switch (gradient)
                {
                    case "squared-error′": Losses.SquaredErrorGradient(d, y, t, coefficient); break;
                    case "bce′": Losses.BinaryCrossEntropyGradient(d, y, t, coefficient); break;
                    case "softmax-ce′": Losses.SoftmaxCrossEntropyGradient(d, y, t, n, coefficient); break;
                    default: Losses.SoftmaxCrossEntropyGradient(d, y, [label], n, coefficient); break;
                }
                double mass = t.Sum(v => (double)v);
                for (int j = 0; j < n; j++)
                {
                    double exact = gradient switch
                    {
                        "squared-error′" => 2.0 * coefficient * ((double)y[j] - t[j]),
                        "softmax-ce′" => (double)coefficient * ((double)y[j] * mass - t[j]),
                        _ => (double)coefficient * ((double)y[j] - t[j]),
                    };
                    // The soft-target cross-entropy's p·Σt − t cancels with Σt rounded to a float: in ulps of its larger part.
                    double scale = gradient == "softmax-ce′" ? Math.Max(Math.Abs(coefficient * y[j] * mass), Math.Abs((double)coefficient * t[j])) : exact;
                    double units = Math.Abs(d[j] - exact) / Ulp(scale);
                    if (!(units <= worst))
                        (worst, at) = (double.IsNaN(units) ? double.PositiveInfinity : units, $"y = {y[j]:R}, t = {t[j]:R}, c = {coefficient:R}: {d[j]:R}, exact {exact:R}");
                }
            }
        Report(gradient, worst, at);
    }

    private static double Sum(string loss, float[] z, float[] t, int label) => loss switch
    {
        "squared-error" => Losses.SquaredError(z, t),
        "bce-with-logits" => Losses.BinaryCrossEntropyWithLogits(z, t),
        "softmax-ce" => Losses.SoftmaxCrossEntropy(z, t, z.Length),
        _ => Losses.SoftmaxCrossEntropy(z, [label], z.Length),
    };

    /// <summary>The float64 maths in forms that cancel nothing: log1p by series for small arguments, and log softmax
    /// as (m − z_j) + log1p(Σ_{others} e^{z − m}).</summary>
    private static double ExactSum(string loss, float[] z, float[] t, int label)
    {
        double sum = 0;
        switch (loss)
        {
            case "squared-error":
                for (int j = 0; j < z.Length; j++)
                    sum += ((double)z[j] - t[j]) * ((double)z[j] - t[j]);
                return sum;
            case "bce-with-logits":
                for (int j = 0; j < z.Length; j++)
                    sum += (z[j] > 0 ? z[j] * (1.0 - t[j]) : -(double)z[j] * t[j]) + Reference.Log1P(Math.Exp(-Math.Abs((double)z[j])));
                return sum;
        }
        int k = Array.IndexOf(z, z.Max());
        double others = 0;
        for (int j = 0; j < z.Length; j++)
            if (j != k)
                others += Math.Exp((double)z[j] - z[k]);
        double excess = Reference.Log1P(others);
        if (loss == "softmax-ce-labels")
            return ((double)z[k] - z[label]) + excess;
        for (int j = 0; j < z.Length; j++)
            sum += t[j] * (((double)z[k] - z[j]) + excess);
        return sum;
    }

    private static double[] ExactSoftmax(float[] z)
    {
        double m = z.Max();
        double[] e = z.Select(v => Math.Exp(v - m)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static void Report(string what, double worst, string at, bool relative = false)
    {
        if (Environment.GetEnvironmentVariable("NETGEN_ULPS") is { } file)
            System.IO.File.AppendAllText(file, $"{what}: {worst:G3}\n");
        double bound = AccuracyBounds.Losses[what];
        Assert.True(worst <= bound, $"{what}: {worst:G4} {(relative ? "relative" : "units")} at {at} (bound {bound})");
    }
}
