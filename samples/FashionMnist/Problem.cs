using System;

namespace NetGen.Samples.FashionMnist;

/// <summary>The protocol and the training settings.</summary>
public static class Problem
{
    public const int Classes = FashionMnistData.Classes;

    public const float LearningRate = 1e-3f;
    public const int BatchSize = 64;
    /// <summary>Batches of the forward passes that score a set (larger than the training batches: fewer calls).</summary>
    public const int EvaluationBatchSize = 256;
    /// <summary>
    /// Epochs without a lower validation loss before training stops (the best epoch's weights are put back). On the full
    /// set the validation loss bottoms out after about 10–15 epochs and climbs as LeNet starts to memorise; on the subset's
    /// 100 validation images it is noisy, and a patience of 3 stopped seed 1 at 69 % instead of 80 %.
    /// </summary>
    public const int Patience = 5;
    public const ulong Seed = 1;
    /// <summary>
    /// The epoch limit when --epochs is not given: 3 on a large set (the full set's 54,000 learning images: 87 % after 3
    /// epochs, 7 s on a quiet Zen 5 core instead of 20–25 s to early stopping; `dotnet test` runs the plain
    /// command), 100 on a small one (the subset, where early stopping ends training after 15–35 epochs of a tenth of a second).
    /// </summary>
    public static int DefaultMaxEpochs(int learningImages) => learningImages >= LargeSet ? 3 : 100;

    /// <summary>Learning images from which a set counts as large for <see cref="DefaultMaxEpochs"/>.</summary>
    public const int LargeSet = 10_000;

    /// <summary>Of the training file's images, every tenth (index % 10 == 9) is held out for early stopping; the model learns from the rest.</summary>
    public static bool IsValidationImage(int index) => index % 10 == 9;

    /// <summary>
    /// The three parts, in the files' order: pixels scaled to [0, 1], then standardised with the mean and population σ of
    /// all the learning images' pixels (one pair for the whole image, as torchvision's Normalize((0.2860,), (0.3530,)) is
    /// for the full set; here computed, so the subset is standardised with its own).
    /// </summary>
    public static Split Prepare(ImageSet training, ImageSet test)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(test);
        int validationCount = 0;
        for (int i = 0; i < training.Count; i++)
            if (IsValidationImage(i))
                validationCount++;
        if (validationCount == 0 || validationCount == training.Count)
            throw new ArgumentException($"{training.Count} training image(s) leave nothing to learn from or nothing to validate on: at least 10 are needed.", nameof(training));

        var learningIndices = new int[training.Count - validationCount];
        var validationIndices = new int[validationCount];
        for (int i = 0, l = 0, v = 0; i < training.Count; i++)
        {
            if (IsValidationImage(i))
                validationIndices[v++] = i;
            else
                learningIndices[l++] = i;
        }

        (float mean, float std) = PixelStatistics(training, learningIndices);
        return new Split(
            ToLabelDataset(training, learningIndices, mean, std),
            ToLabelDataset(training, validationIndices, mean, std),
            ToLabelDataset(test, null, mean, std),
            test, mean, std);
    }

    /// <summary>The mean and population σ of the pixels (scaled to [0, 1]) of the images listed, from exact integer sums.</summary>
    private static (float Mean, float Std) PixelStatistics(ImageSet set, int[] indices)
    {
        long sum = 0, squares = 0;   // at most 60,000 × 784 × 255² ≈ 3e12: no overflow, no rounding
        foreach (int i in indices)
            foreach (byte p in set.Image(i))
            {
                sum += p;
                squares += p * p;
            }
        double n = (double)indices.Length * FashionMnistData.Pixels;
        double mean = sum / n;
        double variance = Math.Max(squares / n - mean * mean, 0);
        return ((float)(mean / 255), (float)(Math.Sqrt(variance) / 255));
    }

    /// <summary>The images listed (all when null), standardised, with their labels.</summary>
    private static LabelDataset ToLabelDataset(ImageSet set, int[]? indices, float mean, float std)
    {
        int count = indices?.Length ?? set.Count;
        var inputs = new float[count * FashionMnistData.Pixels];
        var labels = new int[count];
        float scale = 1f / (255 * std), shift = -mean / std;
        for (int k = 0; k < count; k++)
        {
            int i = indices?[k] ?? k;
            ReadOnlySpan<byte> image = set.Image(i);
            Span<float> row = inputs.AsSpan(k * FashionMnistData.Pixels, FashionMnistData.Pixels);
            for (int p = 0; p < row.Length; p++)
                row[p] = image[p] * scale + shift;
            labels[k] = set.Labels[i];
        }
        return new LabelDataset(inputs, labels, FashionMnistData.Pixels, Classes);
    }
}

/// <summary>The data of one run: standardised images with their labels, and the raw test images for pictures.</summary>
/// <param name="PixelMean">The learning images' mean pixel, on the [0, 1] scale.</param>
/// <param name="PixelStd">Their pixels' population σ, on the [0, 1] scale.</param>
public sealed record Split(LabelDataset Learning, LabelDataset Validation, LabelDataset Test, ImageSet RawTest, float PixelMean, float PixelStd);
