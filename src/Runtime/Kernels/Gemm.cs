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
/// every dense layer's forward pass, weight gradient and input gradient.
/// </summary>
/// <remarks>
/// B's rows are read contiguously (vectors along n); A's elements are broadcast, so A may be laid out with any
/// strides: A[m, k] is at a[m·aRow + k·aStep]. That is what lets one kernel serve X·Wᵀ (with Wᵀ kept as [in, out]),
/// δᵀ·X (A = δ read down its columns) and δ·W (W read in PyTorch's [out, in]). Tiles are 4 rows × 4 vectors (16
/// accumulators in registers: with 512-bit vectors that is 4 × 64 results, and per k four loads and four broadcasts
/// feed 16 FMAs), then 4 × 1, 1 × 4 and 1 × 1 at the edges; columns go to the widest accelerated width first
/// (512, 256, 128 bits) and the last few to scalar code.
/// </remarks>
internal static class Gemm
{
    public static void Run<TEpilogue>(ref float a, nint aRow, nint aStep, ref float b, nint ldb, int m, int n, int k, ref TEpilogue epilogue)
        where TEpilogue : struct, IEpilogue, allows ref struct
    {
        nint column = 0;
        if (Vector512.IsHardwareAccelerated)
            column = Columns<V512, Vector512<float>, TEpilogue>(ref a, aRow, aStep, ref b, ldb, m, n, k, column, ref epilogue);
        if (Vector256.IsHardwareAccelerated)
            column = Columns<V256, Vector256<float>, TEpilogue>(ref a, aRow, aStep, ref b, ldb, m, n, k, column, ref epilogue);
        if (Vector128.IsHardwareAccelerated)
            column = Columns<V128, Vector128<float>, TEpilogue>(ref a, aRow, aStep, ref b, ldb, m, n, k, column, ref epilogue);
        Columns<Scalar, float, TEpilogue>(ref a, aRow, aStep, ref b, ldb, m, n, k, column, ref epilogue);
    }

