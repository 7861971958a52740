using System;

namespace NetGen.Samples.Data;

/// <summary>Rows of numeric features with an integer class label each: features row-major [Count, FeatureCount].</summary>
public sealed class LabelledTable
{
    public LabelledTable(float[] features, int[] labels, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length != labels.Length * featureCount)
            throw new ArgumentException($"{labels.Length} rows of {featureCount} features need {labels.Length * featureCount} values; {features.Length} were given.", nameof(features));
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    public float[] Features { get; }

    public int[] Labels { get; }

    public int FeatureCount { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>The rows whose index (from 0, in the file's order) satisfies <paramref name="keep"/>, in order.</summary>
    public LabelledTable Where(Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        int count = 0;
        for (int i = 0; i < Count; i++)
            if (keep(i))
                count++;
        var features = new float[count * FeatureCount];
        var labels = new int[count];
        for (int i = 0, j = 0; i < Count; i++)
        {
            if (!keep(i))
                continue;
            Row(i).CopyTo(features.AsSpan(j * FeatureCount));
            labels[j++] = Labels[i];
        }
        return new LabelledTable(features, labels, FeatureCount);
    }
}
