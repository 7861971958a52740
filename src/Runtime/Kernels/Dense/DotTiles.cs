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
    /// <summary>
    /// sums[n, o .. o+4) for samples n, n+1: <paramref name="x"/> at sample n, <paramref name="w"/> at unit o,
    /// <paramref name="sums"/> at [n, o]. With <paramref name="rows"/> below 4 (a layer's last units), the missing rows
    /// repeat the last real one and the caller keeps only the first sums of each row of four.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile2x4<TOps, TV>(ref float x, int inputs, ref float w, ref float sums, nint units, int rows = 4) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count;
        ref float x0 = ref x;
        ref float x1 = ref Unsafe.Add(ref x, inputs);
        ref float w0 = ref w;
        ref float w1 = ref rows > 1 ? ref Unsafe.Add(ref w0, inputs) : ref w0;
        ref float w2 = ref rows > 2 ? ref Unsafe.Add(ref w1, inputs) : ref w1;
        ref float w3 = ref rows > 3 ? ref Unsafe.Add(ref w2, inputs) : ref w2;
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

    /// <summary>
    /// sums[n .. n+3, o .. o+8) for three samples and eight units, for register files of 32 (AVX-512): 24 accumulators,
    /// so each load of x feeds 8 FMAs (twice the 2 × 4 tile's), which halves what the samples stream from L2, the bound
    /// of the 2 × 4 tile at 512 bits; the 8 rows of W (25 KB for a fan-in of 784) still stay in L1. Each sample's eight
    /// sums end in one StoreSums8 (at 512 bits a transposing tree, <see cref="SumTree"/>: the same bits as two
    /// StoreSums4 with a third of the shuffles). With <paramref name="samples"/> below 3 (a batch's last), the missing
    /// samples repeat the last real one and only the real samples' sums are stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile3x8<TOps, TV>(ref float x, int inputs, ref float w, ref float sums, nint units, int samples = 3) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count;
        ref float x0 = ref x;
        ref float x1 = ref samples > 1 ? ref Unsafe.Add(ref x0, inputs) : ref x0;
        ref float x2 = ref samples > 2 ? ref Unsafe.Add(ref x1, inputs) : ref x1;
        // One reference per row of W, so that each load is base + i (offsets computed in the loop cost 20 integer ops a step).
        ref float w0 = ref w;
        ref float w1 = ref Unsafe.Add(ref w0, inputs);
        ref float w2 = ref Unsafe.Add(ref w1, inputs);
        ref float w3 = ref Unsafe.Add(ref w2, inputs);
        ref float w4 = ref Unsafe.Add(ref w3, inputs);
        ref float w5 = ref Unsafe.Add(ref w4, inputs);
        ref float w6 = ref Unsafe.Add(ref w5, inputs);
        ref float w7 = ref Unsafe.Add(ref w6, inputs);
        TV a00 = TOps.Zero, a01 = TOps.Zero, a02 = TOps.Zero, a03 = TOps.Zero, a04 = TOps.Zero, a05 = TOps.Zero, a06 = TOps.Zero, a07 = TOps.Zero;
        TV a10 = TOps.Zero, a11 = TOps.Zero, a12 = TOps.Zero, a13 = TOps.Zero, a14 = TOps.Zero, a15 = TOps.Zero, a16 = TOps.Zero, a17 = TOps.Zero;
        TV a20 = TOps.Zero, a21 = TOps.Zero, a22 = TOps.Zero, a23 = TOps.Zero, a24 = TOps.Zero, a25 = TOps.Zero, a26 = TOps.Zero, a27 = TOps.Zero;
        // x streams from L2, and a vector of it that straddles two cache lines costs two accesses (at 512 bits, every
        // vector of a row that starts off a line: 10 % of the tile's time at 784 inputs). Where the three rows start
        // equally far from a line (inputs a whole number of vectors) and the width has a one-instruction stitch, each
        // vector after the first is stitched from two line-aligned vectors of its row, the later of which the next step
        // reuses: the same lanes as the plain loads, so the same sums, bit for bit, wherever the buffers lie.
        bool stitch = TOps.Stitches && inputs % width == 0;
        nint head = stitch ? ToVectorBoundary<TOps, TV>(ref x0) : 0;
        TV index = TOps.StitchIndex((int)(width - head)), p0 = TOps.Zero, p1 = TOps.Zero, p2 = TOps.Zero;
        if (stitch && head + width <= inputs)
        {
            p0 = TOps.Load(ref x0, head); p1 = TOps.Load(ref x1, head); p2 = TOps.Load(ref x2, head);
        }
        nint i = 0;
        for (; i + width <= inputs; i += width)
        {
            TV v0, v1, v2;
            if (stitch && i > 0 && head + i + width <= inputs)
            {
                // Elements [i, i + width) are the last lanes of the aligned vector at head + i − width (p) and the first of the one at head + i.
                TV c0 = TOps.Load(ref x0, head + i), c1 = TOps.Load(ref x1, head + i), c2 = TOps.Load(ref x2, head + i);
                v0 = TOps.Stitch(p0, c0, index); v1 = TOps.Stitch(p1, c1, index); v2 = TOps.Stitch(p2, c2, index);
                p0 = c0; p1 = c1; p2 = c2;
            }
            else
            {
                v0 = TOps.Load(ref x0, i); v1 = TOps.Load(ref x1, i); v2 = TOps.Load(ref x2, i);
            }
            TV u = TOps.Load(ref w0, i);
            a00 = TOps.MultiplyAdd(u, v0, a00); a10 = TOps.MultiplyAdd(u, v1, a10); a20 = TOps.MultiplyAdd(u, v2, a20);
            u = TOps.Load(ref w1, i);
            a01 = TOps.MultiplyAdd(u, v0, a01); a11 = TOps.MultiplyAdd(u, v1, a11); a21 = TOps.MultiplyAdd(u, v2, a21);
            u = TOps.Load(ref w2, i);
            a02 = TOps.MultiplyAdd(u, v0, a02); a12 = TOps.MultiplyAdd(u, v1, a12); a22 = TOps.MultiplyAdd(u, v2, a22);
            u = TOps.Load(ref w3, i);
            a03 = TOps.MultiplyAdd(u, v0, a03); a13 = TOps.MultiplyAdd(u, v1, a13); a23 = TOps.MultiplyAdd(u, v2, a23);
            u = TOps.Load(ref w4, i);
            a04 = TOps.MultiplyAdd(u, v0, a04); a14 = TOps.MultiplyAdd(u, v1, a14); a24 = TOps.MultiplyAdd(u, v2, a24);
            u = TOps.Load(ref w5, i);
            a05 = TOps.MultiplyAdd(u, v0, a05); a15 = TOps.MultiplyAdd(u, v1, a15); a25 = TOps.MultiplyAdd(u, v2, a25);
            u = TOps.Load(ref w6, i);
            a06 = TOps.MultiplyAdd(u, v0, a06); a16 = TOps.MultiplyAdd(u, v1, a16); a26 = TOps.MultiplyAdd(u, v2, a26);
            u = TOps.Load(ref w7, i);
            a07 = TOps.MultiplyAdd(u, v0, a07); a17 = TOps.MultiplyAdd(u, v1, a17); a27 = TOps.MultiplyAdd(u, v2, a27);
        }
        if (i < inputs)
        {
            // The last vector overlaps the one before: its repeated lanes are masked off in x.
            nint last = inputs - width;
            int fresh = (int)(inputs - i);
            TV v0 = TOps.KeepLast(TOps.Load(ref x0, last), fresh), v1 = TOps.KeepLast(TOps.Load(ref x1, last), fresh), v2 = TOps.KeepLast(TOps.Load(ref x2, last), fresh);
            TV u = TOps.Load(ref w0, last);
            a00 = TOps.MultiplyAdd(u, v0, a00); a10 = TOps.MultiplyAdd(u, v1, a10); a20 = TOps.MultiplyAdd(u, v2, a20);
            u = TOps.Load(ref w1, last);
            a01 = TOps.MultiplyAdd(u, v0, a01); a11 = TOps.MultiplyAdd(u, v1, a11); a21 = TOps.MultiplyAdd(u, v2, a21);
            u = TOps.Load(ref w2, last);
            a02 = TOps.MultiplyAdd(u, v0, a02); a12 = TOps.MultiplyAdd(u, v1, a12); a22 = TOps.MultiplyAdd(u, v2, a22);
            u = TOps.Load(ref w3, last);
            a03 = TOps.MultiplyAdd(u, v0, a03); a13 = TOps.MultiplyAdd(u, v1, a13); a23 = TOps.MultiplyAdd(u, v2, a23);
            u = TOps.Load(ref w4, last);
            a04 = TOps.MultiplyAdd(u, v0, a04); a14 = TOps.MultiplyAdd(u, v1, a14); a24 = TOps.MultiplyAdd(u, v2, a24);
            u = TOps.Load(ref w5, last);
            a05 = TOps.MultiplyAdd(u, v0, a05); a15 = TOps.MultiplyAdd(u, v1, a15); a25 = TOps.MultiplyAdd(u, v2, a25);
            u = TOps.Load(ref w6, last);
            a06 = TOps.MultiplyAdd(u, v0, a06); a16 = TOps.MultiplyAdd(u, v1, a16); a26 = TOps.MultiplyAdd(u, v2, a26);
            u = TOps.Load(ref w7, last);
            a07 = TOps.MultiplyAdd(u, v0, a07); a17 = TOps.MultiplyAdd(u, v1, a17); a27 = TOps.MultiplyAdd(u, v2, a27);
        }
        TOps.StoreSums8(a00, a01, a02, a03, a04, a05, a06, a07, ref sums);
        if (samples > 1)
            TOps.StoreSums8(a10, a11, a12, a13, a14, a15, a16, a17, ref Unsafe.Add(ref sums, units));
        if (samples > 2)
            TOps.StoreSums8(a20, a21, a22, a23, a24, a25, a26, a27, ref Unsafe.Add(ref sums, 2 * units));
    }

    /// <summary>
    /// The floats from <paramref name="row"/> to the next vector boundary of memory (0 .. Count − 1): where a load of a
    /// whole vector does not cross a cache line. An address read for speed only; the results never depend on it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint ToVectorBoundary<TOps, TV>(ref float row) where TOps : IVectorOps<TV> where TV : struct
    {
        nint address = (nint)Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref row);
        return (-address & (TOps.Count * sizeof(float) - 1)) / sizeof(float);
    }

    /// <summary>The same for one sample (an odd batch's last).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Tile1x4<TOps, TV>(ref float x, int inputs, ref float w, ref float sums, int rows = 4) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count;
        ref float w0 = ref w;
        ref float w1 = ref rows > 1 ? ref Unsafe.Add(ref w0, inputs) : ref w0;
        ref float w2 = ref rows > 2 ? ref Unsafe.Add(ref w1, inputs) : ref w1;
        ref float w3 = ref rows > 3 ? ref Unsafe.Add(ref w2, inputs) : ref w2;
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
