using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// The forward product for a long fan-in, reading W in its own [units, inputs] layout: register tiles of 2 samples ×
/// 4 units (8 accumulators, each load of x feeding 4 FMAs and each load of W 2), one reduction per accumulator at the
/// end. Nothing is copied or transposed, so a layer of 784 × 256 pays no per-call copy of its 800 KB of weights (which
/// cost a sixth of the product itself) and the W rows of a tile (4 × 784 floats, 12.5 KB) stay in L1 while every sample
/// streams past them. Lengths of at least one vector; the last vector of a row overlaps the one before, its repeated
/// lanes masked off in x.
/// </summary>
internal static class DotTiles
{
    /// <summary>sums[n, o .. o+4) for samples n, n+1: <paramref name="x"/> at sample n, <paramref name="w"/> at unit o, <paramref name="sums"/> at [n, o].</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile2x4<TOps, TV>(ref float x, int inputs, ref float w, ref float sums, nint units) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count;
        ref float x0 = ref x;
        ref float x1 = ref Unsafe.Add(ref x, inputs);
        ref float w0 = ref w;
        ref float w1 = ref Unsafe.Add(ref w0, inputs);
        ref float w2 = ref Unsafe.Add(ref w1, inputs);
        ref float w3 = ref Unsafe.Add(ref w2, inputs);
        TV a00 = TOps.Zero, a01 = TOps.Zero, a02 = TOps.Zero, a03 = TOps.Zero, a10 = TOps.Zero, a11 = TOps.Zero, a12 = TOps.Zero, a13 = TOps.Zero;
        nint i = 0;
        for (; i + width <= inputs; i += width)
        {
            TV v0 = TOps.Load(ref x0, i), v1 = TOps.Load(ref x1, i);
            TV u = TOps.Load(ref w0, i);
            a00 = TOps.MultiplyAdd(u, v0, a00); a10 = TOps.MultiplyAdd(u, v1, a10);
            u = TOps.Load(ref w1, i);
            a01 = TOps.MultiplyAdd(u, v0, a01); a11 = TOps.MultiplyAdd(u, v1, a11);
            u = TOps.Load(ref w2, i);
            a02 = TOps.MultiplyAdd(u, v0, a02); a12 = TOps.MultiplyAdd(u, v1, a12);
            u = TOps.Load(ref w3, i);
            a03 = TOps.MultiplyAdd(u, v0, a03); a13 = TOps.MultiplyAdd(u, v1, a13);
        }
        if (i < inputs)
        {
            nint last = inputs - width;
            int fresh = (int)(inputs - i);
            TV v0 = TOps.KeepLast(TOps.Load(ref x0, last), fresh), v1 = TOps.KeepLast(TOps.Load(ref x1, last), fresh);
            TV u = TOps.Load(ref w0, last);
            a00 = TOps.MultiplyAdd(u, v0, a00); a10 = TOps.MultiplyAdd(u, v1, a10);
            u = TOps.Load(ref w1, last);
            a01 = TOps.MultiplyAdd(u, v0, a01); a11 = TOps.MultiplyAdd(u, v1, a11);
            u = TOps.Load(ref w2, last);
            a02 = TOps.MultiplyAdd(u, v0, a02); a12 = TOps.MultiplyAdd(u, v1, a12);
            u = TOps.Load(ref w3, last);
            a03 = TOps.MultiplyAdd(u, v0, a03); a13 = TOps.MultiplyAdd(u, v1, a13);
        }
        TOps.StoreSums4(a00, a01, a02, a03, ref sums);
        TOps.StoreSums4(a10, a11, a12, a13, ref Unsafe.Add(ref sums, units));
    }

    /// <summary>The same for one sample (an odd batch's last).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile1x4<TOps, TV>(ref float x, int inputs, ref float w, ref float sums) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count;
        ref float w0 = ref w;
        ref float w1 = ref Unsafe.Add(ref w0, inputs);
        ref float w2 = ref Unsafe.Add(ref w1, inputs);
        ref float w3 = ref Unsafe.Add(ref w2, inputs);
        TV a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        nint i = 0;
        for (; i + width <= inputs; i += width)
        {
            TV v = TOps.Load(ref x, i);
            a0 = TOps.MultiplyAdd(TOps.Load(ref w0, i), v, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref w1, i), v, a1);
            a2 = TOps.MultiplyAdd(TOps.Load(ref w2, i), v, a2);
            a3 = TOps.MultiplyAdd(TOps.Load(ref w3, i), v, a3);
        }
        if (i < inputs)
        {
            nint last = inputs - width;
            TV v = TOps.KeepLast(TOps.Load(ref x, last), (int)(inputs - i));
            a0 = TOps.MultiplyAdd(TOps.Load(ref w0, last), v, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref w1, last), v, a1);
            a2 = TOps.MultiplyAdd(TOps.Load(ref w2, last), v, a2);
            a3 = TOps.MultiplyAdd(TOps.Load(ref w3, last), v, a3);
        }
        TOps.StoreSums4(a0, a1, a2, a3, ref sums);
    }
}
