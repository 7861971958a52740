using System;
using System.Collections.Generic;
using System.IO;

namespace NetGen.Samples.BreastCancer;

/// <summary>The sample's two figures: the ROC curves of the trained model, and the loss of both optimisers per iteration.</summary>
public static class Plot
{
    /// <summary>ROC curves on the training and test rows, with the diagonal of a guess.</summary>
    public static void SaveRoc(Fit fit, Dataset training, Dataset test, string path)
    {
        var plot = new ScottPlot.Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.Color = ScottPlot.Colors.Gray;
        chance.LinePattern = ScottPlot.LinePattern.Dashed;
        chance.LegendText = "chance";
        foreach ((string name, Dataset data, ScottPlot.Color color) in new[] { ("training", training, ScottPlot.Colors.Orange), ("test", test, ScottPlot.Colors.Blue) })
        {
            float[] scores = Experiment.Predict(fit.Model, data);
            RocCurve curve = ClassificationMetrics.RocCurve(data.Targets, scores);
            var line = plot.Add.ScatterLine(curve.FalsePositiveRates, curve.TruePositiveRates);
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = $"{name} rows ({data.Count}), AUC = {ClassificationMetrics.RocAuc(data.Targets, scores):F4}";
        }
        plot.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
        Save(plot, path, $"Breast cancer, logistic regression ({fit.Optimizer}): ROC curve, benign = positive",
            "false-positive rate (malignant called benign)", "true-positive rate (benign found)", ScottPlot.Alignment.LowerRight);
    }

    /// <summary>log₁₀(L − L*) per iteration, L* the lower of the two final losses.</summary>
    public static void SaveLoss(IReadOnlyList<Fit> fits, string path)
    {
        double best = double.PositiveInfinity;
        foreach (Fit fit in fits)
            foreach (float loss in fit.LossHistory)
                best = Math.Min(best, loss);
        double floor = Floor(best);
        var plot = new ScottPlot.Plot();
        // Drawn first, so that the curves' last iterations show on top of it.
        var resolution = plot.Add.HorizontalLine(floor);
        resolution.Color = ScottPlot.Colors.Gray;
        resolution.LinePattern = ScottPlot.LinePattern.Dashed;
        resolution.LegendText = "one unit in the last place of L (float): L = L* is drawn here";
        ScottPlot.Color[] colors = [ScottPlot.Colors.Blue, ScottPlot.Colors.Red];
        for (int f = 0; f < fits.Count; f++)
        {
            (double[] xs, double[] ys) = LossGap(fits[f].LossHistory, best);
            var line = plot.Add.ScatterLine(xs, ys);
            line.Color = colors[f % colors.Length];
            line.LineWidth = 2;
            line.LegendText = $"{fits[f].Optimizer}: {fits[f].Iterations} iterations, {fits[f].Evaluations} evaluations";
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:0}",
        };
        Save(plot, path, $"Breast cancer: L − L* per iteration (L* = {best:F6})", "iteration", "L − L* (log scale)", ScottPlot.Alignment.UpperRight);
    }

    /// <summary>
    /// One point per iteration, 0 to the last: (k, log₁₀(L_k − L*)). L is a float near 39.3, so near the end L_k − L* is
    /// 0 and has no logarithm; those iterations sit on the floor, one unit in the last place of L*, the smallest gap a
    /// float can show. Dropping them instead made the curves end before the iteration counts the legend gives.
    /// </summary>
    public static (double[] X, double[] Y) LossGap(IReadOnlyList<float> history, double best)
    {
        double floor = Floor(best);
        var xs = new double[history.Count];
        var ys = new double[history.Count];
        for (int k = 0; k < history.Count; k++)
        {
            double excess = history[k] - best;
            xs[k] = k;
            ys[k] = excess > 0 ? Math.Max(Math.Log10(excess), floor) : floor;
        }
        return (xs, ys);
    }

    /// <summary>log₁₀ of one unit in the last place of L* as a float.</summary>
    private static double Floor(double best) => Math.Log10(MathF.BitIncrement((float)best) - (float)best);

    private static void Save(ScottPlot.Plot plot, string path, string title, string xLabel, string yLabel, ScottPlot.Alignment legend)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 600);
    }
}
