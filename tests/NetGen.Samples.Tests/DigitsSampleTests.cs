using System;
using System.Globalization;
using System.IO;
using NetGen.Samples.Digits;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>The digits MLP: the split, the target accuracy, and the printed scores against counts made here from the predictions.</summary>
[Collection(ConsoleCollection.Name)]
public class DigitsSampleTests
{
    private static readonly Lazy<Split> s_split = new(Problem.Load);
    private static readonly Lazy<Result> s_result = new(() => Experiment.Run(s_split.Value));

    [Fact]
    public void Split_FollowsTheProtocol()
    {
        Split split = s_split.Value;
        Assert.Equal(359, split.Test.Count);          // indices 4, 9, …, 1794
        Assert.Equal(180, split.Validation.Count);    // indices 3, 13, …, 1793
        Assert.Equal(1258, split.Learning.Count);
        Assert.Equal(10, split.Encoder.ClassCount);
        // One-hot targets agree with the labels, and the test pixels are the raw 0–16 values.
        for (int i = 0; i < split.Test.Count; i++)
            Assert.Equal(1f, split.Test.Targets[i * 10 + split.TestLabels[i]]);
        Assert.All(split.TestPixels, v => Assert.InRange(v, 0f, 16f));
        // Standardised with the learning rows only: their pixels have mean 0 and, where not constant, σ 1.
        var learning = split.Learning;
        for (int k = 0; k < learning.InputSize; k++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < learning.Count; i++)
                sum += learning.Inputs[i * learning.InputSize + k];
            double mean = sum / learning.Count;
            for (int i = 0; i < learning.Count; i++)
                squares += Math.Pow(learning.Inputs[i * learning.InputSize + k] - mean, 2);
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(Array.IndexOf(split.Standardizer.ConstantColumnIndices, k) >= 0 ? 0 : 1, Math.Sqrt(squares / learning.Count), 1e-4);
        }
    }

    [Fact]
    public void Model_ReachesTheTarget_AndItsScoresAreTheCountsOfItsPredictions()
    {
        Split split = s_split.Value;
        Result result = s_result.Value;

        Assert.True(result.TestAccuracy >= 0.97, $"test accuracy {result.TestAccuracy:P2}");
        Assert.True(result.BestEpoch < result.Epochs && result.StoppedEarly, $"best epoch {result.BestEpoch} of {result.Epochs}");
        int correct = 0;
        for (int i = 0; i < split.TestLabels.Length; i++)
            if (result.TestPredictions[i] == split.TestLabels[i])
                correct++;
        Assert.Equal((double)correct / split.TestLabels.Length, result.TestAccuracy);
        for (int c = 0; c < 10; c++)
        {
            (int tp, int fp, int fn) = Counts(split.TestLabels, result.TestPredictions, c);
            Assert.Equal(2.0 * tp / (2 * tp + fp + fn), result.Confusion.F1(c), 1e-12);
        }
        // The log loss from the model's probabilities, in double, here.
        float[] probabilities = Experiment.Probabilities(result.Model, split.Test);
        double loss = 0;
        for (int i = 0; i < split.TestLabels.Length; i++)
            loss -= Math.Log(Math.Max(probabilities[i * 10 + split.TestLabels[i]], 1e-15));
        Assert.Equal(loss / split.TestLabels.Length, result.TestLogLoss, 1e-9);
    }

    [Fact]
    public void Sample_PrintsTheAccuracyAndEachClassF1_AndWritesThePictures()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"netgen-digits-{Guid.NewGuid():N}");
        try
        {
            string output = SampleRunner.Run(typeof(Experiment).Assembly, "--out", folder);
            Split split = s_split.Value;
            Result result = s_result.Value;   // the run is deterministic: the sample must print these numbers

            Assert.StartsWith($"test accuracy: {result.TestAccuracy.ToString("P2", CultureInfo.CurrentCulture)} ({(int)Math.Round(result.TestAccuracy * 359)} of 359)",
                SampleRunner.Line(output, "test accuracy: "));
            Assert.Contains($"(best {result.BestEpoch}, ", SampleRunner.Line(output, "epochs: "));
            for (int c = 0; c < 10; c++)
            {
                string[] cells = SampleRunner.Line(output, $"{c,5} ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                (int tp, int fp, int fn) = Counts(split.TestLabels, result.TestPredictions, c);
                Assert.Equal(c.ToString(CultureInfo.CurrentCulture), cells[0]);
                Assert.Equal((tp + fp == 0 ? 0 : (double)tp / (tp + fp)).ToString("F4", CultureInfo.CurrentCulture), cells[1]);
                Assert.Equal(((double)tp / (tp + fn)).ToString("F4", CultureInfo.CurrentCulture), cells[2]);
                Assert.Equal((2.0 * tp / (2 * tp + fp + fn)).ToString("F4", CultureInfo.CurrentCulture), cells[3]);
                Assert.Equal((tp + fn).ToString(CultureInfo.CurrentCulture), cells[4]);
            }
            Assert.Contains(result.Confusion.MacroF1.ToString("F4", CultureInfo.CurrentCulture), SampleRunner.Line(output, "macro"));
            foreach (string picture in new[] { "Digits.confusion.png", "Digits.misclassified.png" })
                Assert.True(new FileInfo(Path.Combine(folder, picture)).Length > 10_000, $"{picture} is missing or empty");
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static (int TruePositives, int FalsePositives, int FalseNegatives) Counts(int[] actual, int[] predicted, int c)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (predicted[i] == c && actual[i] == c) tp++;
            else if (predicted[i] == c) fp++;
            else if (actual[i] == c) fn++;
        }
        return (tp, fp, fn);
    }
}
