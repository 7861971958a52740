using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// The sums of eight 512-bit accumulators as one transposing tree of whole-register shuffles and adds: 12 shuffles,
/// 7 adds, one in-lane permute and one cross-lane permute for the eight sums, where four <see cref="V512.StoreSums4"/>
/// halves take 16 extracts, 16 narrow adds and 6 horizontal adds (each two shuffles and an add). At the end of a
/// 3 × 8 dot-product tile of 784 inputs that is about a third of the epilogue, which was a tenth of the tile's time.
/// </summary>
/// <remarks>
/// Each sum is added in exactly the order of <see cref="V512.StoreSums4"/> (float addition commutes, so only the
/// grouping matters): with the 128-bit blocks q0 .. q3 of an accumulator a, t = (q0 + q2) + (q1 + q3) lane by lane (the
/// 256-bit halves added, then their 128-bit halves), and the sum (t0 + t1) + (t2 + t3), as the two horizontal adds.
/// So results are the same bits as before, and the same as the 4-unit tiles' that serve a batch's last samples.
/// </remarks>
internal static class SumTree
{
    /// <summary>Lanes of the last step's result that hold the sums of a0 .. a7 (the other lanes are copies).</summary>
    private static Vector512<int> Gather => Vector512.Create(0, 8, 2, 10, 4, 12, 6, 14, 0, 0, 0, 0, 0, 0, 0, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store8(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7, ref float destination)
    {
        // b = [a_j: q0+q2 | q1+q3 | a_j+4: q0+q2 | q1+q3] (blocks [0,1] of each and [2,3] of each, added).
        Vector512<float> b0 = Halves(a0, a4), b1 = Halves(a1, a5), b2 = Halves(a2, a6), b3 = Halves(a3, a7);
        // c0 = [t0 | t4 | t1 | t5], c1 = [t2 | t6 | t3 | t7]: each block the four lane sums t of one accumulator.
        Vector512<float> c0 = Avx512F.Shuffle4x128(b0, b1, 0b10_00_10_00) + Avx512F.Shuffle4x128(b0, b1, 0b11_01_11_01);
        Vector512<float> c1 = Avx512F.Shuffle4x128(b2, b3, 0b10_00_10_00) + Avx512F.Shuffle4x128(b2, b3, 0b11_01_11_01);
        // Per block [x0+x1, x2+x3, y0+y1, y2+y3] with x from c0 and y from c1: the first horizontal add.
        Vector512<float> f = Avx512F.Shuffle(c0, c1, 0b10_00_10_00) + Avx512F.Shuffle(c0, c1, 0b11_01_11_01);
        // Lanes 0 and 2 of each block: (x0+x1)+(x2+x3) and the same for y, the second horizontal add.
        Vector512<float> g = f + Avx512F.Permute4x32(f, 0b10_11_00_01);
        Avx512F.PermuteVar16x32(g, Gather).GetLower().StoreUnsafe(ref destination);
    }

    /// <summary>[a: q0+q2, q1+q3 | b: q0+q2, q1+q3], each accumulator's 256-bit halves added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halves(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0b01_00_01_00) + Avx512F.Shuffle4x128(a, b, 0b11_10_11_10);
}
