using System;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>Standardisation and one-hot encoding on numbers worked by hand, and on the edge cases that must fail loudly.</summary>
public class PreprocessingTests
{
    // Two columns, four training rows: column 0 is 1, 2, 3, 4 (μ = 2.5, population σ = √1.25); column 1 is 10, 20, 20, 30 (μ = 20, σ = √50).
    private static readonly float[] s_training = [1, 10, 2, 20, 3, 20, 4, 30];

    [Fact]
    public void Standardizer_UsesTheTrainingMeanAndPopulationStandardDeviation()
    {
        Standardizer standardizer = Standardizer.Fit(s_training, featureCount: 2);

        Assert.Equal([2.5f, 20f], standardizer.Mean.ToArray());
        Assert.Equal(Math.Sqrt(1.25), standardizer.Scale[0], 1e-6);   // divided by n = 4, not n − 1
        Assert.Equal(Math.Sqrt(50), standardizer.Scale[1], 1e-5);
        var transformed = new float[s_training.Length];
        standardizer.Transform(s_training, transformed);
        double[] expected = [-1.5 / Math.Sqrt(1.25), -10 / Math.Sqrt(50), -0.5 / Math.Sqrt(1.25), 0, 0.5 / Math.Sqrt(1.25), 0, 1.5 / Math.Sqrt(1.25), 10 / Math.Sqrt(50)];
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], transformed[i], 1e-6);

        // Other rows use the training statistics: (5 − 2.5)/√1.25 = √5, (0 − 20)/√50 = −2√2.
        float[] other = [5, 0];
        standardizer.Transform(other, other);   // in place
        Assert.Equal(Math.Sqrt(5), other[0], 1e-6);
        Assert.Equal(-2 * Math.Sqrt(2), other[1], 1e-6);
        standardizer.InverseTransform(other, other);
        Assert.Equal(5f, other[0], 1e-5);
        Assert.Equal(0f, other[1], 1e-5);
    }

    [Fact]
    public void Standardizer_OnALabelSet_StandardisesTheInputs_AndKeepsTheLabels()
    {
        // Columns (1, 3) and (10, 30): means 2 and 20, population σ 1 and 10.
        var training = new LabelDataset([1, 10, 3, 30], [2, 0], inputSize: 2, classCount: 3);
        Standardizer standardizer = Standardizer.Fit(training);
        LabelDataset transformed = standardizer.Transform(training);
        Assert.Equal([-1f, -1f, 1f, 1f], transformed.Inputs);
        Assert.Same(training.Labels, transformed.Labels);
        Assert.Equal(3, transformed.ClassCount);
        Assert.Throws<ArgumentException>(() => standardizer.Transform(new LabelDataset([1, 2, 3], [0], 3, 3)));
    }

    [Fact]
    public void Standardizer_ConstantColumn_IsCentredLikeScikitLearn_OrAClearError()
    {
        float[] rows = [1, 7, 2, 7, 3, 7];
        Standardizer centred = Standardizer.Fit(rows, 2);
        Assert.Equal([1], centred.ConstantColumnIndices);
        Assert.Equal(1f, centred.Scale[1]);
        float[] other = [2, 9];
        centred.Transform(other, other);
        Assert.Equal(0f, other[0]);
        Assert.Equal(2f, other[1]);                // 9 − 7, not scaled

        var error = Assert.Throws<ArgumentException>(() => Standardizer.Fit(rows, 2, ConstantColumns.Throw));
        Assert.Contains("Column 1 has the same value (7) in every training row", error.Message);
    }

    [Fact]
    public void Standardizer_BadInput_IsAClearError()
    {
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => Standardizer.Fit([1, float.NaN, 2, 3], 2)).Message);
        Assert.Contains("whole row", Assert.Throws<ArgumentException>(() => Standardizer.Fit([1, 2, 3], 2)).Message);
        Assert.Contains("whole row", Assert.Throws<ArgumentException>(() => Standardizer.Fit([], 2)).Message);
        Standardizer standardizer = Standardizer.Fit(s_training, 2);
        Assert.Contains("whole number of rows of 2", Assert.Throws<ArgumentException>(() => standardizer.Transform(new float[3], new float[3])).Message);
        Assert.Contains("fitted on 2", Assert.Throws<ArgumentException>(() => standardizer.Transform(new Dataset(new float[3], new float[1], 3, 1))).Message);
    }

    [Fact]
    public void Standardizer_Transform_AllocatesNothing()
    {
        Standardizer standardizer = Standardizer.Fit(s_training, 2);
        var destination = new float[s_training.Length];
        standardizer.Transform(s_training, destination);
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 100; i++)
                standardizer.Transform(s_training, destination);
        }));
    }

    [Fact]
    public void OneHot_ClassesAreTheSortedDistinctTrainingLabels()
    {
        OneHotEncoder encoder = OneHotEncoder.Fit([3, 1, 3, 7, 1]);

        Assert.Equal([1, 3, 7], encoder.Classes.ToArray());
        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 1, 0], encoder.Encode([7, 1, 3]));
        Assert.Equal(2, encoder.IndexOf(7));
        Assert.Equal(7, encoder.LabelAt(2));
        Assert.Equal([0, 1, 2], OneHotEncoder.ForClasses(3).Classes.ToArray());
    }

    [Fact]
    public void OneHot_UnseenLabel_IsAClearError_AndWritesNothing()
    {
        OneHotEncoder encoder = OneHotEncoder.Fit([3, 1, 7]);
        float[] destination = [9, 9, 9, 9, 9, 9];

        var error = Assert.Throws<ArgumentException>(() => encoder.Encode([1, 5], destination));

        Assert.Contains("The label 5 was not among the training labels (1, 3, 7)", error.Message);
        Assert.All(destination, v => Assert.Equal(9f, v));
        Assert.Throws<ArgumentException>(() => encoder.Encode([1, 3], new float[5]));
        Assert.Throws<ArgumentException>(() => OneHotEncoder.Fit([]));
    }

    [Fact]
    public void OneHot_Encode_AllocatesNothing()
    {
        OneHotEncoder encoder = OneHotEncoder.ForClasses(10);
        int[] labels = [3, 9, 0, 4];
        var destination = new float[40];
        encoder.Encode(labels, destination);
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 100; i++)
                encoder.Encode(labels, destination);
        }));
    }
}
