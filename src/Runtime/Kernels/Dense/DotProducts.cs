using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// Dot products along a contiguous dimension, for each width: <c>Block</c> computes as many dot products as a vector has
/// lanes (rows[r·stride ..]·vector for r = 0 .. Count−1) and returns them as one vector, in order, so that the bias and
/// the activation then run on whole vectors. Each load of the shared vector feeds Count products (Count independent
/// FMA chains: 8 on AVX2, enough to hide a latency of 4 on 2 pipes), and one tree of pairwise adds at the end replaces
/// Count horizontal sums. A length that is not a multiple of the width ends with one overlapping vector whose lanes
/// already counted are masked to zero: no scalar tail. Lengths must be at least one vector.
/// </summary>
internal static class DotProducts
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Block8(ref float rows, nint stride, ref float vector, int length)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        nint i = 0;
        for (; i + 8 <= length; i += 8)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref vector, (nuint)i);
            ref float r = ref Unsafe.Add(ref rows, i);
            a0 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r), v, a0);
            a1 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)stride), v, a1);
            a2 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(2 * stride)), v, a2);
            a3 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(3 * stride)), v, a3);
            a4 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(4 * stride)), v, a4);
            a5 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(5 * stride)), v, a5);
            a6 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(6 * stride)), v, a6);
            a7 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(7 * stride)), v, a7);
        }
        if (i < length)
        {
            // The last 8 elements, with the lanes the loop already counted zeroed in the shared vector.
            nint last = length - 8;
            Vector256<float> v = Vector256.LoadUnsafe(ref vector, (nuint)last) & TailMask256((int)(length - i));
            ref float r = ref Unsafe.Add(ref rows, last);
            a0 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r), v, a0);
            a1 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)stride), v, a1);
            a2 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(2 * stride)), v, a2);
            a3 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(3 * stride)), v, a3);
            a4 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(4 * stride)), v, a4);
            a5 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(5 * stride)), v, a5);
            a6 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(6 * stride)), v, a6);
            a7 = V256.MultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)(7 * stride)), v, a7);
        }
        return Reduce8(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Block4(ref float rows, nint stride, ref float vector, int length)
    {
        Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        nint i = 0;
        // Two sets of accumulators over alternate vectors: four chains alone would leave half the FMA slots empty.
        for (; i + 8 <= length; i += 8)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref vector, (nuint)i), u = Vector128.LoadUnsafe(ref vector, (nuint)(i + 4));
            ref float r = ref Unsafe.Add(ref rows, i);
            a0 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r), v, a0);
            a1 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)stride), v, a1);
            a2 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(2 * stride)), v, a2);
            a3 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(3 * stride)), v, a3);
            b0 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, 4), u, b0);
            b1 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(stride + 4)), u, b1);
            b2 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(2 * stride + 4)), u, b2);
            b3 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(3 * stride + 4)), u, b3);
        }
        for (; i + 4 <= length; i += 4)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref vector, (nuint)i);
            ref float r = ref Unsafe.Add(ref rows, i);
            a0 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r), v, a0);
            a1 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)stride), v, a1);
            a2 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(2 * stride)), v, a2);
            a3 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(3 * stride)), v, a3);
        }
        if (i < length)
        {
            nint last = length - 4;
            Vector128<float> v = Vector128.LoadUnsafe(ref vector, (nuint)last) & TailMask128((int)(length - i));
            ref float r = ref Unsafe.Add(ref rows, last);
            a0 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r), v, a0);
            a1 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)stride), v, a1);
            a2 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(2 * stride)), v, a2);
            a3 = V128.MultiplyAdd(Vector128.LoadUnsafe(ref r, (nuint)(3 * stride)), v, a3);
        }
        return Reduce4(a0 + b0, a1 + b1, a2 + b2, a3 + b3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Block16(ref float rows, nint stride, ref float vector, int length)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        nint i = 0;
        for (; i < length; i += 16)
        {
            nint at = nint.Min(i, length - 16);
            Vector512<float> v = Vector512.LoadUnsafe(ref vector, (nuint)at);
            if (at != i)
                v &= TailMask512((int)(length - i));
            ref float ri = ref Unsafe.Add(ref rows, at);
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri), v, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)stride), v, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(2 * stride)), v, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(3 * stride)), v, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(4 * stride)), v, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(5 * stride)), v, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(6 * stride)), v, a6);
            a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(7 * stride)), v, a7);
            a8 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(8 * stride)), v, a8);
            a9 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(9 * stride)), v, a9);
            a10 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(10 * stride)), v, a10);
            a11 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(11 * stride)), v, a11);
            a12 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(12 * stride)), v, a12);
            a13 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(13 * stride)), v, a13);
            a14 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(14 * stride)), v, a14);
            a15 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(15 * stride)), v, a15);
        }
        return Reduce16(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
    }

    /// <summary>One dot product a[0 .. length)·b[0 .. length) (length ≥ 1), for the few units a block leaves over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Single<TOps, TV>(ref float a, ref float b, int length) where TOps : IVectorOps<TV> where TV : struct
    {
        int w = TOps.Count;
        TV c0 = TOps.Zero, c1 = TOps.Zero;
        nint i = 0;
        for (; i + 2 * w <= length; i += 2 * w)
        {
            c0 = TOps.MultiplyAdd(TOps.Load(ref a, i), TOps.Load(ref b, i), c0);
            c1 = TOps.MultiplyAdd(TOps.Load(ref a, i + w), TOps.Load(ref b, i + w), c1);
        }
        for (; i + w <= length; i += w)
            c0 = TOps.MultiplyAdd(TOps.Load(ref a, i), TOps.Load(ref b, i), c0);
        float sum = TOps.Sum(TOps.Add(c0, c1));
        for (; i < length; i++)
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        return sum;
    }

    /// <summary>All ones in the last <paramref name="fresh"/> lanes (1 ≤ fresh &lt; 8), zero in the lanes before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailMask256(int fresh) =>
        Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(8 - fresh)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> TailMask128(int fresh) =>
        Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(4 - fresh)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailMask512(int fresh) =>
        Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(16 - fresh)).AsSingle();

    /// <summary>The sums of 4 vectors, as one vector in order (two rounds of pairwise adds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reduce4(Vector128<float> a0, Vector128<float> a1, Vector128<float> a2, Vector128<float> a3)
    {
        if (Sse3.IsSupported)
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(a0, a1), Sse3.HorizontalAdd(a2, a3));
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(a0, a1), AdvSimd.Arm64.AddPairwise(a2, a3));
        return Vector128.Create(Vector128.Sum(a0), Vector128.Sum(a1), Vector128.Sum(a2), Vector128.Sum(a3));
    }

    /// <summary>The sums of 8 vectors, as one vector in order: pairwise adds within each 128-bit half, then the halves added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reduce8(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        if (Avx.IsSupported)
        {
            // g0 = [s0 s1 s2 s3 | s0 s1 s2 s3] (low-half and high-half partial sums), g1 the same for s4 .. s7.
            Vector256<float> g0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            Vector256<float> g1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
            return Avx.Permute2x128(g0, g1, 0x20) + Avx.Permute2x128(g0, g1, 0x31);
        }
        return Vector256.Create(
            Reduce4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper()),
            Reduce4(a4.GetLower() + a4.GetUpper(), a5.GetLower() + a5.GetUpper(), a6.GetLower() + a6.GetUpper(), a7.GetLower() + a7.GetUpper()));
    }

    /// <summary>The sums of 16 vectors, as one vector in order: each merge halves the lanes per sum, 16 → 8 → 4 → 2 → 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reduce16(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7, Vector512<float> a8, Vector512<float> a9,
        Vector512<float> a10, Vector512<float> a11, Vector512<float> a12, Vector512<float> a13, Vector512<float> a14, Vector512<float> a15)
    {
        if (!Avx512F.IsSupported)
            return Vector512.Create(
                Reduce8(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper(),
                    a4.GetLower() + a4.GetUpper(), a5.GetLower() + a5.GetUpper(), a6.GetLower() + a6.GetUpper(), a7.GetLower() + a7.GetUpper()),
                Reduce8(a8.GetLower() + a8.GetUpper(), a9.GetLower() + a9.GetUpper(), a10.GetLower() + a10.GetUpper(), a11.GetLower() + a11.GetUpper(),
                    a12.GetLower() + a12.GetUpper(), a13.GetLower() + a13.GetUpper(), a14.GetLower() + a14.GetUpper(), a15.GetLower() + a15.GetUpper()));
        // Four rounds, each adding lanes j and j + h of every sum (h = 8, 4, 2, 1): the two long strides by shuffles of
        // 128-bit blocks, the two short ones by shuffles within them, which cost less than the two-source permutes of
        // single lanes they replace (a 64 × 64 layer for one sample: 61.5 → 57 ns on Zen 5). The rows go in transposed
        // (a0, a4, a8, a12, a1, …) so that sum k comes out in lane k with no final permute.
        Vector512<float> p0 = Blocks(a0, a4, 0b01_00_01_00, 0b11_10_11_10), p1 = Blocks(a8, a12, 0b01_00_01_00, 0b11_10_11_10);
        Vector512<float> p2 = Blocks(a1, a5, 0b01_00_01_00, 0b11_10_11_10), p3 = Blocks(a9, a13, 0b01_00_01_00, 0b11_10_11_10);
        Vector512<float> p4 = Blocks(a2, a6, 0b01_00_01_00, 0b11_10_11_10), p5 = Blocks(a10, a14, 0b01_00_01_00, 0b11_10_11_10);
        Vector512<float> p6 = Blocks(a3, a7, 0b01_00_01_00, 0b11_10_11_10), p7 = Blocks(a11, a15, 0b01_00_01_00, 0b11_10_11_10);
        Vector512<float> q0 = Blocks(p0, p1, 0b10_00_10_00, 0b11_01_11_01), q1 = Blocks(p2, p3, 0b10_00_10_00, 0b11_01_11_01);
        Vector512<float> q2 = Blocks(p4, p5, 0b10_00_10_00, 0b11_01_11_01), q3 = Blocks(p6, p7, 0b10_00_10_00, 0b11_01_11_01);
        Vector512<float> s0 = Avx512F.Shuffle(q0, q1, 0b01_00_01_00) + Avx512F.Shuffle(q0, q1, 0b11_10_11_10);
        Vector512<float> s1 = Avx512F.Shuffle(q2, q3, 0b01_00_01_00) + Avx512F.Shuffle(q2, q3, 0b11_10_11_10);
        return Avx512F.Shuffle(s0, s1, 0b10_00_10_00) + Avx512F.Shuffle(s0, s1, 0b11_01_11_01);
    }

    /// <summary>Two selections of 128-bit blocks (two from <paramref name="a"/>, then two from <paramref name="b"/>), added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Blocks(Vector512<float> a, Vector512<float> b, [ConstantExpected] byte first, [ConstantExpected] byte second) =>
        Avx512F.Shuffle4x128(a, b, first) + Avx512F.Shuffle4x128(a, b, second);
}
