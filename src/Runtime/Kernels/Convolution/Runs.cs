using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// Copies and adds of one short run of floats (a row of a patch matrix: ten to a few hundred values) with vectors of
/// one width, inlined into the caller's loop. A run shorter than a vector goes value by value.
/// </summary>
internal static class Runs
{
    /// <summary>destination[0, length) = source[0, length); the two do not overlap. The last vector overlaps the one before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<TOps, TV>(ref float source, ref float destination, nint length) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count, i = 0;
        if (length < width)
        {
            for (; i < length; i++)
                Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
            return;
        }
        for (; i + width <= length; i += width)
            TOps.Store(TOps.Load(ref source, i), ref destination, i);
        if (i < length)
            TOps.Store(TOps.Load(ref source, length - width), ref destination, length - width);
    }

    /// <summary>
    /// destination[0, length) += source[0, length); the two do not overlap. Whole vectors, then value by value: an
    /// overlapping last vector would load a destination just stored, and wait for the store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<TOps, TV>(ref float source, ref float destination, nint length) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count, i = 0;
        for (; i + width <= length; i += width)
            TOps.Store(TOps.Add(TOps.Load(ref destination, i), TOps.Load(ref source, i)), ref destination, i);
        for (; i < length; i++)
            Unsafe.Add(ref destination, i) += Unsafe.Add(ref source, i);
    }

    /// <summary>destination[0, length) = 0 (padding: a few values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(ref float destination, nint length)
    {
        for (nint i = 0; i < length; i++)
            Unsafe.Add(ref destination, i) = 0f;
    }
}
