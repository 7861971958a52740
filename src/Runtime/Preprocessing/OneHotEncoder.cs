using System;

namespace NetGen;

/// <summary>
/// One-hot encoding of integer class labels, fitted on the training labels: the classes are the distinct labels seen,
/// in increasing order, and class i is the vector with a 1 at position i. A label that was not among the training labels
/// is an error, never a silent row of zeros. <see cref="Encode(ReadOnlySpan{int}, Span{float})"/> and
/// <see cref="IndexOf"/> allocate nothing.
/// </summary>
public sealed class OneHotEncoder
{
    private readonly int[] _classes;

    private OneHotEncoder(int[] classes) => _classes = classes;

    /// <summary>The classes, in increasing order: the label of output position i is <c>Classes[i]</c>.</summary>
    public ReadOnlySpan<int> Classes => _classes;

    /// <summary>The width of each encoded row.</summary>
    public int ClassCount => _classes.Length;

    /// <summary>Finds the classes among <paramref name="labels"/>.</summary>
    public static OneHotEncoder Fit(ReadOnlySpan<int> labels)
    {
        if (labels.IsEmpty)
            throw new ArgumentException("One-hot encoding needs at least one training label.", nameof(labels));
        int[] sorted = labels.ToArray();
        Array.Sort(sorted);
        int distinct = 1;
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i] != sorted[distinct - 1])
                sorted[distinct++] = sorted[i];
        return new OneHotEncoder(sorted[..distinct]);
    }

    /// <summary>The classes 0, 1, …, <paramref name="classCount"/> − 1, whether or not the training labels show all of them.</summary>
    public static OneHotEncoder ForClasses(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var classes = new int[classCount];
        for (int i = 0; i < classCount; i++)
            classes[i] = i;
        return new OneHotEncoder(classes);
    }

    /// <summary>The output position of <paramref name="label"/>; an unseen label throws.</summary>
    public int IndexOf(int label)
    {
        int index = Array.BinarySearch(_classes, label);
        if (index < 0)
            throw new ArgumentException(
                $"The label {label} was not among the training labels ({Describe()}): the model has no output for it.", nameof(label));
        return index;
    }

    /// <summary>The label of output position <paramref name="index"/>.</summary>
    public int LabelAt(int index) => _classes[index];

    /// <summary>Writes one row of <see cref="ClassCount"/> values per label to <paramref name="destination"/>. Allocation-free.</summary>
    public void Encode(ReadOnlySpan<int> labels, Span<float> destination)
    {
        if (destination.Length < labels.Length * ClassCount)
            throw new ArgumentException($"{labels.Length} labels need {labels.Length * ClassCount} values; the destination holds {destination.Length}.", nameof(destination));
        // Every label is checked before anything is written: a bad label leaves the destination untouched.
        foreach (int label in labels)
            IndexOf(label);
        destination[..(labels.Length * ClassCount)].Clear();
        for (int n = 0; n < labels.Length; n++)
            destination[n * ClassCount + IndexOf(labels[n])] = 1f;
    }

    /// <summary>A new array of the encoded rows, [labels.Length, <see cref="ClassCount"/>].</summary>
    public float[] Encode(ReadOnlySpan<int> labels)
    {
        var encoded = new float[labels.Length * ClassCount];
        Encode(labels, encoded);
        return encoded;
    }

    private string Describe() =>
        _classes.Length <= 12 ? string.Join(", ", _classes) : $"{_classes.Length} classes from {_classes[0]} to {_classes[^1]}";
}
