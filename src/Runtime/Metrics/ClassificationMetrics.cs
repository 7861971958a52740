using System;

namespace NetGen;

/// <summary>
/// Scores of a classifier's outputs against the true labels, with scikit-learn's definitions. Binary problems take the
/// network's output as the probability (or any score) of class 1 and targets 0 or 1, as a <see cref="Dataset"/> holds
/// them; multi-class problems take integer labels and rows of class probabilities.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] in the log losses, as scikit-learn 1.2's <c>log_loss</c>, so that a confident mistake costs ln(1/ε) ≈ 34.5, not ∞.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>The fraction of <paramref name="predicted"/> equal to <paramref name="actual"/>.</summary>
    public static double Accuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        CheckPaired(actual.Length, predicted.Length);
        int correct = 0;
        for (int i = 0; i < actual.Length; i++)
            if (actual[i] == predicted[i])
                correct++;
        return (double)correct / actual.Length;
    }

    /// <summary>The fraction of binary <paramref name="targets"/> (0 or 1) on the same side of <paramref name="threshold"/> as <paramref name="scores"/>.</summary>
    public static double BinaryAccuracy(ReadOnlySpan<float> targets, ReadOnlySpan<float> scores, float threshold = 0.5f)
    {
        CheckPaired(targets.Length, scores.Length);
        int correct = 0;
        for (int i = 0; i < targets.Length; i++)
            if ((scores[i] > threshold) == IsPositive(targets[i], i))
                correct++;
        return (double)correct / targets.Length;
    }

    /// <summary>The index of the largest value of each row of <paramref name="classCount"/> outputs (the first on a tie). Allocation-free.</summary>
    public static void ArgMax(ReadOnlySpan<float> outputs, int classCount, Span<int> predicted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (outputs.Length % classCount != 0 || predicted.Length < outputs.Length / classCount)
            throw new ArgumentException($"{outputs.Length} outputs in rows of {classCount} need {outputs.Length / classCount} predictions; the destination holds {predicted.Length}.", nameof(predicted));
        for (int n = 0; n < outputs.Length / classCount; n++)
        {
            ReadOnlySpan<float> row = outputs.Slice(n * classCount, classCount);
            int best = 0;
            for (int c = 1; c < classCount; c++)
                if (row[c] > row[best])
                    best = c;
            predicted[n] = best;
        }
    }

    /// <summary>Mean over samples of −ln p(true class), with <paramref name="probabilities"/> row-major [n, <paramref name="classCount"/>].</summary>
    public static double LogLoss(ReadOnlySpan<int> actual, ReadOnlySpan<float> probabilities, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        CheckPaired(actual.Length * classCount, probabilities.Length);
        double sum = 0;
        for (int n = 0; n < actual.Length; n++)
        {
            if ((uint)actual[n] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(actual), actual[n], $"Labels must be in 0 … {classCount - 1}.");
            sum -= Math.Log(Clip(probabilities[n * classCount + actual[n]], n));
        }
        return sum / actual.Length;
    }

    /// <summary>Mean binary cross-entropy −[y ln p + (1 − y) ln(1 − p)], p = the probability of class 1.</summary>
    public static double BinaryLogLoss(ReadOnlySpan<float> targets, ReadOnlySpan<float> probabilities)
    {
        CheckPaired(targets.Length, probabilities.Length);
        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double p = Clip(probabilities[i], i);
            sum -= IsPositive(targets[i], i) ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / targets.Length;
    }

    /// <summary>
    /// The area under the ROC curve: the probability that a random positive scores above a random negative, a tie
    /// counting one half. Computed as the Mann–Whitney U statistic from the ranks of the scores, tied scores sharing their
    /// average rank, which equals the trapezoidal area under <see cref="RocCurve"/>. Needs both classes; allocates the sort order.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<float> targets, ReadOnlySpan<float> scores)
    {
        int[] order = SortedOrder(targets, scores, out int positives);
        int n = order.Length;
        double positiveRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && scores[order[end]] == scores[order[start]])
                end++;
            double averageRank = (start + 1 + end) / 2.0;   // ranks start + 1 … end share their mean
            for (int i = start; i < end; i++)
                if (targets[order[i]] == 1f)
                    positiveRankSum += averageRank;
            start = end;
        }
        double negatives = n - positives;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
    }

    /// <summary>
    /// The ROC curve: one point (false-positive rate, true-positive rate) per distinct score, from the highest threshold
    /// down, starting at (0, 0) and ending at (1, 1); tied scores move the curve diagonally, as scikit-learn's <c>roc_curve</c>
    /// with <c>drop_intermediate=False</c>. Threshold i classifies scores ≥ it as positive (the first is +∞).
    /// </summary>
    public static RocCurve RocCurve(ReadOnlySpan<float> targets, ReadOnlySpan<float> scores)
    {
        int[] order = SortedOrder(targets, scores, out int positives);
        Array.Reverse(order);
        int n = order.Length;
        double negatives = n - positives;
        var fpr = new System.Collections.Generic.List<double> { 0 };
        var tpr = new System.Collections.Generic.List<double> { 0 };
        var thresholds = new System.Collections.Generic.List<float> { float.PositiveInfinity };
        int truePositives = 0, falsePositives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            float score = scores[order[start]];
            for (; end < n && scores[order[end]] == score; end++)
            {
                if (targets[order[end]] == 1f)
                    truePositives++;
                else
                    falsePositives++;
            }
            fpr.Add(falsePositives / negatives);
            tpr.Add(truePositives / (double)positives);
            thresholds.Add(score);
            start = end;
        }
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), thresholds.ToArray());
    }

    private static int[] SortedOrder(ReadOnlySpan<float> targets, ReadOnlySpan<float> scores, out int positives)
    {
        CheckPaired(targets.Length, scores.Length);
        positives = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            if (IsPositive(targets[i], i))
                positives++;
            if (float.IsNaN(scores[i]))
                throw new ArgumentException($"Score {i} is NaN: a ROC curve needs ordered scores.", nameof(scores));
        }
        if (positives == 0 || positives == targets.Length)
            throw new ArgumentException(
                $"ROC AUC needs both classes among the targets; all {targets.Length} are {(positives == 0 ? 0 : 1)}.", nameof(targets));
        var order = new int[targets.Length];
        var keys = scores.ToArray();
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(keys, order);
        return order;
    }

    private static bool IsPositive(float target, int index) => target switch
    {
        1f => true,
        0f => false,
        _ => throw new ArgumentException($"Target {index} is {target}: binary targets must be 0 or 1.", "targets"),
    };

    private static double Clip(float probability, int index)
    {
        if (float.IsNaN(probability))
            throw new ArgumentException($"Probability {index} is NaN.", "probabilities");
        return Math.Clamp(probability, LogLossEpsilon, 1 - LogLossEpsilon);
    }

    private static void CheckPaired(int expected, int actual)
    {
        if (expected == 0)
            throw new ArgumentException("There are no samples to score.");
        if (expected != actual)
            throw new ArgumentException($"{expected} values were expected to pair with the labels; {actual} were given.");
    }
}

/// <summary>A ROC curve's points, from the highest threshold to the lowest: (<see cref="FalsePositiveRates"/>[i], <see cref="TruePositiveRates"/>[i]) at <see cref="Thresholds"/>[i].</summary>
public sealed record RocCurve(double[] FalsePositiveRates, double[] TruePositiveRates, float[] Thresholds)
{
    /// <summary>The trapezoidal area under the points (equal to <see cref="ClassificationMetrics.RocAuc"/>).</summary>
    public double Area()
    {
        double area = 0;
        for (int i = 1; i < FalsePositiveRates.Length; i++)
            area += (FalsePositiveRates[i] - FalsePositiveRates[i - 1]) * (TruePositiveRates[i] + TruePositiveRates[i - 1]) / 2;
        return area;
    }
}
