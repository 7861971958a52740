using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>Lanes of <see cref="Dot"/>: element j is added into lane j mod 16, whatever the machine's vector width.</summary>
    public const int DotLanes = 16;

    /// <summary>
    /// Σ a_j·b_j in double (a product of two floats is exact there, so a fused multiply-add rounds as a plain add does).
    /// Element j goes into lane j mod <see cref="DotLanes"/>, each lane adds its products in index order, and the lanes
    /// are added by a fixed pairwise tree: the same operations on every width (two 512-bit vectors of doubles, four of
    /// 256, eight of 128, or sixteen scalars), so the same bits on every machine, at the throughput of the vector units
    /// rather than the latency of one chain of adds (the L-BFGS two-loop takes a dot product of every history vector).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException("The vectors differ in length.", nameof(b));
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        nint n = a.Length, whole = n - n % DotLanes;
        Span<double> lanes = stackalloc double[DotLanes];
        if (Vector512.IsHardwareAccelerated)
            DotLanes512(ref pa, ref pb, whole, lanes);
        else if (Vector256.IsHardwareAccelerated)
            DotLanes256(ref pa, ref pb, whole, lanes);
        else if (Vector128.IsHardwareAccelerated)
            DotLanes128(ref pa, ref pb, whole, lanes);
        else
            return LanesSum(ref pa, ref pb, lanes, 0, n);
        return LanesSum(ref pa, ref pb, lanes, whole, n);
    }

    /// <summary>Lanes of <see cref="Dot"/> over [0, whole) (a multiple of 16) in two 512-bit vectors of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DotLanes512(ref float pa, ref float pb, nint whole, Span<double> lanes)
    {
        Vector512<double> low = Vector512<double>.Zero, high = Vector512<double>.Zero;
        for (nint j = 0; j < whole; j += DotLanes)
        {
            (Vector512<double> a0, Vector512<double> a1) = Vector512.Widen(Vector512.LoadUnsafe(ref pa, (nuint)j));
            (Vector512<double> b0, Vector512<double> b1) = Vector512.Widen(Vector512.LoadUnsafe(ref pb, (nuint)j));
            low = Vector512.FusedMultiplyAdd(a0, b0, low);
            high = Vector512.FusedMultiplyAdd(a1, b1, high);
        }
        low.CopyTo(lanes);
        high.CopyTo(lanes[8..]);
    }

    /// <summary>Lanes of <see cref="Dot"/> over [0, whole) in four 256-bit vectors of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DotLanes256(ref float pa, ref float pb, nint whole, Span<double> lanes)
    {
        Vector256<double> l0 = Vector256<double>.Zero, l1 = l0, l2 = l0, l3 = l0;
        for (nint j = 0; j < whole; j += DotLanes)
        {
            (Vector256<double> a0, Vector256<double> a1) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, (nuint)j));
            (Vector256<double> b0, Vector256<double> b1) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, (nuint)j));
            (Vector256<double> a2, Vector256<double> a3) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, (nuint)(j + 8)));
            (Vector256<double> b2, Vector256<double> b3) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, (nuint)(j + 8)));
            l0 += a0 * b0;
            l1 += a1 * b1;
            l2 += a2 * b2;
            l3 += a3 * b3;
        }
        l0.CopyTo(lanes);
        l1.CopyTo(lanes[4..]);
        l2.CopyTo(lanes[8..]);
        l3.CopyTo(lanes[12..]);
    }

    /// <summary>Lanes of <see cref="Dot"/> over [0, whole) in eight 128-bit vectors of doubles (SSE, NEON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DotLanes128(ref float pa, ref float pb, nint whole, Span<double> lanes)
    {
        Vector128<double> l0 = Vector128<double>.Zero, l1 = l0, l2 = l0, l3 = l0, l4 = l0, l5 = l0, l6 = l0, l7 = l0;
        for (nint j = 0; j < whole; j += DotLanes)
        {
            (Vector128<double> a0, Vector128<double> a1) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, (nuint)j));
            (Vector128<double> b0, Vector128<double> b1) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, (nuint)j));
            (Vector128<double> a2, Vector128<double> a3) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, (nuint)(j + 4)));
            (Vector128<double> b2, Vector128<double> b3) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, (nuint)(j + 4)));
            (Vector128<double> a4, Vector128<double> a5) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, (nuint)(j + 8)));
            (Vector128<double> b4, Vector128<double> b5) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, (nuint)(j + 8)));
            (Vector128<double> a6, Vector128<double> a7) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, (nuint)(j + 12)));
            (Vector128<double> b6, Vector128<double> b7) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, (nuint)(j + 12)));
            l0 += a0 * b0; l1 += a1 * b1; l2 += a2 * b2; l3 += a3 * b3;
            l4 += a4 * b4; l5 += a5 * b5; l6 += a6 * b6; l7 += a7 * b7;
        }
        l0.CopyTo(lanes); l1.CopyTo(lanes[2..]); l2.CopyTo(lanes[4..]); l3.CopyTo(lanes[6..]);
        l4.CopyTo(lanes[8..]); l5.CopyTo(lanes[10..]); l6.CopyTo(lanes[12..]); l7.CopyTo(lanes[14..]);
    }

    /// <summary>
    /// The scalar end of <see cref="Dot"/>: elements [j, n) into their lanes (the whole dot product on a machine without
    /// vectors), then the lanes' pairwise tree (lane i + w into lane i, for w = 8, 4, 2, 1).
    /// </summary>
    /// <remarks>With j = 0 and cleared lanes it is the whole dot product in scalar code: the reference every width equals.</remarks>
    internal static double LanesSum(ref float a, ref float b, Span<double> lanes, nint j, nint n)
    {
        for (; j < n; j++)
            lanes[(int)(j % DotLanes)] += (double)Unsafe.Add(ref a, j) * Unsafe.Add(ref b, j);
        for (int width = DotLanes / 2; width >= 1; width /= 2)
            for (int i = 0; i < width; i++)
                lanes[i] += lanes[i + width];
        return lanes[0];
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
