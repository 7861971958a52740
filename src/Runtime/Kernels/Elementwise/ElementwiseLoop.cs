using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>An element-wise map written once for every vector width (public so that generated code can name the activation a kernel fuses).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IUnaryOperator
{
#pragma warning disable CS1591 // f(x), for one float and for each vector width.
    static abstract float Invoke(float x);
    static abstract Vector128<float> Invoke(Vector128<float> x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);
#pragma warning restore CS1591
}

/// <summary>An element-wise map of two inputs (a value and the gradient flowing into it).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IBinaryOperator
{
#pragma warning disable CS1591 // f(x, y), for one float and for each vector width.
    static abstract float Invoke(float x, float y);
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
#pragma warning restore CS1591
}

/// <summary>
/// The one loop behind every element-wise kernel: the widest accelerated vector first,
/// then a last, overlapping vector for the remainder (recomputing a few elements is cheaper than a scalar tail),
/// and scalar code only for spans shorter than one vector.
/// </summary>
internal static class ElementwiseLoop
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> destination) where TOp : IUnaryOperator
    {
        if (x.Length != destination.Length)
            throw new ArgumentException("Source and destination lengths differ.", nameof(destination));
        // In place (x aliases destination) works: the overlapping last vector's input is loaded before
        // the main loop overwrites it, so the remainder is mapped from original values, never twice.
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            int last = n - Vector512<float>.Count;
            Vector512<float> tail = Vector512.LoadUnsafe(ref src, (nuint)last);
            for (; i <= last; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
            if (i != n)
                TOp.Invoke(tail).StoreUnsafe(ref dst, (nuint)last);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int last = n - Vector256<float>.Count;
            Vector256<float> tail = Vector256.LoadUnsafe(ref src, (nuint)last);
            for (; i <= last; i += Vector256<float>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
            if (i != n)
                TOp.Invoke(tail).StoreUnsafe(ref dst, (nuint)last);
            return;
        }
        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            int last = n - Vector128<float>.Count;
            Vector128<float> tail = Vector128.LoadUnsafe(ref src, (nuint)last);
            for (; i <= last; i += Vector128<float>.Count)
                TOp.Invoke(Vector128.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
            if (i != n)
                TOp.Invoke(tail).StoreUnsafe(ref dst, (nuint)last);
            return;
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = TOp.Invoke(Unsafe.Add(ref src, i));
    }

    /// <summary>destination[i] = TOp(x[i], y[i]); destination may alias y (the usual "delta *= f'(…)" form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) where TOp : IBinaryOperator
    {
        if (x.Length != destination.Length || y.Length != destination.Length)
            throw new ArgumentException("Source and destination lengths differ.", nameof(destination));
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            int last = n - Vector512<float>.Count;
            Vector512<float> tx = Vector512.LoadUnsafe(ref px, (nuint)last), ty = Vector512.LoadUnsafe(ref py, (nuint)last);
            for (; i <= last; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
            if (i != n)
                TOp.Invoke(tx, ty).StoreUnsafe(ref dst, (nuint)last);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int last = n - Vector256<float>.Count;
            Vector256<float> tx = Vector256.LoadUnsafe(ref px, (nuint)last), ty = Vector256.LoadUnsafe(ref py, (nuint)last);
            for (; i <= last; i += Vector256<float>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
            if (i != n)
                TOp.Invoke(tx, ty).StoreUnsafe(ref dst, (nuint)last);
            return;
        }
        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            int last = n - Vector128<float>.Count;
            Vector128<float> tx = Vector128.LoadUnsafe(ref px, (nuint)last), ty = Vector128.LoadUnsafe(ref py, (nuint)last);
            for (; i <= last; i += Vector128<float>.Count)
                TOp.Invoke(Vector128.LoadUnsafe(ref px, (nuint)i), Vector128.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
            if (i != n)
                TOp.Invoke(tx, ty).StoreUnsafe(ref dst, (nuint)last);
            return;
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = TOp.Invoke(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i));
    }
}
