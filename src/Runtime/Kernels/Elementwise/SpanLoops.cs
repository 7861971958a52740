using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// The few span loops every training step runs outside the layers (the optimiser's update, the loss gradient, the
/// finiteness checks), written here rather than taken from TensorPrimitives so that they are compiled fully optimised on
/// their first call (<see cref="MethodImplOptions.AggressiveOptimization"/>): TensorPrimitives' generic bodies start in
/// tier-0 code, and a short run such as the 4000 steps of the seed sample spends much of its time there. Each one
/// computes exactly what the TensorPrimitives call it replaces did (same operations, same order, no fused multiply-add).
/// </summary>
internal static class SpanLoops
{
    /// <summary>y[i] = x[i]·a + y[i] (TensorPrimitives.MultiplyAdd(x, a, y, y)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddInPlace(ReadOnlySpan<float> x, float a, Span<float> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException("Source and destination lengths differ.", nameof(y));
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        nint n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> va = Vector512.Create(a);
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref px, (nuint)i) * va + Vector512.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> va = Vector256.Create(a);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref px, (nuint)i) * va + Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> va = Vector128.Create(a);
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
                (Vector128.LoadUnsafe(ref px, (nuint)i) * va + Vector128.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref py, i) = Unsafe.Add(ref px, i) * a + Unsafe.Add(ref py, i);
    }

    /// <summary>d[i] = (y[i] − t[i])·c (TensorPrimitives.Subtract then Multiply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaledDifference(Span<float> d, ReadOnlySpan<float> y, ReadOnlySpan<float> t, float c)
    {
        if (y.Length != d.Length || t.Length != d.Length)
            throw new ArgumentException("Source and destination lengths differ.", nameof(d));
        ref float pd = ref MemoryMarshal.GetReference(d);
        ref float py = ref MemoryMarshal.GetReference(y);
        ref float pt = ref MemoryMarshal.GetReference(t);
        nint n = d.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vc = Vector512.Create(c);
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
                ((Vector512.LoadUnsafe(ref py, (nuint)i) - Vector512.LoadUnsafe(ref pt, (nuint)i)) * vc).StoreUnsafe(ref pd, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vc = Vector256.Create(c);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                ((Vector256.LoadUnsafe(ref py, (nuint)i) - Vector256.LoadUnsafe(ref pt, (nuint)i)) * vc).StoreUnsafe(ref pd, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> vc = Vector128.Create(c);
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
                ((Vector128.LoadUnsafe(ref py, (nuint)i) - Vector128.LoadUnsafe(ref pt, (nuint)i)) * vc).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref pd, i) = (Unsafe.Add(ref py, i) - Unsafe.Add(ref pt, i)) * c;
    }

    /// <summary>
    /// True when every value is finite: v·0 is 0 for a finite v and NaN for ±∞ and NaN, so the sum of them all is 0
    /// exactly when nothing is infinite or NaN (and, unlike a sum of the values, cannot overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nint n = values.Length, i = 0;
        float rest = 0f;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> sum = Vector512<float>.Zero;
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
                sum += Vector512.LoadUnsafe(ref p, (nuint)i) * Vector512<float>.Zero;
            rest += Vector512.Sum(sum);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> sum = Vector256<float>.Zero;
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                sum += Vector256.LoadUnsafe(ref p, (nuint)i) * Vector256<float>.Zero;
            rest += Vector256.Sum(sum);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> sum = Vector128<float>.Zero;
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
                sum += Vector128.LoadUnsafe(ref p, (nuint)i) * Vector128<float>.Zero;
            rest += Vector128.Sum(sum);
        }
        for (; i < n; i++)
            rest += Unsafe.Add(ref p, i) * 0f;
        return rest == 0f;
    }
}
