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
        var trueLine = plot.Add.ScatterLine(xs, truth);
        trueLine.Color = ScottPlot.Colors.Red;
        trueLine.LineWidth = 2;
        trueLine.LegendText = "f_true(x) = (x − 2)·cos(4x)";
        var learnedLine = plot.Add.ScatterLine(xs, learned);
        learnedLine.Color = ScottPlot.Colors.Blue;
        learnedLine.LineWidth = 2;
        learnedLine.LegendText = "learned by ThreeLayerMlp";
        plot.Axes.SetLimits(-2, 2, -6, 6);
        plot.Title(title);
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 600);
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
        var trainingLine = plot.Add.ScatterLine(epochs, training);
        trainingLine.Color = ScottPlot.Colors.Blue;
        trainingLine.LineWidth = 2;
        trainingLine.LegendText = "training MSE (mean over the epoch's batches)";
        var validationLine = plot.Add.ScatterLine(epochs, validation);
        validationLine.Color = ScottPlot.Colors.Orange;
        validationLine.LineWidth = 2;
        validationLine.LegendText = "validation MSE (after the epoch)";
        // The values are log10(MSE): ticks at powers of ten, labelled with the MSE itself.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("MSE (log scale)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 600);
    }
}
