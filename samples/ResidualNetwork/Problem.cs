namespace NetGen.Samples.ResidualNetwork;

/// <summary>
/// Problem K's sizes and a small two-class data set: x ~ N(μ_y, I) in ℝ^D with μ₀ = −μ₁ = −(½, …, ½), label y ∈ {0, 1}.
/// </summary>
public static class Problem
{
    public const int D = 4;
    public const int M = 8;
    public const int TrainingCount = 200;
    public const int TestCount = 1000;
    public const float LearningRate = 0.05f;
    public const int Epochs = 300;

    /// <summary>Half the samples of each class, interleaved.</summary>
    public static Dataset MakeData(int count, SeededRandom random)
    {
        var x = new float[count * D];
        var y = new float[count];
        for (int n = 0; n < count; n++)
        {
            y[n] = n % 2;
            float mean = y[n] == 1 ? 0.5f : -0.5f;
            for (int d = 0; d < D; d++)
                x[n * D + d] = mean + (float)random.NextNormal();
        }
        return new Dataset(x, y, D, 1);
    }
}
