using System;
using System.IO;

namespace NetGen.Samples.Digits;

/// <summary>The sample's pictures: the test confusion matrix as a heat map, and the misclassified test digits.</summary>
public static class Plot
{
    /// <summary>Counts of (true, predicted) on the test rows, true digit down the side (0 at the top), predicted along the bottom.</summary>
    public static void SaveConfusionMatrix(ConfusionMatrix matrix, string path)
    {
        int n = matrix.ClassCount;
        var counts = new double[n, n];
        long largest = 1;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                counts[i, j] = matrix[i, j];
                largest = Math.Max(largest, matrix[i, j]);
            }

        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // Cell (i, j) is centred on x = j, y = n − 1 − i: heat-map row 0 is drawn at the top.
        heatmap.Rectangle = new ScottPlot.CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Add.ColorBar(heatmap);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (matrix[i, j] == 0)
                    continue;
                var text = plot.Add.Text(matrix[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture), j, n - 1 - i);
                text.Alignment = ScottPlot.Alignment.MiddleCenter;
                text.LabelFontSize = 16;
                text.LabelFontColor = matrix[i, j] > largest / 2 ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
            }
        var bottom = new ScottPlot.TickGenerators.NumericManual();
        var left = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < n; c++)
        {
            bottom.AddMajor(c, c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            left.AddMajor(n - 1 - c, c.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        plot.Axes.Bottom.TickGenerator = bottom;
        plot.Axes.Left.TickGenerator = left;
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title($"Digits, test rows: confusion matrix ({matrix.Total} images, accuracy {matrix.Accuracy:P2})");
        plot.XLabel("predicted digit");
        plot.YLabel("true digit");
        Save(plot, path, 800, 700);
    }

    /// <summary>Every misclassified test image (raw pixels, ink dark), labelled with the predicted and the true digit.</summary>
    public static void SaveMisclassified(Split split, Result result, string path)
    {
        var wrong = new System.Collections.Generic.List<int>();
        for (int i = 0; i < split.TestLabels.Length; i++)
            if (result.TestPredictions[i] != split.TestLabels[i])
                wrong.Add(i);

        const int side = 8, gap = 2, label = 3;   // pixels of an image, the space between images, the space for a label
        int columns = Math.Clamp(wrong.Count, 1, 6);
        int rows = Math.Max(1, (wrong.Count + columns - 1) / columns);
        int width = columns * (side + gap) - gap, height = rows * (side + label) - label + label;
        var pixels = new double[height, width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                pixels[r, c] = double.NaN;   // background

        var plot = new ScottPlot.Plot();
        for (int k = 0; k < wrong.Count; k++)
        {
            int top = k / columns * (side + label), left = k % columns * (side + gap);
            ReadOnlySpan<float> image = split.TestPixels.AsSpan(wrong[k] * Problem.Pixels, Problem.Pixels);
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    pixels[top + r, left + c] = 16 - image[r * side + c];   // 16 = full ink → 0 = black
            int predicted = split.Encoder.LabelAt(result.TestPredictions[wrong[k]]), truth = split.Encoder.LabelAt(split.TestLabels[wrong[k]]);
            var text = plot.Add.Text($"predicted {predicted}, true {truth}", left + side / 2.0, height - (top + side) - 0.3);
            text.Alignment = ScottPlot.Alignment.UpperCenter;
            text.LabelFontSize = 13;
        }
        var heatmap = plot.Add.Heatmap(pixels);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.NaNCellColor = ScottPlot.Colors.White;
        heatmap.ManualRange = new ScottPlot.Range(0, 16);
        heatmap.Rectangle = new ScottPlot.CoordinateRect(0, width, 0, height);
        plot.MoveToBack(heatmap);
        plot.Axes.SetLimits(-0.5, width + 0.5, -0.5, height + 0.5);
        plot.HideGrid();
        plot.Axes.Frameless();
        plot.Title($"Digits: the {wrong.Count} misclassified test images (of {split.TestLabels.Length})");
        Save(plot, path, 160 * columns, 190 * rows + 60);
    }

    private static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
