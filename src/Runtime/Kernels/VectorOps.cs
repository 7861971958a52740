using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// The vector operations the matrix kernels are written with, once, for every width: <see cref="V512"/>,
/// <see cref="V256"/>, <see cref="V128"/> and <see cref="Scalar"/> (a "vector" of one float). The kernels are generic
/// over these structs, so the JIT compiles one specialised copy per width with every call inlined.
/// </summary>
internal interface IVectorOps<TV> where TV : struct
{
    static abstract int Count { get; }
    /// <summary>Vectors per row of the matrix micro-tile (6 rows × this), sized to the width's register file.</summary>
    static abstract int TileVectors { get; }
    static abstract TV Zero { get; }
    static abstract TV Load(ref float source, nint offset);
    static abstract void Store(TV value, ref float destination, nint offset);
    static abstract TV Broadcast(float value);
    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);
    static abstract TV Add(TV a, TV b);
    /// <summary>a·b, rounded once (never fused with a later add).</summary>
    static abstract TV Multiply(TV a, TV b);
    /// <summary>a / b, IEEE division (not a reciprocal estimate).</summary>
    static abstract TV Divide(TV a, TV b);
    /// <summary>√a, IEEE square root.</summary>
    static abstract TV Sqrt(TV a);
    static abstract float Sum(TV value);
    static abstract TV Apply<TOp>(TV z) where TOp : IUnaryOperator;
    static abstract TV Apply<TOp>(TV x, TV y) where TOp : IBinaryOperator;
    /// <summary>Count dot products rows[r·stride ..]·vector over <paramref name="length"/> (≥ Count) elements, as one vector (<see cref="DotProducts"/>).</summary>
    static abstract TV DotBlock(ref float rows, nint stride, ref float vector, int length);
    /// <summary><paramref name="value"/> with every lane but the last <paramref name="fresh"/> zeroed (1 ≤ fresh ≤ Count): the overlapping last vector of a dot product.</summary>
    static abstract TV KeepLast(TV value, int fresh);
    /// <summary>Stores the sums of the four vectors at destination[0..4).</summary>
    static abstract void StoreSums4(TV a0, TV a1, TV a2, TV a3, ref float destination);
    /// <summary>
    /// Stores the sums of the eight vectors at destination[0..8), each added in the order of <see cref="StoreSums4"/>
    /// (the same bits), with fewer shuffles where the width allows it.
    /// </summary>
    static abstract void StoreSums8(TV a0, TV a1, TV a2, TV a3, TV a4, TV a5, TV a6, TV a7, ref float destination);
    /// <summary>
    /// Whether <see cref="Stitch"/> is one instruction (AVX-512's two-source permute), so that a kernel may read a row
    /// that starts off a vector boundary as aligned vectors and stitch each of its own vectors from two of them.
    /// </summary>
    static abstract bool Stitches { get; }
    /// <summary>The index <see cref="Stitch"/> takes for a vector that starts <paramref name="offset"/> lanes into the first (0 ≤ offset ≤ Count).</summary>
    static abstract TV StitchIndex(int offset);
    /// <summary>
    /// The Count lanes of previous ‖ current from the offset <paramref name="index"/> was made for: lane l is
    /// previous[l + offset] where that is a lane of previous, else current[l + offset − Count]. Exact at every width
    /// (a permute moves bits); one instruction only where <see cref="Stitches"/>.
    /// </summary>
    static abstract TV Stitch(TV previous, TV current, TV index);
}

internal readonly struct V512 : IVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    // AVX-512 has 32 registers: 24 accumulators, 4 loads of B, 1 broadcast.
    public static int TileVectors => 4;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply<TOp>(Vector512<float> z) where TOp : IUnaryOperator => TOp.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply<TOp>(Vector512<float> x, Vector512<float> y) where TOp : IBinaryOperator => TOp.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> DotBlock(ref float rows, nint stride, ref float vector, int length) => DotProducts.Block16(ref rows, stride, ref vector, length);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepLast(Vector512<float> value, int fresh) => value & Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(16 - fresh)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums4(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, ref float destination) => V256.StoreSums4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper(), ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums8(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7, ref float destination)
    {
        if (Avx512F.IsSupported)
        {
            SumTree.Store8(a0, a1, a2, a3, a4, a5, a6, a7, ref destination);
            return;
        }
        StoreSums4(a0, a1, a2, a3, ref destination);
        StoreSums4(a4, a5, a6, a7, ref Unsafe.Add(ref destination, 4));
    }
    public static bool Stitches => Avx512F.IsSupported;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> StitchIndex(int offset) => (Vector512<int>.Indices + Vector512.Create(offset)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Stitch(Vector512<float> previous, Vector512<float> current, Vector512<float> index) =>
        Avx512F.IsSupported
            ? Avx512F.PermuteVar16x32x2(previous, index.AsInt32(), current)
            : Vector512.ConditionalSelect(Vector512.LessThan(index.AsInt32(), Vector512.Create(16)).AsSingle(),
                Vector512.Shuffle(previous, index.AsInt32() & Vector512.Create(15)), Vector512.Shuffle(current, index.AsInt32() & Vector512.Create(15)));
}