    /// <summary>The same product with one width only (tests run every width through this).</summary>
    internal static nint Columns<TOps, TV, TEpilogue>(ref float a, nint aRow, nint aStep, ref float b, nint ldb, int m, int n, int k, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TEpilogue : struct, IEpilogue, allows ref struct
    {
        int width = TOps.Count;
        for (; column + 4 * width <= n; column += 4 * width)
        {
            nint row = 0;
            for (; row + 4 <= m; row += 4)
                Tile4x4<TOps, TV, TEpilogue>(ref a, aRow, aStep, ref b, ldb, k, row, column, ref epilogue);
            for (; row < m; row++)
                Tile1x4<TOps, TV, TEpilogue>(ref a, aRow, aStep, ref b, ldb, k, row, column, ref epilogue);
        }
        for (; column + width <= n; column += width)
        {
            nint row = 0;
            for (; row + 4 <= m; row += 4)
                Tile4x1<TOps, TV, TEpilogue>(ref a, aRow, aStep, ref b, ldb, k, row, column, ref epilogue);
            for (; row < m; row++)
                Tile1x1<TOps, TV, TEpilogue>(ref a, aRow, aStep, ref b, ldb, k, row, column, ref epilogue);
        }
        return column;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4<TOps, TV, TEpilogue>(ref float a, nint aRow, nint aStep, ref float b, nint ldb, int k, nint row, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TEpilogue : struct, IEpilogue, allows ref struct
    {
        nint w = TOps.Count;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
        TV c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
        TV c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c23 = TOps.Zero;
        TV c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero, c33 = TOps.Zero;
        ref float a0 = ref Unsafe.Add(ref a, row * aRow);
        ref float a1 = ref Unsafe.Add(ref a0, aRow);
        ref float a2 = ref Unsafe.Add(ref a1, aRow);
        ref float a3 = ref Unsafe.Add(ref a2, aRow);
        ref float bp = ref Unsafe.Add(ref b, column);
        nint ap = 0;
        for (int p = 0; p < k; p++)
        {
            TV b0 = TOps.Load(ref bp, 0), b1 = TOps.Load(ref bp, w), b2 = TOps.Load(ref bp, 2 * w), b3 = TOps.Load(ref bp, 3 * w);
            TV x = TOps.Broadcast(Unsafe.Add(ref a0, ap));
            c00 = TOps.MultiplyAdd(x, b0, c00); c01 = TOps.MultiplyAdd(x, b1, c01); c02 = TOps.MultiplyAdd(x, b2, c02); c03 = TOps.MultiplyAdd(x, b3, c03);
            x = TOps.Broadcast(Unsafe.Add(ref a1, ap));
            c10 = TOps.MultiplyAdd(x, b0, c10); c11 = TOps.MultiplyAdd(x, b1, c11); c12 = TOps.MultiplyAdd(x, b2, c12); c13 = TOps.MultiplyAdd(x, b3, c13);
            x = TOps.Broadcast(Unsafe.Add(ref a2, ap));
            c20 = TOps.MultiplyAdd(x, b0, c20); c21 = TOps.MultiplyAdd(x, b1, c21); c22 = TOps.MultiplyAdd(x, b2, c22); c23 = TOps.MultiplyAdd(x, b3, c23);
            x = TOps.Broadcast(Unsafe.Add(ref a3, ap));
            c30 = TOps.MultiplyAdd(x, b0, c30); c31 = TOps.MultiplyAdd(x, b1, c31); c32 = TOps.MultiplyAdd(x, b2, c32); c33 = TOps.MultiplyAdd(x, b3, c33);
            bp = ref Unsafe.Add(ref bp, ldb);
            ap += aStep;
        }
        epilogue.Store<TOps, TV>(c00, row, column); epilogue.Store<TOps, TV>(c01, row, column + w);
        epilogue.Store<TOps, TV>(c02, row, column + 2 * w); epilogue.Store<TOps, TV>(c03, row, column + 3 * w);
        epilogue.Store<TOps, TV>(c10, row + 1, column); epilogue.Store<TOps, TV>(c11, row + 1, column + w);
        epilogue.Store<TOps, TV>(c12, row + 1, column + 2 * w); epilogue.Store<TOps, TV>(c13, row + 1, column + 3 * w);
        epilogue.Store<TOps, TV>(c20, row + 2, column); epilogue.Store<TOps, TV>(c21, row + 2, column + w);
        epilogue.Store<TOps, TV>(c22, row + 2, column + 2 * w); epilogue.Store<TOps, TV>(c23, row + 2, column + 3 * w);
        epilogue.Store<TOps, TV>(c30, row + 3, column); epilogue.Store<TOps, TV>(c31, row + 3, column + w);
        epilogue.Store<TOps, TV>(c32, row + 3, column + 2 * w); epilogue.Store<TOps, TV>(c33, row + 3, column + 3 * w);
        epilogue.Finish<TOps, TV>(row, 4, column, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x4<TOps, TV, TEpilogue>(ref float a, nint aRow, nint aStep, ref float b, nint ldb, int k, nint row, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TEpilogue : struct, IEpilogue, allows ref struct
    {
        nint w = TOps.Count;
        TV c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        ref float a0 = ref Unsafe.Add(ref a, row * aRow);
        ref float bp = ref Unsafe.Add(ref b, column);
        nint ap = 0;
        for (int p = 0; p < k; p++)
        {
            TV x = TOps.Broadcast(Unsafe.Add(ref a0, ap));
            c0 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 0), c0);
            c1 = TOps.MultiplyAdd(x, TOps.Load(ref bp, w), c1);
            c2 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 2 * w), c2);
            c3 = TOps.MultiplyAdd(x, TOps.Load(ref bp, 3 * w), c3);
            bp = ref Unsafe.Add(ref bp, ldb);
            ap += aStep;
        }
        epilogue.Store<TOps, TV>(c0, row, column); epilogue.Store<TOps, TV>(c1, row, column + w);
        epilogue.Store<TOps, TV>(c2, row, column + 2 * w); epilogue.Store<TOps, TV>(c3, row, column + 3 * w);
        epilogue.Finish<TOps, TV>(row, 1, column, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x1<TOps, TV, TEpilogue>(ref float a, nint aRow, nint aStep, ref float b, nint ldb, int k, nint row, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TEpilogue : struct, IEpilogue, allows ref struct
    {
        TV c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        ref float a0 = ref Unsafe.Add(ref a, row * aRow);
        ref float a1 = ref Unsafe.Add(ref a0, aRow);
        ref float a2 = ref Unsafe.Add(ref a1, aRow);
        ref float a3 = ref Unsafe.Add(ref a2, aRow);
        ref float bp = ref Unsafe.Add(ref b, column);
        nint ap = 0;
        for (int p = 0; p < k; p++)
        {
            TV bv = TOps.Load(ref bp, 0);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a0, ap)), bv, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a1, ap)), bv, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a2, ap)), bv, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a3, ap)), bv, c3);
            bp = ref Unsafe.Add(ref bp, ldb);
            ap += aStep;
        }
        epilogue.Store<TOps, TV>(c0, row, column); epilogue.Store<TOps, TV>(c1, row + 1, column);
        epilogue.Store<TOps, TV>(c2, row + 2, column); epilogue.Store<TOps, TV>(c3, row + 3, column);
        epilogue.Finish<TOps, TV>(row, 4, column, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x1<TOps, TV, TEpilogue>(ref float a, nint aRow, nint aStep, ref float b, nint ldb, int k, nint row, nint column, ref TEpilogue epilogue)
        where TOps : IVectorOps<TV> where TV : struct where TEpilogue : struct, IEpilogue, allows ref struct
    {
        // Two accumulators over alternate k halve the dependency chain of one long sum.
        TV c0 = TOps.Zero, c1 = TOps.Zero;
        ref float a0 = ref Unsafe.Add(ref a, row * aRow);
        ref float bp = ref Unsafe.Add(ref b, column);
        nint ap = 0;
        int p = 0;
        for (; p + 2 <= k; p += 2)
        {
            c0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a0, ap)), TOps.Load(ref bp, 0), c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a0, ap + aStep)), TOps.Load(ref bp, ldb), c1);
            bp = ref Unsafe.Add(ref bp, 2 * ldb);
            ap += 2 * aStep;
        }
        if (p < k)
            c0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a0, ap)), TOps.Load(ref bp, 0), c0);
        epilogue.Store<TOps, TV>(TOps.Add(c0, c1), row, column);
        epilogue.Finish<TOps, TV>(row, 1, column, 1);
    }
}
