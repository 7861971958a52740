using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// sums[c] = Σ_r w[r]·m[r, c] over a row-major [rows, columns] matrix, with every w[r] = 1 or given: the products with a
/// single row, which are the bias gradient Σ_n δ[n, :] and the weight gradients of a layer of one unit (Σ_n δ[n]·x[n, :])
/// and of one input (Σ_n x[n]·δ[n, :]). Each column adds its even rows and its odd rows in two chains, in row order, and
/// then the two: the order of the one-row product tile (<see cref="Gemm"/>) that computed them before, a multiply-add
/// each (by 1 for the bias, exact), so the bits are the same. One copy serves every layer (the sizes are arguments), and
/// each width and pass is compiled only when a matrix needs it: as products specialised per layer, these gradients had
/// the JIT compile a set of tiles for every layer. With <see cref="OuterInputGradients"/>, the bias gradients' copy took
/// about 8 ms off the compilation in the seed MLP's first 4000 training steps (Zen 5).
/// </summary>
internal static class ColumnSums
{
    /// <summary>Σ_r m[r, c]: every row weighs 1.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref float matrix, nint rows, nint columns, ref float sums) =>
        Widths<EveryRowOnce>(ref matrix, ref matrix, rows, columns, ref sums);

    /// <summary>Σ_r w[r]·m[r, c].</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref float weights, ref float matrix, nint rows, nint columns, ref float sums) =>
        Widths<RowWeights>(ref weights, ref matrix, rows, columns, ref sums);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widths<TWeights>(ref float weights, ref float matrix, nint rows, nint columns, ref float sums) where TWeights : IRowWeights
    {
        nint column = 0;
        if (Vector512.IsHardwareAccelerated && column + Vector512<float>.Count <= columns)
            column = Columns<V512, Vector512<float>, TWeights>(ref weights, ref matrix, rows, columns, column, ref sums);
        if (Vector256.IsHardwareAccelerated && column + Vector256<float>.Count <= columns)
            column = Columns<V256, Vector256<float>, TWeights>(ref weights, ref matrix, rows, columns, column, ref sums);
        if (Vector128.IsHardwareAccelerated && column + Vector128<float>.Count <= columns)
            column = Columns<V128, Vector128<float>, TWeights>(ref weights, ref matrix, rows, columns, column, ref sums);
        if (column < columns)
            Columns<Scalar, float, TWeights>(ref weights, ref matrix, rows, columns, column, ref sums);
    }

    /// <summary>
    /// The columns from <paramref name="column"/> on, as far as whole vectors of one width go (tests call each width);
    /// returns the first column left. <paramref name="weights"/> is read only with <see cref="RowWeights"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static nint Columns<TOps, TV, TWeights>(ref float weights, ref float matrix, nint rows, nint columns, nint column, ref float sums)
        where TOps : IVectorOps<TV> where TV : struct where TWeights : IRowWeights
    {
        // Four vectors of columns a pass down the rows where they fit, then two, then one: a long batch is streamed once
        // for every four vectors (as the product's tiles did), not once for every vector.
        nint w = TOps.Count;
        for (; column + 4 * w <= columns; column += 4 * w)
            Pass<TOps, TV, Four, TWeights>(ref weights, ref Unsafe.Add(ref matrix, column), rows, columns, ref Unsafe.Add(ref sums, column));
        if (column + 2 * w <= columns)
        {
            Pass<TOps, TV, Two, TWeights>(ref weights, ref Unsafe.Add(ref matrix, column), rows, columns, ref Unsafe.Add(ref sums, column));
            column += 2 * w;
        }
        if (column + w <= columns)
        {
            Pass<TOps, TV, One, TWeights>(ref weights, ref Unsafe.Add(ref matrix, column), rows, columns, ref Unsafe.Add(ref sums, column));
            column += w;
        }
        return column;
    }

