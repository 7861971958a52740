using System;

namespace NetGen.Samples.LogisticRegression;

/// <summary>
/// Data for problems H and I: x ~ N(0, I) in ℝ^D, and a label from a fixed direction w_true with 10 % of the labels
/// flipped. With few samples per weight, the plain logistic regression can drive its weights to large values.
/// </summary>
public static class Problem
{
    public const int Features = 10;
    public const int TrainingCount = 40;
    public const int TestCount = 2000;
    public const double FlipProbability = 0.1;
    public const float LearningRate = 0.02f;
    public const int Steps = 2000;

    /// <summary>Training and test sets with labels in {0, 1}.</summary>
    public static (Dataset Training, Dataset Test) MakeData(ulong seed)
    {
        var random = new SeededRandom(seed);
        var direction = new float[Features];
        random.FillNormal(direction);
        return (Make(TrainingCount, direction, random), Make(TestCount, direction, random));
    }

    private static Dataset Make(int count, float[] direction, SeededRandom random)
    {
        var x = new float[count * Features];
        var y = new float[count];
        random.FillNormal(x);
        for (int n = 0; n < count; n++)
        {
            double score = 0;
            for (int k = 0; k < Features; k++)
                score += direction[k] * x[n * Features + k];
            bool label = score > 0;
            if (random.NextDouble() < FlipProbability)
                label = !label;
            y[n] = label ? 1f : 0f;
        }
        return new Dataset(x, y, Features, 1);
    }

    /// <summary>The same samples with labels mapped {0, 1} → {−1, 1} (problem I).</summary>
    public static Dataset ToBipolar(Dataset data) =>
        new(data.Inputs, Array.ConvertAll(data.Targets, t => 2f * t - 1f), data.InputSize, 1);
}
