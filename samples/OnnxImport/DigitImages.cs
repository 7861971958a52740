using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace NetGen.Samples.OnnxImport;

/// <summary>Images of digits and their labels: <see cref="DigitImages.Side"/>² pixels in [0, 1] per row.</summary>
public sealed record DigitSet(float[] Features, int[] Labels)
{
    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * DigitImages.Pixels, DigitImages.Pixels);
}

/// <summary>
/// The 8 × 8 digits as the PyTorch script read them (pixels 0–16 scaled to 0–1, every fifth row a test row), and the
/// "new data": the same digits one pixel to the right. Its own reader of the repository's gzipped CSV keeps the sample
/// free of packages that NativeAOT publishing would warn about.
/// </summary>
public static class DigitImages
{
    public const int Side = 8, Pixels = Side * Side, Classes = 10;

    /// <summary>samples/data/digits.csv.gz, copied beside the program.</summary>
    public static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>Learning and test rows (test: index % 5 == 4, the script's split and samples/Digits'), pixels divided by 16.</summary>
    public static (DigitSet Training, DigitSet Test) Load()
    {
        var (features, labels) = Read(DataPath);
        List<float> trainFeatures = [], testFeatures = [];
        List<int> trainLabels = [], testLabels = [];
        for (int n = 0; n < labels.Length; n++)
        {
            bool test = n % 5 == 4;
            (test ? testFeatures : trainFeatures).AddRange(features.AsSpan(n * Pixels, Pixels));
            (test ? testLabels : trainLabels).Add(labels[n]);
        }
        return (new DigitSet([.. trainFeatures], [.. trainLabels]), new DigitSet([.. testFeatures], [.. testLabels]));
    }

    /// <summary>Rows of 64 pixels (0–16) and a label (0–9), no header; every other line is an error naming its number.</summary>
    public static (float[] Features, int[] Labels) Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        List<float> features = [];
        List<int> labels = [];
        int number = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length == 0)
                continue;
            string[] fields = line.Split(',');
            if (fields.Length != Pixels + 1)
                throw new InvalidDataException($"{path}, line {number}: {fields.Length} fields; a digit has {Pixels} pixels and a label.");
            for (int i = 0; i <= Pixels; i++)
            {
                if (!int.TryParse(fields[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 0 || value > (i < Pixels ? 16 : 9))
                    throw new InvalidDataException($"{path}, line {number}, field {i + 1}: '{fields[i]}' is not {(i < Pixels ? "a pixel from 0 to 16" : "a digit from 0 to 9")}.");
                if (i < Pixels)
                    features.Add(value / 16f);
                else
                    labels.Add(value);
            }
        }
        if (labels.Count == 0)
            throw new InvalidDataException($"{path} holds no digits.");
        return ([.. features], [.. labels]);
    }

    /// <summary>Every image moved one pixel to the right (the left column empty): what a misaligned scanner would send.</summary>
    public static DigitSet ShiftedRight(DigitSet set)
    {
        var features = new float[set.Features.Length];
        for (int n = 0; n < set.Count; n++)
            for (int row = 0; row < Side; row++)
                for (int column = 1; column < Side; column++)
                    features[(n * Side + row) * Side + column] = set.Features[(n * Side + row) * Side + column - 1];
        return new DigitSet(features, set.Labels);
    }

    /// <summary>The share of <paramref name="set"/>'s rows whose most probable class is their label.</summary>
    public static double Accuracy(DigitsCnn network, DigitSet set)
    {
        var probabilities = new float[set.Count * Classes];
        Trainer.Predict(network, set.Features, probabilities);
        var predicted = new int[set.Count];
        ClassificationMetrics.ArgMax(probabilities, Classes, predicted);
        return ClassificationMetrics.Accuracy(set.Labels, predicted);
    }
}
