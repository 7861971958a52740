using System;
using System.IO;

namespace NetGen.Samples.Waveforms;

/// <summary>The sample's picture: the first test signal of each shape, stacked, with what the network said it is.</summary>
public static class Plot
{
    private const double RowSpacing = 5;   // the signals span about ±3 with their offset and noise

    public static void SaveExamples(Split split, Result result, string path)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(result);
        var plot = new ScottPlot.Plot();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int shape = 0; shape < Problem.Classes; shape++)
        {
            int n = Array.IndexOf(split.Test.Labels, shape);
            double baseline = (Problem.Classes - 1 - shape) * RowSpacing;
            var ys = new double[Problem.Length];
            var xs = new double[Problem.Length];
            for (int t = 0; t < Problem.Length; t++)
            {
                xs[t] = t;
                ys[t] = baseline + split.Test.Inputs[n * Problem.Length + t];
            }
            var line = plot.Add.ScatterLine(xs, ys);
            line.LineWidth = 1.5f;
            var predicted = (Shape)result.TestPredictions[n];
            line.LegendText = $"{(Shape)shape}: predicted {predicted}";
            ticks.AddMajor(baseline, ((Shape)shape).ToString());
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(-1, Problem.Length, -RowSpacing / 2 - 1, (Problem.Classes - 1) * RowSpacing + RowSpacing / 2 + 1);
        plot.ShowLegend(ScottPlot.Edge.Bottom);   // below the plot: inside, it would cover the top signal
        plot.Title($"Noisy waveforms (noise σ = {split.Noise}): the first test signal of each shape; test accuracy {result.TestAccuracy:P1}");
        plot.XLabel("sample");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1000, 700);
    }
}