internal readonly struct V256 : IVectorOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    // AVX2 has 16: 12 accumulators, 2 loads of B, 1 broadcast (a 4 × 4 tile needed 21 and spilled).
    public static int TileVectors => 2;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Vector256.FusedMultiplyAdd(a, b, c) : a * b + c;
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply<TOp>(Vector256<float> z) where TOp : IUnaryOperator => TOp.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply<TOp>(Vector256<float> x, Vector256<float> y) where TOp : IBinaryOperator => TOp.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> DotBlock(ref float rows, nint stride, ref float vector, int length) => DotProducts.Block8(ref rows, stride, ref vector, length);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepLast(Vector256<float> value, int fresh) => value & Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(8 - fresh)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, ref float destination) => DotProducts.Reduce4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper()).StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums8(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7, ref float destination)
    {
        StoreSums4(a0, a1, a2, a3, ref destination);
        StoreSums4(a4, a5, a6, a7, ref Unsafe.Add(ref destination, 4));
    }
    // AVX2 has no two-source permute: two shuffles and a blend, so the tiles keep their unaligned loads.
    public static bool Stitches => false;
    public static Vector256<float> StitchIndex(int offset) => (Vector256<int>.Indices + Vector256.Create(offset)).AsSingle();
    public static Vector256<float> Stitch(Vector256<float> previous, Vector256<float> current, Vector256<float> index) =>
        Vector256.ConditionalSelect(Vector256.LessThan(index.AsInt32(), Vector256.Create(8)).AsSingle(),
            Vector256.Shuffle(previous, index.AsInt32() & Vector256.Create(7)), Vector256.Shuffle(current, index.AsInt32() & Vector256.Create(7)));
}

internal readonly struct V128 : IVectorOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    // SSE/AVX have 16 xmm registers (6 × 2 as for AVX2); ARM64's NEON has 32 (6 × 4, as for AVX-512).
    public static int TileVectors => AdvSimd.IsSupported ? 4 : 2;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply<TOp>(Vector128<float> z) where TOp : IUnaryOperator => TOp.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply<TOp>(Vector128<float> x, Vector128<float> y) where TOp : IBinaryOperator => TOp.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> DotBlock(ref float rows, nint stride, ref float vector, int length) => DotProducts.Block4(ref rows, stride, ref vector, length);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepLast(Vector128<float> value, int fresh) => value & Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(4 - fresh)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums4(Vector128<float> a0, Vector128<float> a1, Vector128<float> a2, Vector128<float> a3, ref float destination) => DotProducts.Reduce4(a0, a1, a2, a3).StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums8(Vector128<float> a0, Vector128<float> a1, Vector128<float> a2, Vector128<float> a3,
        Vector128<float> a4, Vector128<float> a5, Vector128<float> a6, Vector128<float> a7, ref float destination)
    {
        StoreSums4(a0, a1, a2, a3, ref destination);
        StoreSums4(a4, a5, a6, a7, ref Unsafe.Add(ref destination, 4));
    }
    // SSE has no two-source permute and NEON's is a two-register table lookup: the tiles keep their unaligned loads.
    public static bool Stitches => false;
    public static Vector128<float> StitchIndex(int offset) => (Vector128<int>.Indices + Vector128.Create(offset)).AsSingle();
    public static Vector128<float> Stitch(Vector128<float> previous, Vector128<float> current, Vector128<float> index) =>
        Vector128.ConditionalSelect(Vector128.LessThan(index.AsInt32(), Vector128.Create(4)).AsSingle(),
            Vector128.Shuffle(previous, index.AsInt32() & Vector128.Create(3)), Vector128.Shuffle(current, index.AsInt32() & Vector128.Create(3)));
}

/// <summary>One float at a time: the fallback without vector hardware, and the last columns of every width.</summary>
internal readonly struct Scalar : IVectorOps<float>
{
    public static int Count => 1;
    public static int TileVectors => 2;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nint offset) => Unsafe.Add(ref destination, offset) = value;
    public static float Broadcast(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => Fma.IsSupported || AdvSimd.IsSupported ? float.FusedMultiplyAdd(a, b, c) : a * b + c;
    public static float Add(float a, float b) => a + b;
    public static float Multiply(float a, float b) => a * b;
    public static float Divide(float a, float b) => a / b;
    public static float Sqrt(float a) => MathF.Sqrt(a);
    public static float Sum(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply<TOp>(float z) where TOp : IUnaryOperator => TOp.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply<TOp>(float x, float y) where TOp : IBinaryOperator => TOp.Invoke(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DotBlock(ref float rows, nint stride, ref float vector, int length)
    {
        float sum = 0f;
        for (nint i = 0; i < length; i++)
            sum = MultiplyAdd(Unsafe.Add(ref rows, i), Unsafe.Add(ref vector, i), sum);
        return sum;
    }
    public static float KeepLast(float value, int fresh) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums4(float a0, float a1, float a2, float a3, ref float destination)
    {
        destination = a0;
        Unsafe.Add(ref destination, 1) = a1;
        Unsafe.Add(ref destination, 2) = a2;
        Unsafe.Add(ref destination, 3) = a3;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums8(float a0, float a1, float a2, float a3, float a4, float a5, float a6, float a7, ref float destination)
    {
        StoreSums4(a0, a1, a2, a3, ref destination);
        StoreSums4(a4, a5, a6, a7, ref Unsafe.Add(ref destination, 4));
    }
    // One float never crosses a cache line.
    public static bool Stitches => false;
    public static float StitchIndex(int offset) => offset;
    public static float Stitch(float previous, float current, float index) => index < 1 ? previous : current;
}
