using System;

namespace NetGen;

/// <summary>Checks for NaN and ±∞ over whole buffers, vectorised and allocation-free.</summary>
internal static class Finite
{
    /// <summary>
    /// True when every value is finite: one vectorised reduction (<see cref="Kernels.SpanLoops.AllFinite"/>, compiled
    /// fully optimised from its first call).
    /// </summary>
    public static bool All(ReadOnlySpan<float> values) => Kernels.SpanLoops.AllFinite(values);

    /// <summary>The index of the first NaN or ±∞, or −1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        if (All(values))
            return -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                return i;
        }
        return -1;
    }

    /// <summary>"NaN", "+∞" or "−∞".</summary>
    public static string Describe(float value) =>
        float.IsNaN(value) ? "NaN" : float.IsPositiveInfinity(value) ? "+∞" : float.IsNegativeInfinity(value) ? "−∞" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
