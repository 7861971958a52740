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
/// The one loop behind every element-wise kernel, written once over <see cref="IVectorOps{TV}"/>: the widest
/// accelerated vector that fits runs the loop, then a last, overlapping vector covers the remainder (recomputing a
/// few elements is cheaper than a scalar tail); spans shorter than every vector run the scalar width.
/// </summary>
internal static class ElementwiseLoop
{
    /// <summary>destination[i] = TOp(x[i]); destination may alias x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> destination) where TOp : IUnaryOperator
    {
        if (x.Length != destination.Length)
            throw new ArgumentException("Source and destination lengths differ.", nameof(destination));
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = x.Length;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            Map<TOp, V512, Vector512<float>>(ref px, ref dst, n);
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            Map<TOp, V256, Vector256<float>>(ref px, ref dst, n);
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
            Map<TOp, V128, Vector128<float>>(ref px, ref dst, n);
        else if (n > 0)
            Map<TOp, Scalar, float>(ref px, ref dst, n);
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
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            Map<TOp, V512, Vector512<float>>(ref px, ref py, ref dst, n);
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            Map<TOp, V256, Vector256<float>>(ref px, ref py, ref dst, n);
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
            Map<TOp, V128, Vector128<float>>(ref px, ref py, ref dst, n);
        else if (n > 0)
            Map<TOp, Scalar, float>(ref px, ref py, ref dst, n);
    }

    /// <summary>
    /// The unary loop at one width (tests call each), n ≥ Count. In place works: the overlapping last vector's input is
    /// loaded before the loop overwrites it, so the remainder is mapped from original values, never twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Map<TOp, TOps, TV>(ref float x, ref float destination, int n)
        where TOp : IUnaryOperator where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count, last = n - width, i = 0;
        TV tail = TOps.Load(ref x, last);
        for (; i <= last; i += width)
            TOps.Store(TOps.Apply<TOp>(TOps.Load(ref x, i)), ref destination, i);
        if (i != n)
            TOps.Store(TOps.Apply<TOp>(tail), ref destination, last);
    }

    /// <summary>The binary loop at one width (tests call each), n ≥ Count; destination may alias y, as above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Map<TOp, TOps, TV>(ref float x, ref float y, ref float destination, int n)
        where TOp : IBinaryOperator where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count, last = n - width, i = 0;
        TV tailX = TOps.Load(ref x, last), tailY = TOps.Load(ref y, last);
        for (; i <= last; i += width)
            TOps.Store(TOps.Apply<TOp>(TOps.Load(ref x, i), TOps.Load(ref y, i)), ref destination, i);
        if (i != n)
            TOps.Store(TOps.Apply<TOp>(tailX, tailY), ref destination, last);
    }
}
