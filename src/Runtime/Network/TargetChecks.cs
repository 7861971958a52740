using System;
using System.Globalization;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>
/// What a loss can take as a target, checked where targets enter: the generated Backward and ComputeLoss (through
/// <see cref="NetworkArguments"/>) and a <see cref="Dataset"/> given to the <see cref="Trainer"/> or <see cref="Lbfgs"/>.
/// Each check is one or two vectorised passes when the targets are fine and allocates nothing; it describes the first
/// bad value only when there is one.
/// </summary>
internal static class TargetChecks
{
    /// <summary>How far a softmax cross-entropy target row may sum from 1: float rows of probabilities (label smoothing,
    /// a teacher's softmax) carry rounding of about size × 6e-8, far below it; a row that is not a distribution misses by more.</summary>
    public const float DistributionTolerance = 1e-3f;

    /// <summary>Null when every target is in [0, 1]; otherwise names the first one that is not (NaN included).</summary>
    public static string? BinaryProblem(ReadOnlySpan<float> targets, int size, string name)
    {
        // Min and Max return NaN when a value is NaN, and NaN fails both comparisons.
        if (targets.IsEmpty || TensorPrimitives.Min(targets) >= 0f && TensorPrimitives.Max(targets) <= 1f)
            return null;
        int index = 0;
        while (targets[index] is >= 0f and <= 1f)
            index++;
        return $"{Element(targets, size, name, index)}: binary cross-entropy takes targets in [0, 1], the probability that the answer is yes (usually 0 or 1).";
    }

    /// <summary>Null when each row of <paramref name="size"/> targets is a probability distribution: no negative entry, and a sum of 1.</summary>
    public static string? DistributionProblem(ReadOnlySpan<float> targets, int size, string name)
    {
        if (targets.IsEmpty)
            return null;
        const string Rule = "softmax cross-entropy takes each sample's targets as a probability distribution over the classes " +
            "(no negative entry, summing to 1), such as a one-hot row; for class indices, use BackwardOnLabels and ComputeLossOnLabels, or a LabelDataset.";
        if (!(TensorPrimitives.Min(targets) >= 0f))
        {
            int index = 0;
            while (targets[index] >= 0f)
                index++;
            return $"{Element(targets, size, name, index)}: {Rule}";
        }
        for (int start = 0; start + size <= targets.Length; start += size)
        {
            float sum = TensorPrimitives.Sum(targets.Slice(start, size));
            if (!(MathF.Abs(sum - 1f) <= DistributionTolerance))
                return $"{name}[{start}..{start + size}] (sample {start / size}) sums to {sum.ToString("R", CultureInfo.InvariantCulture)}: {Rule}";
        }
        return null;
    }

    /// <summary>Null when every label is a class index in [0, <paramref name="classCount"/>).</summary>
    public static string? LabelProblem(ReadOnlySpan<int> labels, int classCount, string name)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                return $"{name}[{i}] is {labels[i]} (sample {i}): a label is a class index in [0, {classCount}), one per sample.";
        }
        return null;
    }

    /// <summary>"targets[5] is 2 (sample 2, value 1)", as a <see cref="Dataset"/> names a bad input.</summary>
    private static string Element(ReadOnlySpan<float> targets, int size, string name, int index) =>
        $"{name}[{index}] is {Finite.Describe(targets[index])} (sample {index / size}, value {index % size})";
}
