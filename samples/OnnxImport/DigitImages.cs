using System;
using NetGen.Samples.Data;

namespace NetGen.Samples.OnnxImport;

/// <summary>The 8 × 8 digits as the PyTorch script read them (pixels 0–16 scaled to 0–1), and the "new data": the same digits one pixel to the right.</summary>
public static class DigitImages
{
    public const int Side = 8, Classes = 10;

    /// <summary>Learning and test rows (test: index % 5 == 4, the script's split), pixels divided by 16.</summary>
    public static (LabelledTable Training, LabelledTable Test) Load()
    {
        LabelledTable all = PublicDataSets.Digits();
        var scaled = new float[all.Features.Length];
        for (int i = 0; i < scaled.Length; i++)
            scaled[i] = all.Features[i] / 16f;
        return PublicDataSets.Split(new LabelledTable(scaled, all.Labels, all.FeatureCount));
    }

    /// <summary>Every image moved one pixel to the right (the left column empty): what a misaligned scanner would send.</summary>
    public static LabelledTable ShiftedRight(LabelledTable table)
    {
        var features = new float[table.Features.Length];
        for (int n = 0; n < table.Count; n++)
            for (int row = 0; row < Side; row++)
                for (int column = 1; column < Side; column++)
                    features[(n * Side + row) * Side + column] = table.Features[(n * Side + row) * Side + column - 1];
        return new LabelledTable(features, table.Labels, table.FeatureCount);
    }

    /// <summary>The share of <paramref name="table"/>'s rows whose most probable class is their label.</summary>
    public static double Accuracy(DigitsCnn network, LabelledTable table)
    {
        var probabilities = new float[table.Count * Classes];
        Predict(network, table.Features, probabilities);
        var predicted = new int[table.Count];
        NetGen.ClassificationMetrics.ArgMax(probabilities, Classes, predicted);
        return NetGen.ClassificationMetrics.Accuracy(table.Labels, predicted);
    }

    /// <summary>Forward over every row, in batches of the network's largest.</summary>
    public static void Predict(DigitsCnn network, ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int count = inputs.Length / DigitsCnn.InputSize;
        for (int start = 0; start < count; start += network.MaxBatchSize)
        {
            int batch = Math.Min(network.MaxBatchSize, count - start);
            network.Forward(inputs.Slice(start * DigitsCnn.InputSize, batch * DigitsCnn.InputSize),
                outputs.Slice(start * Classes, batch * Classes), batch);
        }
    }
}
