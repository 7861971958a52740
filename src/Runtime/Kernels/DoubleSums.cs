using System;

namespace NetGen.Kernels;

/// <summary>
/// The double-precision steps the float kernels round once: sums and dot products accumulated in double, so that their
/// error does not grow with the length (or depend on how wide the machine's vectors are), and log(1 + x) for small x.
/// </summary>
internal static class DoubleSums
{
    /// <summary>Σ values, in double.</summary>
    public static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
            sum += value;
        return sum;
    }

    /// <summary>Σ a_j·b_j, each product and the sum in double (a product of two floats is exact there).</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0;
        for (int j = 0; j < a.Length; j++)
            dot += (double)a[j] * b[j];
        return dot;
    }

    /// <summary>
    /// log(1 + x) for x ≥ 0 to double's accuracy: log(u)·x/(u − 1) with u = 1 + x (u − 1 is exact, and the factor cancels
    /// u's rounding), x itself when u rounds to 1. .NET's double.LogP1 is log(x + 1), which loses small x.
    /// </summary>
    public static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * (x / (u - 1));
    }
}
