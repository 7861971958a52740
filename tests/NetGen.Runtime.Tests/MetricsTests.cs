using System;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>The metrics against examples worked by hand (each also checked with scikit-learn 1.2.1's functions).</summary>
public class MetricsTests
{
    // Ten samples of three classes:
    //   actual     0 0 0 1 1 1 1 2 2 2
    //   predicted  0 0 1 1 1 2 0 2 2 0
    // rows = actual, columns = predicted:  [[2, 1, 0], [1, 2, 1], [1, 0, 2]]
    private static readonly int[] s_actual = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2];
    private static readonly int[] s_predicted = [0, 0, 1, 1, 1, 2, 0, 2, 2, 0];

    [Fact]
    public void ConfusionMatrix_ThreeClasses_ByHand()
    {
        ConfusionMatrix matrix = ConfusionMatrix.FromLabels(s_actual, s_predicted, 3);

        long[,] expected = { { 2, 1, 0 }, { 1, 2, 1 }, { 1, 0, 2 } };
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(expected[i, j], matrix[i, j]);
        Assert.Equal(10, matrix.Total);
        Assert.Equal(0.6, matrix.Accuracy, 1e-15);
        Assert.Equal(0.6, ClassificationMetrics.Accuracy(s_actual, s_predicted), 1e-15);
        // Class 0: TP 2, predicted 4, support 3. Class 1: TP 2, predicted 3, support 4. Class 2: TP 2, predicted 3, support 3.
        Assert.Equal([0.5, 2.0 / 3, 2.0 / 3], [matrix.Precision(0), matrix.Precision(1), matrix.Precision(2)]);
        Assert.Equal([2.0 / 3, 0.5, 2.0 / 3], [matrix.Recall(0), matrix.Recall(1), matrix.Recall(2)]);
        Assert.Equal(4.0 / 7, matrix.F1(0), 1e-15);   // 2·TP / (2·TP + FP + FN) = 4 / (4 + 2 + 1)
        Assert.Equal(4.0 / 7, matrix.F1(1), 1e-15);   // 4 / (4 + 1 + 2)
        Assert.Equal(2.0 / 3, matrix.F1(2), 1e-15);   // 4 / (4 + 1 + 1)
        Assert.Equal((4.0 / 7 + 4.0 / 7 + 2.0 / 3) / 3, matrix.MacroF1, 1e-15);
    }

    [Fact]
    public void ConfusionMatrix_ClassNeverPredicted_HasPrecisionAndF1Zero_AndBadLabelsThrow()
    {
        ConfusionMatrix matrix = ConfusionMatrix.FromLabels([0, 1, 2], [0, 0, 0], 3);
        Assert.Equal(0, matrix.Precision(1));
        Assert.Equal(0, matrix.F1(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add([0, 1], [0, -1]));
        Assert.Equal(3, matrix.Total);   // a bad pair anywhere in a span counts none of it
        Assert.Throws<ArgumentException>(() => matrix.Add([0, 1], [0]));
    }

    [Fact]
    public void ConfusionMatrix_Add_AllocatesNothing()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(s_actual, s_predicted);
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            matrix.Clear();
            for (int i = 0; i < 100; i++)
                matrix.Add(s_actual, s_predicted);
        }));
        Assert.Equal(1000, matrix.Total);
    }

    // Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.4. Of the nine (positive, negative) pairs, 0.35 beats one,
    // 0.8 beats three, 0.4 beats 0.1 and ties twice (½ each): AUC = (1 + 3 + 2) / 9 = 2/3.
    // Ranks: 0.1 → 1, 0.35 → 2, the three 0.4 → 4 each, 0.8 → 6; U = (2 + 4 + 6) − 3·4/2 = 6.
    private static readonly float[] s_targets = [0, 0, 1, 1, 0, 1];
    private static readonly float[] s_scores = [0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.4f];

    [Fact]
    public void RocAuc_WithTies_IsTheMannWhitneyStatistic()
    {
        Assert.Equal(2.0 / 3, ClassificationMetrics.RocAuc(s_targets, s_scores), 1e-15);
        // Without the tie (the positive 0.4 raised to 0.45) it beats both 0.4 negatives: 7/9.
        Assert.Equal(7.0 / 9, ClassificationMetrics.RocAuc(s_targets, [0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.45f]), 1e-15);
        Assert.Equal(1.0, ClassificationMetrics.RocAuc([0, 1], [0.2f, 0.9f]));
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([0, 1, 0, 1], [0.5f, 0.5f, 0.5f, 0.5f]));
    }

    [Fact]
    public void RocCurve_WithTies_MovesDiagonally_AndItsAreaIsTheAuc()
    {
        RocCurve curve = ClassificationMetrics.RocCurve(s_targets, s_scores);

        // Thresholds ∞, 0.8, 0.4, 0.35, 0.1: the tie at 0.4 adds one positive and two negatives in one step.
        Assert.Equal([float.PositiveInfinity, 0.8f, 0.4f, 0.35f, 0.1f], curve.Thresholds);
        Assert.Equal([0, 0, 2.0 / 3, 2.0 / 3, 1], curve.FalsePositiveRates);
        Assert.Equal([0, 1.0 / 3, 2.0 / 3, 1, 1], curve.TruePositiveRates);
        Assert.Equal(2.0 / 3, curve.Area(), 1e-15);
    }

    [Fact]
    public void RocAuc_OneClassOrBadTargets_IsAClearError()
    {
        Assert.Contains("both classes", Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([1, 1], [0.2f, 0.3f])).Message);
        Assert.Contains("must be 0 or 1", Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([0, 2], [0.2f, 0.3f])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([0, 1], [float.NaN, 0.3f])).Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([0, 1], [0.3f]));
    }

    [Fact]
    public void LogLoss_ByHand_AndClipped()
    {
        // −(ln 0.8 + ln 0.6) / 2
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6)) / 2, ClassificationMetrics.BinaryLogLoss([1, 0], [0.8f, 0.4f]), 1e-7);
        // Rows (0.7, 0.2, 0.1) with label 0 and (0.1, 0.3, 0.6) with label 2: −(ln 0.7 + ln 0.6) / 2.
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.6)) / 2, ClassificationMetrics.LogLoss([0, 2], [0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f], 3), 1e-7);
        // A certain mistake costs −ln 1e−15, not ∞.
        Assert.Equal(-Math.Log(1e-15), ClassificationMetrics.BinaryLogLoss([1], [0f]), 1e-9);
        Assert.Equal(-Math.Log(1e-15), ClassificationMetrics.LogLoss([1], [1f, 0f], 2), 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.LogLoss([2], [0.5f, 0.5f], 2));
    }

    [Fact]
    public void ArgMax_AndBinaryAccuracy()
    {
        var predicted = new int[3];
        ClassificationMetrics.ArgMax([0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0f, 0f, 0.1f, 0.9f], 3, predicted);
        Assert.Equal([1, 0, 2], predicted);   // a tie goes to the first
        Assert.Equal(0.75, ClassificationMetrics.BinaryAccuracy([1, 0, 1, 0], [0.9f, 0.2f, 0.4f, 0.5f]));   // 0.5 is not above 0.5
    }
}