    /// <summary>
    /// TVectors vectors of columns summed down every row: even rows into c, odd rows into d, then c + d. Out of line, so
    /// that only the passes a matrix needs are compiled.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Pass<TOps, TV, TVectors, TWeights>(ref float weights, ref float p, nint rows, nint columns, ref float sums)
        where TOps : IVectorOps<TV> where TV : struct where TVectors : struct, IConstant where TWeights : IRowWeights
    {
        // Every case is a type test written where it is decided, which the JIT folds while importing the method: kept in a
        // local (or behind a static property) the test was folded only after the branches it rules out had been compiled.
        nint w = TOps.Count;
        TV c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, d0 = TOps.Zero, d1 = TOps.Zero, d2 = TOps.Zero, d3 = TOps.Zero;
        nint r = 0;
        for (; r + 2 <= rows; r += 2)
        {
            ref float q = ref Unsafe.Add(ref p, columns);
            if (typeof(TWeights) == typeof(RowWeights))
            {
                TV x = TOps.Broadcast(Unsafe.Add(ref weights, r)), y = TOps.Broadcast(Unsafe.Add(ref weights, r + 1));
                c0 = TOps.MultiplyAdd(x, TOps.Load(ref p, 0), c0);
                d0 = TOps.MultiplyAdd(y, TOps.Load(ref q, 0), d0);
                if (typeof(TVectors) != typeof(One)) { c1 = TOps.MultiplyAdd(x, TOps.Load(ref p, w), c1); d1 = TOps.MultiplyAdd(y, TOps.Load(ref q, w), d1); }
                if (typeof(TVectors) == typeof(Four)) { c2 = TOps.MultiplyAdd(x, TOps.Load(ref p, 2 * w), c2); d2 = TOps.MultiplyAdd(y, TOps.Load(ref q, 2 * w), d2); }
                if (typeof(TVectors) == typeof(Four)) { c3 = TOps.MultiplyAdd(x, TOps.Load(ref p, 3 * w), c3); d3 = TOps.MultiplyAdd(y, TOps.Load(ref q, 3 * w), d3); }
            }
            else
            {
                c0 = TOps.Add(c0, TOps.Load(ref p, 0));
                d0 = TOps.Add(d0, TOps.Load(ref q, 0));
                if (typeof(TVectors) != typeof(One)) { c1 = TOps.Add(c1, TOps.Load(ref p, w)); d1 = TOps.Add(d1, TOps.Load(ref q, w)); }
                if (typeof(TVectors) == typeof(Four)) { c2 = TOps.Add(c2, TOps.Load(ref p, 2 * w)); d2 = TOps.Add(d2, TOps.Load(ref q, 2 * w)); }
                if (typeof(TVectors) == typeof(Four)) { c3 = TOps.Add(c3, TOps.Load(ref p, 3 * w)); d3 = TOps.Add(d3, TOps.Load(ref q, 3 * w)); }
            }
            p = ref Unsafe.Add(ref q, columns);
        }
        if (r < rows)
        {
            if (typeof(TWeights) == typeof(RowWeights))
            {
                TV x = TOps.Broadcast(Unsafe.Add(ref weights, r));
                c0 = TOps.MultiplyAdd(x, TOps.Load(ref p, 0), c0);
                if (typeof(TVectors) != typeof(One)) c1 = TOps.MultiplyAdd(x, TOps.Load(ref p, w), c1);
                if (typeof(TVectors) == typeof(Four)) c2 = TOps.MultiplyAdd(x, TOps.Load(ref p, 2 * w), c2);
                if (typeof(TVectors) == typeof(Four)) c3 = TOps.MultiplyAdd(x, TOps.Load(ref p, 3 * w), c3);
            }
            else
            {
                c0 = TOps.Add(c0, TOps.Load(ref p, 0));
                if (typeof(TVectors) != typeof(One)) c1 = TOps.Add(c1, TOps.Load(ref p, w));
                if (typeof(TVectors) == typeof(Four)) c2 = TOps.Add(c2, TOps.Load(ref p, 2 * w));
                if (typeof(TVectors) == typeof(Four)) c3 = TOps.Add(c3, TOps.Load(ref p, 3 * w));
            }
        }
        TOps.Store(TOps.Add(c0, d0), ref sums, 0);
        if (typeof(TVectors) != typeof(One)) TOps.Store(TOps.Add(c1, d1), ref sums, w);
        if (typeof(TVectors) == typeof(Four)) TOps.Store(TOps.Add(c2, d2), ref sums, 2 * w);
        if (typeof(TVectors) == typeof(Four)) TOps.Store(TOps.Add(c3, d3), ref sums, 3 * w);
    }

    /// <summary>How the rows are weighed: <see cref="EveryRowOnce"/> or <see cref="RowWeights"/> (a type argument, so that each pass is compiled for one case).</summary>
    internal interface IRowWeights;

    /// <summary>
    /// Every row weighs 1: the sums are plain adds, which give the bits of a multiply-add by 1 with a shorter chain (as
    /// multiply-adds by 1 the seed MLP's step and SimpleChains' epoch were 1–5 % slower, Zen 5): hence the two bodies in
    /// <see cref="Pass{TOps, TV, TVectors, TWeights}"/>.
    /// </summary>
    internal readonly struct EveryRowOnce : IRowWeights;

    /// <summary>Row r weighs weights[r].</summary>
    internal readonly struct RowWeights : IRowWeights;
}
