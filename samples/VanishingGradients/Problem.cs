namespace NetGen.Samples.VanishingGradients;

/// <summary>Problem M's settings: the chain's width, the batch the gradients are measured on, and how many draws are averaged.</summary>
public static class Problem
{
    public const int Width = 32;
    public const int Batch = 64;
    public const int Draws = 10;
}
