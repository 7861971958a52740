using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>What a matrix kernel does with each finished vector of results: add a bias and activate, store, accumulate, …</summary>
internal interface IEpilogue
{
    /// <summary>Finishes <paramref name="sum"/> = C[row, column .. column + TOps.Count) and writes it.</summary>
    void Store<TOps, TV>(TV sum, nint row, nint column) where TOps : IVectorOps<TV> where TV : struct;

    /// <summary>Runs after a tile [row, row + rows) × [column, column + vectors·TOps.Count) is stored, while it is in L1.</summary>
    void Finish<TOps, TV>(nint row, int rows, nint column, int vectors) where TOps : IVectorOps<TV> where TV : struct;
}

/// <summary>
/// C[m, n] = Σ_k A[m, k]·B[k, n], finished by an <see cref="IEpilogue"/>: the one register-blocked matrix product behind
/// every dense layer's batched forward pass, weight gradient and input gradient.
/// </summary>
/// <remarks>
/// <para>B's rows are read contiguously (vectors along n); A's elements are broadcast, so A may be laid out with any
/// strides (<see cref="IProductShape"/>): that is what lets one kernel serve X·Wᵀ, δᵀ·X (δ read down its columns) and
/// δ·W (W in PyTorch's [out, in]). The shape is a struct type parameter: in a layer's specialised copy every size and
/// stride but the batch is a constant.</para>
/// <para>The micro-tile is 6 rows × <see cref="IVectorOps{TV}.TileVectors"/> vectors, sized to the register file of
/// each width: 6 × 2 on 256- and 128-bit vectors (12 accumulators + 2 loads of B + 1 broadcast = 15 of the 16 ymm/xmm
/// registers of AVX2 and SSE, and FMA chains enough to hide a latency of 4 on 2 pipes), 6 × 4 on 512-bit vectors
/// (24 + 4 + 1 of AVX-512's 32). The last rows run as a 6-row tile with its missing rows duplicated (computed and not
/// stored: a few per cent, no second code path) or, for one or two rows, a one-row tile; two vectors of columns left
/// at 512 bits run as a 6 × 2 tile and a last single vector as a 6 × 1 tile; columns narrower than a vector go to the
/// next narrower width and finally to scalar code. Which width runs is decided by <c>IsHardwareAccelerated</c>, a
/// constant to the JIT.</para>
/// </remarks>
internal static class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TShape, TEpilogue>(ref float a, ref float b, TShape shape, ref TEpilogue epilogue)
        where TShape : struct, IProductShape where TEpilogue : struct, IEpilogue, allows ref struct
    {
        nint column = 0;
        if (Vector512.IsHardwareAccelerated)
            column = Columns<V512, Vector512<float>, TShape, TEpilogue>(ref a, ref b, shape, column, ref epilogue);
        if (Vector256.IsHardwareAccelerated && column + Vector256<float>.Count <= shape.N)
            column = Columns<V256, Vector256<float>, TShape, TEpilogue>(ref a, ref b, shape, column, ref epilogue);
        if (Vector128.IsHardwareAccelerated && column + Vector128<float>.Count <= shape.N)
            column = Columns<V128, Vector128<float>, TShape, TEpilogue>(ref a, ref b, shape, column, ref epilogue);
        if (column < shape.N)
            Columns<Scalar, float, TShape, TEpilogue>(ref a, ref b, shape, column, ref epilogue);
    }

    /// <summary>
    /// What one step of the sum (one k) costs <see cref="Run"/> over a product of <paramref name="m"/> rows and
    /// <paramref name="n"/> columns, in instructions: each row the tiles compute (a 6-row tile computes 6 even where
    /// fewer are left) takes a broadcast and a multiply-add per vector of columns, at the widths <see cref="Run"/>
    /// would take them. For choosing between a product and its transpose; the sizes are constants where that matters,
    /// so the JIT folds it.
    /// </summary>
    internal static int StepCost(int m, int n)
    {
        int rows = m / 6 * 6 + (m % 6 >= 3 ? 6 : m % 6);
        int vectors = 0, column = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            vectors += n / Vector512<float>.Count;
            column = n / Vector512<float>.Count * Vector512<float>.Count;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            vectors += (n - column) / Vector256<float>.Count;
            column += (n - column) / Vector256<float>.Count * Vector256<float>.Count;
        }
        if (Vector128.IsHardwareAccelerated)
        {
            vectors += (n - column) / Vector128<float>.Count;
            column += (n - column) / Vector128<float>.Count * Vector128<float>.Count;
        }
        return rows * (1 + vectors + n - column);
    }

    /// <summary>The product's columns from <paramref name="column"/> on with one width only, as far as whole vectors go (tests run every width through this).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static nint Columns<TOps, TV, TShape, TEpilogue>(ref float a, ref float b, TShape shape, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TShape : struct, IProductShape where TEpilogue : struct, IEpilogue, allows ref struct
    {
        int width = TOps.Count, vectors = TOps.TileVectors, m = shape.M, n = shape.N;
        for (; column + vectors * width <= n; column += vectors * width)
        {
            nint row = 0;
            for (; row + 2 < m; row += 6)
            {
                int rows = (int)nint.Min(6, m - row);
                if (vectors == 4)
                    Tile6<TOps, TV, TShape, TEpilogue, Four>(ref a, ref b, shape, row, rows, column, ref epilogue);
                else
                    Tile6<TOps, TV, TShape, TEpilogue, Two>(ref a, ref b, shape, row, rows, column, ref epilogue);
            }
            for (; row < m; row++)
            {
                if (vectors == 4)
                    Tile1<TOps, TV, TShape, TEpilogue, Four>(ref a, ref b, shape, row, column, ref epilogue);
                else
                    Tile1<TOps, TV, TShape, TEpilogue, Two>(ref a, ref b, shape, row, column, ref epilogue);
            }
        }
        // At 512 bits, two vectors left (a layer of 32 units) still take 12 accumulators rather than two passes of 6.
        if (vectors == 4 && column + 2 * width <= n)
        {
            nint row = 0;
            for (; row + 2 < m; row += 6)
                Tile6<TOps, TV, TShape, TEpilogue, Two>(ref a, ref b, shape, row, (int)nint.Min(6, m - row), column, ref epilogue);
            for (; row < m; row++)
                Tile1<TOps, TV, TShape, TEpilogue, Two>(ref a, ref b, shape, row, column, ref epilogue);
            column += 2 * width;
        }
        for (; column + width <= n; column += width)
        {
            nint row = 0;
            for (; row + 2 < m; row += 6)
                Tile6<TOps, TV, TShape, TEpilogue, One>(ref a, ref b, shape, row, (int)nint.Min(6, m - row), column, ref epilogue);
            for (; row < m; row++)
                Tile1<TOps, TV, TShape, TEpilogue, One>(ref a, ref b, shape, row, column, ref epilogue);
        }
        return column;
    }

    /// <summary>
    /// Rows [row, row + rows) (rows ≤ 6) × TVectors vectors from <paramref name="column"/>; rows past <paramref name="rows"/>
    /// re-read the last real row and are not stored. Compiled on its own for each vector count (a type argument, so
    /// that the JIT drops the unused accumulators): inlined into the loops, the register allocator spilled them. The count
    /// is tested as a type where each vector's code is (<c>typeof(TVectors) == typeof(Four)</c>), which the JIT folds while
    /// importing; tested through a local holding <c>TVectors.Value</c> it was folded only after the dropped code had been
    /// compiled (the 512-bit 6 × 2 tile with a sigmoid layer's epilogue: 4.3 → 3.1 ms of compilation, Zen 5).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile6<TOps, TV, TShape, TEpilogue, TVectors>(ref float a, ref float b, TShape shape, nint row, int rows, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TShape : struct, IProductShape where TEpilogue : struct, IEpilogue, allows ref struct
        where TVectors : struct, IConstant
    {
        int vectors = TVectors.Value;
        nint w = TOps.Count, aRow = shape.ARow, aStep = shape.AStep, ldb = shape.Ldb;
        int k = shape.K;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
        TV c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
        TV c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c23 = TOps.Zero;
        TV c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero, c33 = TOps.Zero;
        TV c40 = TOps.Zero, c41 = TOps.Zero, c42 = TOps.Zero, c43 = TOps.Zero;
        TV c50 = TOps.Zero, c51 = TOps.Zero, c52 = TOps.Zero, c53 = TOps.Zero;
        ref float a0 = ref Unsafe.Add(ref a, row * aRow);
        ref float a1 = ref rows > 1 ? ref Unsafe.Add(ref a0, aRow) : ref a0;
        ref float a2 = ref rows > 2 ? ref Unsafe.Add(ref a1, aRow) : ref a1;
        ref float a3 = ref rows > 3 ? ref Unsafe.Add(ref a2, aRow) : ref a2;
        ref float a4 = ref rows > 4 ? ref Unsafe.Add(ref a3, aRow) : ref a3;
        ref float a5 = ref rows > 5 ? ref Unsafe.Add(ref a4, aRow) : ref a4;
        ref float bp = ref Unsafe.Add(ref b, column);
        nint ap = 0;
        for (int p = 0; p < k; p++)
        {
            TV x;
            TV b0 = TOps.Load(ref bp, 0);
            TV b1 = typeof(TVectors) != typeof(One) ? TOps.Load(ref bp, w) : TOps.Zero;
            TV b2 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref bp, 2 * w) : TOps.Zero;
            TV b3 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref bp, 3 * w) : TOps.Zero;
            x = TOps.Broadcast(Unsafe.Add(ref a0, ap));
            c00 = TOps.MultiplyAdd(x, b0, c00);
            if (typeof(TVectors) != typeof(One)) c01 = TOps.MultiplyAdd(x, b1, c01);
            if (typeof(TVectors) == typeof(Four)) c02 = TOps.MultiplyAdd(x, b2, c02);
            if (typeof(TVectors) == typeof(Four)) c03 = TOps.MultiplyAdd(x, b3, c03);
            x = TOps.Broadcast(Unsafe.Add(ref a1, ap));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            if (typeof(TVectors) != typeof(One)) c11 = TOps.MultiplyAdd(x, b1, c11);
            if (typeof(TVectors) == typeof(Four)) c12 = TOps.MultiplyAdd(x, b2, c12);
            if (typeof(TVectors) == typeof(Four)) c13 = TOps.MultiplyAdd(x, b3, c13);
            x = TOps.Broadcast(Unsafe.Add(ref a2, ap));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            if (typeof(TVectors) != typeof(One)) c21 = TOps.MultiplyAdd(x, b1, c21);
            if (typeof(TVectors) == typeof(Four)) c22 = TOps.MultiplyAdd(x, b2, c22);
            if (typeof(TVectors) == typeof(Four)) c23 = TOps.MultiplyAdd(x, b3, c23);
            x = TOps.Broadcast(Unsafe.Add(ref a3, ap));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            if (typeof(TVectors) != typeof(One)) c31 = TOps.MultiplyAdd(x, b1, c31);
            if (typeof(TVectors) == typeof(Four)) c32 = TOps.MultiplyAdd(x, b2, c32);
            if (typeof(TVectors) == typeof(Four)) c33 = TOps.MultiplyAdd(x, b3, c33);
            x = TOps.Broadcast(Unsafe.Add(ref a4, ap));
            c40 = TOps.MultiplyAdd(x, b0, c40);
            if (typeof(TVectors) != typeof(One)) c41 = TOps.MultiplyAdd(x, b1, c41);
            if (typeof(TVectors) == typeof(Four)) c42 = TOps.MultiplyAdd(x, b2, c42);
            if (typeof(TVectors) == typeof(Four)) c43 = TOps.MultiplyAdd(x, b3, c43);
            x = TOps.Broadcast(Unsafe.Add(ref a5, ap));
            c50 = TOps.MultiplyAdd(x, b0, c50);
            if (typeof(TVectors) != typeof(One)) c51 = TOps.MultiplyAdd(x, b1, c51);
            if (typeof(TVectors) == typeof(Four)) c52 = TOps.MultiplyAdd(x, b2, c52);
            if (typeof(TVectors) == typeof(Four)) c53 = TOps.MultiplyAdd(x, b3, c53);
            bp = ref Unsafe.Add(ref bp, ldb);
            ap += aStep;
        }
        StoreRow<TOps, TV, TEpilogue, TVectors>(ref epilogue, row + 0, column, c00, c01, c02, c03);
        if (rows > 1) StoreRow<TOps, TV, TEpilogue, TVectors>(ref epilogue, row + 1, column, c10, c11, c12, c13);
        if (rows > 2) StoreRow<TOps, TV, TEpilogue, TVectors>(ref epilogue, row + 2, column, c20, c21, c22, c23);
        if (rows > 3) StoreRow<TOps, TV, TEpilogue, TVectors>(ref epilogue, row + 3, column, c30, c31, c32, c33);
        if (rows > 4) StoreRow<TOps, TV, TEpilogue, TVectors>(ref epilogue, row + 4, column, c40, c41, c42, c43);
        if (rows > 5) StoreRow<TOps, TV, TEpilogue, TVectors>(ref epilogue, row + 5, column, c50, c51, c52, c53);
        epilogue.Finish<TOps, TV>(row, rows, column, vectors);
    }

    /// <summary>One row × TVectors vectors, with two sets of accumulators over alternate k to halve the chains.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile1<TOps, TV, TShape, TEpilogue, TVectors>(ref float a, ref float b, TShape shape, nint row, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TShape : struct, IProductShape where TEpilogue : struct, IEpilogue, allows ref struct
        where TVectors : struct, IConstant
    {
        int vectors = TVectors.Value;
        nint w = TOps.Count, aStep = shape.AStep, ldb = shape.Ldb;
        int k = shape.K;
        TV c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, d0 = TOps.Zero, d1 = TOps.Zero, d2 = TOps.Zero, d3 = TOps.Zero;
        ref float a0 = ref Unsafe.Add(ref a, row * shape.ARow);
        ref float bp = ref Unsafe.Add(ref b, column);
        nint ap = 0;
        int p = 0;
        for (; p + 2 <= k; p += 2)
        {
            TV x = TOps.Broadcast(Unsafe.Add(ref a0, ap));
            TV y = TOps.Broadcast(Unsafe.Add(ref a0, ap + aStep));
            ref float bq = ref Unsafe.Add(ref bp, ldb);
            c0 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 0), c0);
            d0 = TOps.MultiplyAdd(y, TOps.Load(ref bq, 0), d0);
            if (typeof(TVectors) != typeof(One)) { c1 = TOps.MultiplyAdd(x, TOps.Load(ref bp, w), c1); d1 = TOps.MultiplyAdd(y, TOps.Load(ref bq, w), d1); }
            if (typeof(TVectors) == typeof(Four)) { c2 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 2 * w), c2); d2 = TOps.MultiplyAdd(y, TOps.Load(ref bq, 2 * w), d2); }
            if (typeof(TVectors) == typeof(Four)) { c3 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 3 * w), c3); d3 = TOps.MultiplyAdd(y, TOps.Load(ref bq, 3 * w), d3); }
            bp = ref Unsafe.Add(ref bp, 2 * ldb);
            ap += 2 * aStep;
        }
        if (p < k)
        {
            TV x = TOps.Broadcast(Unsafe.Add(ref a0, ap));
            c0 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 0), c0);
            if (typeof(TVectors) != typeof(One)) c1 = TOps.MultiplyAdd(x, TOps.Load(ref bp, w), c1);
            if (typeof(TVectors) == typeof(Four)) c2 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 2 * w), c2);
            if (typeof(TVectors) == typeof(Four)) c3 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 3 * w), c3);
        }
        StoreRow<TOps, TV, TEpilogue, TVectors>(ref epilogue, row, column, TOps.Add(c0, d0), TOps.Add(c1, d1), TOps.Add(c2, d2), TOps.Add(c3, d3));
        epilogue.Finish<TOps, TV>(row, 1, column, vectors);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TOps, TV, TEpilogue, TVectors>(ref TEpilogue epilogue, nint row, nint column, TV c0, TV c1, TV c2, TV c3)
        where TOps : IVectorOps<TV> where TV : struct where TEpilogue : struct, IEpilogue, allows ref struct where TVectors : struct, IConstant
    {
        nint w = TOps.Count;
        epilogue.Store<TOps, TV>(c0, row, column);
        if (typeof(TVectors) != typeof(One)) epilogue.Store<TOps, TV>(c1, row, column + w);
        if (typeof(TVectors) == typeof(Four)) epilogue.Store<TOps, TV>(c2, row, column + 2 * w);
        if (typeof(TVectors) == typeof(Four)) epilogue.Store<TOps, TV>(c3, row, column + 3 * w);
    }
}

/// <summary>
/// An integer as a type, so that a method compiled on its own still sees it as a constant. Code that depends on it tests
/// the type where it is decided (<c>typeof(TVectors) == typeof(Four)</c>), which the JIT folds while importing: a test
/// of <c>Value</c> held in a local is folded only after the code it drops has been compiled.
/// </summary>
internal interface IConstant
{
    static abstract int Value { get; }
}

internal readonly struct One : IConstant { public static int Value => 1; }

internal readonly struct Two : IConstant { public static int Value => 2; }

internal readonly struct Four : IConstant { public static int Value => 4; }
