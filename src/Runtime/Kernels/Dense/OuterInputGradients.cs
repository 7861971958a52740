using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// δx = δ·W for a layer of one unit: W is one row, so the product is the outer product δx[n, :] = δ[n]·w, plus what is
/// already there when <c>accumulate</c>, then the fused derivative of the layer below, δx ← f′(source, δx). Each element
/// is computed as the register-blocked product (<see cref="Gemm"/>) computed it, a multiply-add onto zero, then the add
/// and the derivative at the same width for the same columns (the widest for whole vectors, then narrower, then scalar),
/// so the bits are the same; but a product with one term needs no register tiles, which the JIT compiled for every such
/// layer (see <see cref="ColumnSums"/> for what the two kernels saved).
/// </summary>
internal static class OuterInputGradients
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<TDerivative>(ref float delta, ref float weights, ref float source, ref float inputGradients, bool accumulate,
        nint batch, nint inputs) where TDerivative : IBinaryOperator
    {
        nint column = 0;
        if (Vector512.IsHardwareAccelerated && column + Vector512<float>.Count <= inputs)
            column = Columns<V512, Vector512<float>, TDerivative>(ref delta, ref weights, ref source, ref inputGradients, accumulate, batch, inputs, column);
        if (Vector256.IsHardwareAccelerated && column + Vector256<float>.Count <= inputs)
            column = Columns<V256, Vector256<float>, TDerivative>(ref delta, ref weights, ref source, ref inputGradients, accumulate, batch, inputs, column);
        if (Vector128.IsHardwareAccelerated && column + Vector128<float>.Count <= inputs)
            column = Columns<V128, Vector128<float>, TDerivative>(ref delta, ref weights, ref source, ref inputGradients, accumulate, batch, inputs, column);
        if (column < inputs)
            Columns<Scalar, float, TDerivative>(ref delta, ref weights, ref source, ref inputGradients, accumulate, batch, inputs, column);
    }

    /// <summary>
    /// The columns from <paramref name="column"/> on, as far as whole vectors of one width go (tests call each width);
    /// returns the first column left. Out of line, so that only the widths a layer needs are compiled.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static nint Columns<TOps, TV, TDerivative>(ref float delta, ref float weights, ref float source, ref float inputGradients, bool accumulate,
        nint batch, nint inputs, nint column) where TOps : IVectorOps<TV> where TV : struct where TDerivative : IBinaryOperator
    {
        nint w = TOps.Count, end = column + (inputs - column) / w * w;
        if (end == column)
            return column;
        for (nint n = 0; n < batch; n++)
        {
            TV d = TOps.Broadcast(Unsafe.Add(ref delta, n));
            ref float dx = ref Unsafe.Add(ref inputGradients, n * inputs);
            ref float y = ref Unsafe.Add(ref source, n * inputs);
            for (nint i = column; i < end; i += w)
            {
                TV v = TOps.MultiplyAdd(d, TOps.Load(ref weights, i), TOps.Zero);
                if (accumulate)
                    v = TOps.Add(v, TOps.Load(ref dx, i));
                if (typeof(TDerivative) != typeof(IdentityDerivativeOperator))
                    v = TOps.Apply<TDerivative>(TOps.Load(ref y, i), v);
                TOps.Store(v, ref dx, i);
            }
        }
        return end;
    }
}
