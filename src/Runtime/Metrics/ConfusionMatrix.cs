using System;

namespace NetGen;

/// <summary>
/// Counts of (true class, predicted class) pairs over classes 0 … <see cref="ClassCount"/> − 1: row = true class,
/// column = predicted class, as scikit-learn's <c>confusion_matrix</c>. <see cref="Add(int, int)"/> allocates nothing, so
/// a matrix can be filled batch by batch. Precision, recall and F1 of a class with nothing to divide by are 0, as
/// scikit-learn's <c>zero_division</c> default reports them.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ClassCount = classCount;
        _counts = new long[classCount * classCount];
    }

    /// <summary>The matrix of <paramref name="actual"/> against <paramref name="predicted"/> labels.</summary>
    public static ConfusionMatrix FromLabels(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        var matrix = new ConfusionMatrix(classCount);
        matrix.Add(actual, predicted);
        return matrix;
    }

    /// <summary>Rows and columns.</summary>
    public int ClassCount { get; }

    /// <summary>Pairs counted.</summary>
    public long Total { get; private set; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[CheckClass(actual, nameof(actual)) * ClassCount + CheckClass(predicted, nameof(predicted))];

    /// <summary>Counts one pair.</summary>
    public void Add(int actual, int predicted)
    {
        _counts[CheckClass(actual, nameof(actual)) * ClassCount + CheckClass(predicted, nameof(predicted))]++;
        Total++;
    }

    /// <summary>Counts the pairs (actual[i], predicted[i]).</summary>
    public void Add(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        if (actual.Length != predicted.Length)
            throw new ArgumentException($"{actual.Length} true labels and {predicted.Length} predictions: they must pair up.", nameof(predicted));
        for (int i = 0; i < actual.Length; i++)
        {
            CheckClass(actual[i], nameof(actual));
            CheckClass(predicted[i], nameof(predicted));
        }
        for (int i = 0; i < actual.Length; i++)
            Add(actual[i], predicted[i]);
    }

    /// <summary>Forgets every count.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Total = 0;
    }

    /// <summary>Samples whose true class is <paramref name="c"/> (the row sum).</summary>
    public long Support(int c)
    {
        long sum = 0;
        for (int j = 0; j < ClassCount; j++)
            sum += this[c, j];
        return sum;
    }

    /// <summary>Samples predicted as <paramref name="c"/> (the column sum).</summary>
    public long Predicted(int c)
    {
        long sum = 0;
        for (int i = 0; i < ClassCount; i++)
            sum += this[i, c];
        return sum;
    }

    /// <summary>The fraction on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < ClassCount; c++)
                correct += _counts[c * ClassCount + c];
            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    /// <summary>TP / (TP + FP): of the samples predicted as <paramref name="c"/>, the fraction that are.</summary>
    public double Precision(int c) => Ratio(this[c, c], Predicted(c));

    /// <summary>TP / (TP + FN): of the samples of class <paramref name="c"/>, the fraction found.</summary>
    public double Recall(int c) => Ratio(this[c, c], Support(c));

    /// <summary>2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall.</summary>
    public double F1(int c) => Ratio(2 * this[c, c], Predicted(c) + Support(c));

    /// <summary>The unweighted mean of <see cref="F1"/> over the classes.</summary>
    public double MacroF1
    {
        get
        {
            double sum = 0;
            for (int c = 0; c < ClassCount; c++)
                sum += F1(c);
            return sum / ClassCount;
        }
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private int CheckClass(int c, string name) =>
        (uint)c < (uint)ClassCount ? c
            : throw new ArgumentOutOfRangeException(name, c, $"Class labels must be in 0 … {ClassCount - 1} for this {ClassCount}-class matrix.");
}
