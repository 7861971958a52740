using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NetGen.Samples.FashionMnist;

/// <summary>The sample's pictures: the test confusion matrix as a heat map, and misclassified test images with their labels.</summary>
public static class Plot
{
    /// <summary>At most this many misclassified images are drawn (the full test set has about a thousand).</summary>
    public const int MaxMisclassifiedShown = 40;
    private const int Columns = 8;

    /// <summary>Counts of (true, predicted) on the test images, true class down the side (0 at the top), predicted along the bottom.</summary>
    public static void SaveConfusionMatrix(ConfusionMatrix matrix, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
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
                var text = plot.Add.Text(matrix[i, j].ToString(CultureInfo.InvariantCulture), j, n - 1 - i);
                text.Alignment = ScottPlot.Alignment.MiddleCenter;
                text.LabelFontSize = 14;
                text.LabelFontColor = matrix[i, j] > largest / 2 ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
            }
        var bottom = new ScottPlot.TickGenerators.NumericManual();
        var left = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < n; c++)
        {
            bottom.AddMajor(c, FashionMnistData.ClassNames[c]);
            left.AddMajor(n - 1 - c, FashionMnistData.ClassNames[c]);
        }
        plot.Axes.Bottom.TickGenerator = bottom;
        // Class names are too wide to sit side by side: slanted, with room kept below the axis for the longest.
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Axes.Left.TickGenerator = left;
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title($"Fashion-MNIST, test images: confusion matrix ({matrix.Total:N0} images, accuracy {matrix.Accuracy:P2})");
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        Save(plot, path, 1000, 900);
    }

    /// <summary>
    /// The first <see cref="MaxMisclassifiedShown"/> misclassified test images in the file's order (raw pixels, ink dark),
    /// each labelled with the predicted class over the true one.
    /// </summary>
    public static void SaveMisclassified(ImageSet test, int[] predictions, string path)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Length != test.Count)
            throw new ArgumentException($"{predictions.Length} predictions for {test.Count} test images.", nameof(predictions));
        var wrong = new List<int>();
        for (int i = 0; i < test.Count; i++)
            if (predictions[i] != test.Labels[i])
                wrong.Add(i);
        int shown = Math.Min(wrong.Count, MaxMisclassifiedShown);

        const int side = FashionMnistData.Side, gap = 6, label = 14;   // pixels of an image, between images, and for its two lines of label
        int columns = Math.Clamp(shown, 1, Columns);
        int rows = Math.Max(1, (shown + columns - 1) / columns);
        int width = columns * (side + gap) - gap, height = rows * (side + label);
        var pixels = new double[height, width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                pixels[r, c] = double.NaN;   // background

        var plot = new ScottPlot.Plot();
        for (int k = 0; k < shown; k++)
        {
            int top = k / columns * (side + label), left = k % columns * (side + gap);
            ReadOnlySpan<byte> image = test.Image(wrong[k]);
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    pixels[top + r, left + c] = 255 - image[r * side + c];   // 255 = full ink → 0 = black
            var text = plot.Add.Text($"{FashionMnistData.ClassNames[predictions[wrong[k]]]}\n(true: {FashionMnistData.ClassNames[test.Labels[wrong[k]]]})",
                left + side / 2.0, height - (top + side) - 0.5);
            text.Alignment = ScottPlot.Alignment.UpperCenter;
            text.LabelFontSize = 11;
        }
        var heatmap = plot.Add.Heatmap(pixels);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.NaNCellColor = ScottPlot.Colors.White;
        heatmap.ManualRange = new ScottPlot.Range(0, 255);
        heatmap.Rectangle = new ScottPlot.CoordinateRect(0, width, 0, height);
        plot.MoveToBack(heatmap);
        plot.Axes.SetLimits(-0.5, width + 0.5, -0.5, height + 0.5);
        plot.HideGrid();
        plot.Axes.Frameless();
        plot.Title(shown == wrong.Count
            ? $"Fashion-MNIST: the {wrong.Count:N0} misclassified test images (of {test.Count:N0}): predicted (true)"
            : $"Fashion-MNIST: the first {shown} of {wrong.Count:N0} misclassified test images (of {test.Count:N0}): predicted (true)");
        Save(plot, path, 150 * columns, 200 * rows + 60);
    }

    private static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
