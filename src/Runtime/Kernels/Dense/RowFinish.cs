using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// The end of a forward pass over dot products: z = sums + b (kept when asked), y = f(z), over a contiguous run of
/// sums still in L1, at the widest accelerated width, with one last overlapping vector instead of a scalar tail.
/// </summary>
internal static class RowFinish
{
    /// <summary>
    /// <paramref name="sums"/> is z when <paramref name="keepZ"/> and y otherwise (the pass works in place). With
    /// <paramref name="scalarBias"/> every element gets bias[0] (a layer of one unit, its samples in a row).
    /// Out of line so that f is inlined here: inside the reduction loops it was not. Only the widest accelerated width
    /// is compiled into it; a run shorter than that width's vector takes <see cref="Narrower{TActivation}"/>, compiled
    /// the first time one comes: each width inlines f twice, and the four widths of a sigmoid took the JIT 4 ms in a
    /// cold run of the seed MLP, whose runs are never short.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<TActivation>(ref float sums, ref float bias, bool hasBias, bool scalarBias, ref float z, bool keepZ, ref float y, int length)
        where TActivation : IUnaryOperator
    {
        if (typeof(TActivation) == typeof(IdentityOperator) && !hasBias && !keepZ)
            return;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
            Run<V512, Vector512<float>, TActivation>(ref sums, ref bias, hasBias, scalarBias, ref z, keepZ, ref y, length);
        else if (!Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
            Run<V256, Vector256<float>, TActivation>(ref sums, ref bias, hasBias, scalarBias, ref z, keepZ, ref y, length);
        else
            Narrower<TActivation>(ref sums, ref bias, hasBias, scalarBias, ref z, keepZ, ref y, length);
    }

    /// <summary><see cref="Run{TActivation}"/> for runs shorter than the widest accelerated width's vector (or without vector hardware).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Narrower<TActivation>(ref float sums, ref float bias, bool hasBias, bool scalarBias, ref float z, bool keepZ, ref float y, int length)
        where TActivation : IUnaryOperator
    {
        if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
            Run<V256, Vector256<float>, TActivation>(ref sums, ref bias, hasBias, scalarBias, ref z, keepZ, ref y, length);
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
            Run<V128, Vector128<float>, TActivation>(ref sums, ref bias, hasBias, scalarBias, ref z, keepZ, ref y, length);
        else
            Run<Scalar, float, TActivation>(ref sums, ref bias, hasBias, scalarBias, ref z, keepZ, ref y, length);
    }

    /// <summary>One width's finish of a run of at least one vector (the forward tiles' pass over their rows calls it too, <see cref="TileActivation"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Run<TOps, TV, TActivation>(ref float sums, ref float bias, bool hasBias, bool scalarBias, ref float z, bool keepZ, ref float y, int length)
        where TOps : IVectorOps<TV> where TV : struct where TActivation : IUnaryOperator
    {
        nint width = TOps.Count, last = length - width;
        // The overlapping last vector is read before the loop writes over it, so it is finished from the original sums.
        TV tail = TOps.Load(ref sums, last);
        TV scalar = hasBias && scalarBias ? TOps.Broadcast(bias) : TOps.Zero;
        nint i = 0;
        for (; i <= last; i += width)
        {
            TV v = TOps.Load(ref sums, i);
            if (hasBias)
                v = TOps.Add(v, scalarBias ? scalar : TOps.Load(ref bias, i));
            if (keepZ)
                TOps.Store(v, ref z, i);
            TOps.Store(TOps.Apply<TActivation>(v), ref y, i);
        }
        if (i != length)
        {
            TV v = tail;
            if (hasBias)
                v = TOps.Add(v, scalarBias ? scalar : TOps.Load(ref bias, last));
            if (keepZ)
                TOps.Store(v, ref z, last);
            TOps.Store(TOps.Apply<TActivation>(v), ref y, last);
        }
    }
}
