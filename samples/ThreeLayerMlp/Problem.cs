using System;

namespace NetGen.Samples.ThreeLayerMlp;

/// <summary>Problem A's data and settings, exactly as the seed's PyTorch script has them.</summary>
public static class Problem
{
    public const int TrainingCount = 512;
    public const int ValidationCount = TrainingCount / 5; // 102
    public const int BatchSize = 128;
    public const int Epochs = 1000;
    public const float LearningRate = 0.1f;
    public const float InitialBias = 0.03f;

    /// <summary>f_true(x) = (x − 2)·cos(4x).</summary>
    public static float TrueFunction(float x) => (x - 2f) * MathF.Cos(4f * x);

    /// <summary>
    /// N points with x ~ N(0, 1) and y = f_true(x) + ε, ε ~ N(0, noise²) (problem B uses noise 0.5).
    /// </summary>
    public static Dataset MakeData(int count, SeededRandom random, float noise = 0f)
    {
        var x = new float[count];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)random.NextNormal();
            y[i] = TrueFunction(x[i]) + (noise > 0 ? (float)random.NextNormal(0, noise) : 0f);
        }
        return new Dataset(x, y, 1, 1);
    }

    /// <summary>The sample variance of the targets: the MSE of always predicting their mean.</summary>
    public static double TargetVariance(Dataset data)
    {
        double mean = 0;
        foreach (float t in data.Targets)
            mean += t;
        mean /= data.Count;
        double sum = 0;
        foreach (float t in data.Targets)
            sum += (t - mean) * (t - mean);
        return sum / data.Count;
    }
}
