using System;

namespace NetGen.Samples.LinearRegression;

/// <summary>Problem J's data and settings: y = w_true·x + ε with Gaussian noise.</summary>
public static class Problem
{
    /// <summary>The constant 1 (for the intercept) and three features.</summary>
    public const int Features = 4;
    public const int Count = 200;
    public const float NoiseStd = 0.3f;
    public const float LearningRate = 0.1f;
    public const int Steps = 500;

    /// <summary>Intercept 0.5, then one weight per feature.</summary>
    public static readonly float[] TrueWeights = [0.5f, 2f, -1f, 0.25f];

    /// <summary>x = (1, x₁, x₂, x₃) with xₖ ~ N(0, 1); y = w_true·x + ε, ε ~ N(0, 0.3²).</summary>
    public static Dataset MakeData(SeededRandom random)
    {
        var x = new float[Count * Features];
        var y = new float[Count];
        for (int n = 0; n < Count; n++)
        {
            Span<float> row = x.AsSpan(n * Features, Features);
            row[0] = 1f;
            for (int k = 1; k < Features; k++)
                row[k] = (float)random.NextNormal();
            double target = random.NextNormal(0, NoiseStd);
            for (int k = 0; k < Features; k++)
                target += TrueWeights[k] * row[k];
            y[n] = (float)target;
        }
        return new Dataset(x, y, Features, 1);
    }
}
