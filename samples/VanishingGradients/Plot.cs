using System;
using System.Collections.Generic;
using System.IO;

namespace NetGen.Samples.VanishingGradients;

/// <summary>Problem M's figure: log₁₀ of each layer's gradient norm, one line per chain and initialisation.</summary>
public static class Plot
{
    public static void Save(IReadOnlyDictionary<Initialization, ChainMeasurement> sigmoid, IReadOnlyDictionary<Initialization, ChainMeasurement> tanh, string path)
    {
        var plot = new ScottPlot.Plot();
        ScottPlot.Color[] colors = [ScottPlot.Colors.Red, ScottPlot.Colors.Blue, ScottPlot.Colors.Green];
        foreach ((string chain, IReadOnlyDictionary<Initialization, ChainMeasurement> measurements) in new[] { ("sigmoid", sigmoid), ("tanh", tanh) })
        {
            int c = 0;
            foreach ((Initialization initialization, ChainMeasurement measurement) in measurements)
            {
                double[] norms = measurement.GradientNorms;
                var layers = new double[norms.Length];
                var logs = new double[norms.Length];
                for (int i = 0; i < norms.Length; i++)
                {
                    layers[i] = i + 1;
                    logs[i] = Math.Log10(norms[i]);
                }
                var line = plot.Add.Scatter(layers, logs);
                line.Color = colors[c++ % colors.Length];
                line.LineWidth = 2;
                line.MarkerSize = 7;
                line.LinePattern = chain == "tanh" ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Solid;
                line.LegendText = $"{chain}, {Label(initialization)}";
            }
        }
        plot.Title($"Problem M: gradient norm per layer, 10 layers of {Problem.Width} units + 1 output");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.XLabel("layer i (1 = next to the input, 11 = output)");
        plot.YLabel("log10 ‖∂L/∂W_i‖");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 600);
    }

    public static string Label(Initialization initialization) => initialization switch
    {
        Initialization.StandardNormal => "N(0, 1)",
        Initialization.Xavier => "Xavier N(0, 1/n_in)",
        _ => "Glorot N(0, 2/(n_in + n_out))",
    };

    public static string ShortLabel(Initialization initialization) => initialization switch
    {
        Initialization.StandardNormal => "N(0, 1)",
        Initialization.Xavier => "Xavier",
        _ => "Glorot",
    };
}
