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
        var plot = new ScottPlot.Plot();
        ScottPlot.Color[] colors = [ScottPlot.Colors.Blue, ScottPlot.Colors.Red];
        for (int f = 0; f < fits.Count; f++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int k = 0; k < fits[f].LossHistory.Length; k++)
            {
                double excess = fits[f].LossHistory[k] - best;
                if (excess > 0)   // the last points coincide with L* in float
                {
                    xs.Add(k);
                    ys.Add(Math.Log10(excess));
                }
            }
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
            line.Color = colors[f % colors.Length];
            line.LineWidth = 2;
            line.LegendText = $"{fits[f].Optimizer}: {fits[f].Iterations} iterations, {fits[f].Evaluations} evaluations";
        }
        // L is a float near 39.3: differences below one unit in its last place cannot show, so the curves end on this line.
        var resolution = plot.Add.HorizontalLine(Math.Log10(MathF.BitIncrement((float)best) - (float)best));
        resolution.Color = ScottPlot.Colors.Gray;
        resolution.LinePattern = ScottPlot.LinePattern.Dashed;
        resolution.LegendText = "one unit in the last place of L (float)";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:0}",
        };
        Save(plot, path, $"Breast cancer: L − L* per iteration (L* = {best:F6})", "iteration", "L − L* (log scale)", ScottPlot.Alignment.UpperRight);
    }

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
