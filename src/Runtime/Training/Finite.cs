using System;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>Checks for NaN and ±∞ over whole buffers, vectorised and allocation-free.</summary>
internal static class Finite
{
    /// <summary>
    /// True when every value is finite. <see cref="TensorPrimitives.MaxMagnitude(ReadOnlySpan{float})"/> returns NaN
    /// when any value is NaN and +∞ when any is ±∞, so one reduction answers it (a sum could overflow on finite values).
    /// </summary>
    public static bool All(ReadOnlySpan<float> values) => values.IsEmpty || float.IsFinite(TensorPrimitives.MaxMagnitude(values));

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
