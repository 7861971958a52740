using System;
using System.IO;

namespace NetGen.Samples.ThreeLayerMlp;

/// <summary>Problem A's figures: what was learned, and the loss curve.</summary>
public static class Plot
{
    public const int Points = 1024;

    public static void Save(ExperimentResult result, string path, string title)
    {
        var xs = new double[Points];
        var truth = new double[Points];
        var learned = new double[Points];
        Span<float> output = stackalloc float[1];
        for (int i = 0; i < Points; i++)
        {
            float x = -2f + 4f * i / (Points - 1);
            result.Network.Forward([x], output);
            xs[i] = x;
            truth[i] = Problem.TrueFunction(x);
            learned[i] = output[0];
        }

        var plot = new ScottPlot.Plot();
        var data = plot.Add.ScatterPoints(Array.ConvertAll(result.Training.Inputs, v => (double)v), Array.ConvertAll(result.Training.Targets, v => (double)v));
        data.MarkerShape = ScottPlot.MarkerShape.Cross;
        data.MarkerSize = 6;
        data.Color = ScottPlot.Colors.Red;
        data.LegendText = "training data";
        AddLine(plot, xs, truth, ScottPlot.Colors.Red, "f_true(x) = (x − 2)·cos(4x)");
        AddLine(plot, xs, learned, ScottPlot.Colors.Blue, "learned by ThreeLayerMlp");
        plot.Axes.SetLimits(-2, 2, -6, 6);
        SaveWithLegend(plot, path, title, "x", "y");
    }

    /// <summary>Training and validation MSE per epoch, on a logarithmic axis.</summary>
    public static void SaveLossCurve(EpochReport[] history, string path, string title)
    {
        var epochs = new double[history.Length];
        var training = new double[history.Length];
        var validation = new double[history.Length];
        for (int i = 0; i < history.Length; i++)
        {
            epochs[i] = history[i].Epoch;
            training[i] = Math.Log10(history[i].TrainingLoss);
            validation[i] = Math.Log10(history[i].ValidationLoss ?? double.NaN);
        }

        var plot = new ScottPlot.Plot();
        AddLine(plot, epochs, training, ScottPlot.Colors.Blue, "training MSE (mean over the epoch's batches)");
        AddLine(plot, epochs, validation, ScottPlot.Colors.Orange, "validation MSE (after the epoch)");
        // The values are log10(MSE): ticks at powers of ten, labelled with the MSE itself.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture),
        };
        SaveWithLegend(plot, path, title, "epoch", "MSE (log scale)");
    }

    private static void AddLine(ScottPlot.Plot plot, double[] xs, double[] ys, ScottPlot.Color color, string legend)
    {
        var line = plot.Add.ScatterLine(xs, ys);
        line.Color = color;
        line.LineWidth = 2;
        line.LegendText = legend;
    }

    private static void SaveWithLegend(ScottPlot.Plot plot, string path, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 600);
    }
}
