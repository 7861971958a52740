using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// The matrix kernels of a dense layer z = W·x + b, y = f(z), for a batch: rows of x, z, y and δ are samples
/// (row-major [batch, size]); W is PyTorch's [units, inputs]. Generated code calls these with its layer's sizes as
/// constants. Every kernel overwrites its output (no clearing pass), fuses what it can (bias and activation into the
/// forward product, the activation's derivative into the input gradient), and allocates nothing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Dense
{
    /// <summary>
    /// y = f(x·Wᵀ + b) with Wᵀ given as [inputs, units] (<paramref name="transposedWeights"/>), so that the product reads
    /// it along the units; <paramref name="z"/>, when not empty, receives the pre-activation. <paramref name="bias"/> may be empty.
    /// </summary>
    public static void Forward<TActivation>(ReadOnlySpan<float> x, ReadOnlySpan<float> transposedWeights, ReadOnlySpan<float> bias,
        Span<float> z, Span<float> y, int batch, int inputs, int units) where TActivation : IUnaryOperator
    {
        CheckForward(x, transposedWeights, bias, z, y, batch, inputs, units);
        if (inputs == 1 && Vector512.IsHardwareAccelerated && units % 16 == 0)
        {
            OuterForward<TActivation>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(transposedWeights),
                ref MemoryMarshal.GetReference(bias), !bias.IsEmpty, ref MemoryMarshal.GetReference(z), !z.IsEmpty, ref MemoryMarshal.GetReference(y), batch, units);
            return;
        }
        var epilogue = new ForwardEpilogue<TActivation>(ref MemoryMarshal.GetReference(bias), !bias.IsEmpty,
            ref MemoryMarshal.GetReference(z), !z.IsEmpty, ref MemoryMarshal.GetReference(y), units);
        Gemm.Run(ref MemoryMarshal.GetReference(x), inputs, 1, ref MemoryMarshal.GetReference(transposedWeights), units, batch, units, inputs, ref epilogue);
    }

    /// <summary>
    /// The same y = f(W·x + b), reading W in its own [units, inputs] layout, one dot product per unit: for batches too
    /// small to pay for a transposed copy of W, and for layers too narrow for a vector of units.
    /// </summary>
    public static void ForwardByRows<TActivation>(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> z, Span<float> y, int batch, int inputs, int units) where TActivation : IUnaryOperator
    {
        CheckForward(x, weights, bias, z, y, batch, inputs, units);
        Span<float> sums = z.IsEmpty ? y.Slice(0, batch * units) : z.Slice(0, batch * units);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float s = ref MemoryMarshal.GetReference(sums);
        if (Avx512F.IsSupported && inputs % 16 == 0 && units == 1 && batch >= 16)
        {
            int done = DotSamples16(ref xr, ref w, ref s, batch, inputs);
            DotRows<V512, Vector512<float>>(ref Unsafe.Add(ref xr, done * inputs), ref w, ref Unsafe.Add(ref s, done), batch - done, inputs, units);
        }
        else if (Avx512F.IsSupported && inputs % 16 == 0 && units % 16 == 0)
        {
            // Bias and f applied to each vector of 16 results as it leaves the reduction: no passes over the rows.
            DotRows16<TActivation>(ref xr, ref w, ref MemoryMarshal.GetReference(bias), !bias.IsEmpty,
                ref MemoryMarshal.GetReference(z), !z.IsEmpty, ref MemoryMarshal.GetReference(y), batch, inputs, units);
            return;
        }
        else if (Vector512.IsHardwareAccelerated && inputs >= Vector512<float>.Count)
            DotRows<V512, Vector512<float>>(ref xr, ref w, ref s, batch, inputs, units);
        else if (Vector256.IsHardwareAccelerated && inputs >= Vector256<float>.Count)
            DotRows<V256, Vector256<float>>(ref xr, ref w, ref s, batch, inputs, units);
        else if (Vector128.IsHardwareAccelerated && inputs >= Vector128<float>.Count)
            DotRows<V128, Vector128<float>>(ref xr, ref w, ref s, batch, inputs, units);
        else
            DotRows<Scalar, float>(ref xr, ref w, ref s, batch, inputs, units);
        if (!bias.IsEmpty)
            for (int n = 0; n < batch; n++)
            {
                Span<float> row = sums.Slice(n * units, units);
                System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
            }
        if (typeof(TActivation) != typeof(IdentityOperator) || !z.IsEmpty)
            ElementwiseLoop.Map<TActivation>(sums, y.Slice(0, batch * units));
    }

    /// <summary>Wᵀ: [units, inputs] → [inputs, units].</summary>
    public static void Transpose(ReadOnlySpan<float> weights, Span<float> transposed, int units, int inputs)
    {
        if (weights.Length < units * inputs || transposed.Length < units * inputs)
            throw new ArgumentException("The weight buffers are smaller than units × inputs.");
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float t = ref MemoryMarshal.GetReference(transposed);
        if (Avx.IsSupported && units % 8 == 0 && inputs % 8 == 0)
        {
            for (nint o = 0; o < units; o += 8)
                for (nint i = 0; i < inputs; i += 8)
                    Transpose8x8(ref Unsafe.Add(ref w, o * inputs + i), inputs, ref Unsafe.Add(ref t, i * units + o), units);
            return;
        }
        // Written in order (reads down W's columns hit L1 for the layer sizes NetGen is for).
        for (nint i = 0; i < inputs; i++)
        {
            ref float column = ref Unsafe.Add(ref w, i);
            ref float row = ref Unsafe.Add(ref t, i * units);
            for (nint o = 0; o < units; o++)
                Unsafe.Add(ref row, o) = Unsafe.Add(ref column, o * inputs);
        }
    }

    /// <summary>An 8 × 8 block: eight row loads, three rounds of shuffles, eight row stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, nint sourceRow, ref float destination, nint destinationRow)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source), r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceRow);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceRow)), r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceRow));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceRow)), r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceRow));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceRow)), r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceRow));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref destination, (nuint)destinationRow);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref destination, (nuint)(2 * destinationRow));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref destination, (nuint)(3 * destinationRow));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref destination, (nuint)(4 * destinationRow));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref destination, (nuint)(5 * destinationRow));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref destination, (nuint)(6 * destinationRow));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref destination, (nuint)(7 * destinationRow));
    }

    /// <summary>∂L/∂W = δᵀ·x ([units, inputs], overwritten): Σ over the batch of δ[n, o]·x[n, i].</summary>
    public static void WeightGradients(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> weightGradients, int batch, int inputs, int units)
    {
        if (delta.Length < batch * units || x.Length < batch * inputs || weightGradients.Length < units * inputs)
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        ref float d = ref MemoryMarshal.GetReference(delta);
        ref float xr = ref MemoryMarshal.GetReference(x);
        var epilogue = new StoreEpilogue(ref MemoryMarshal.GetReference(weightGradients), inputs == 1 ? units : inputs);
        if (inputs == 1)
            // One input: [units, 1] is laid out as [1, units], so compute the row x·δ, vectors along the units.
            Gemm.Run(ref xr, 0, 1, ref d, units, 1, units, batch, ref epilogue);
        else
            // Rows are units (δ read down a column), vectors along the inputs (rows of x), the sum over the batch.
            Gemm.Run(ref d, 1, units, ref xr, inputs, units, inputs, batch, ref epilogue);
    }

    /// <summary>∂L/∂b = Σ_n δ[n, :] (overwritten).</summary>
    public static void BiasGradients(ReadOnlySpan<float> delta, Span<float> biasGradients, int batch, int units)
    {
        if (delta.Length < batch * units || biasGradients.Length < units)
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        if (Vector512.IsHardwareAccelerated && units % 16 == 0)
        {
            ColumnSums(ref MemoryMarshal.GetReference(delta), ref MemoryMarshal.GetReference(biasGradients), batch, units);
            return;
        }
        // The product 1ᵀ·δ: a one-row A that is the constant 1 (both strides 0).
        float one = 1f;
        var epilogue = new StoreEpilogue(ref MemoryMarshal.GetReference(biasGradients), units);
        Gemm.Run(ref one, 0, 0, ref MemoryMarshal.GetReference(delta), units, 1, units, batch, ref epilogue);
    }

    /// <summary>
    /// δx = δ·W ([batch, inputs]; added to what is there when <paramref name="accumulate"/>), then, fused, the derivative of
    /// the activation of the layer below: δx ← TDerivative(<paramref name="source"/>, δx), with source that layer's values
    /// (its y, or its z for softplus). <see cref="IdentityDerivativeOperator"/> leaves δx as it is.
    /// </summary>
    public static void InputGradients<TDerivative>(ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> source,
        Span<float> inputGradients, bool accumulate, int batch, int inputs, int units) where TDerivative : IBinaryOperator
    {
        bool fused = typeof(TDerivative) != typeof(IdentityDerivativeOperator);
        if (delta.Length < batch * units || weights.Length < units * inputs || inputGradients.Length < batch * inputs
            || (fused && source.Length < batch * inputs))
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        if (fused && accumulate)
            throw new ArgumentException("A derivative can only be fused when this layer is the only reader of its input.", nameof(accumulate));
        if (units == 1 && Vector512.IsHardwareAccelerated && inputs % 16 == 0)
        {
            OuterInputGradients<TDerivative>(ref MemoryMarshal.GetReference(delta), ref MemoryMarshal.GetReference(weights),
                ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(inputGradients), accumulate, batch, inputs);
            return;
        }
        var epilogue = new InputGradientEpilogue<TDerivative>(ref MemoryMarshal.GetReference(inputGradients),
            ref MemoryMarshal.GetReference(source), accumulate, inputs);
        Gemm.Run(ref MemoryMarshal.GetReference(delta), units, 1, ref MemoryMarshal.GetReference(weights), inputs, batch, inputs, units, ref epilogue);
    }

    /// <summary>
    /// y = f(x·w + b) for a layer of one input: a product with one term is an outer product, with no sums to hold in
    /// registers, so one pass over each output row, f fused, beats the tiles. Out of line, so that f is inlined here.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OuterForward<TActivation>(ref float x, ref float w, ref float bias, bool hasBias, ref float z, bool keepZ, ref float y,
        int batch, int units) where TActivation : IUnaryOperator
    {
        for (nint n = 0; n < batch; n++)
        {
            Vector512<float> xn = Vector512.Create(Unsafe.Add(ref x, n));
            nint row = n * units;
            for (nint o = 0; o < units; o += 16)
            {
                Vector512<float> b = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)o) : Vector512<float>.Zero;
                Vector512<float> v = Vector512.FusedMultiplyAdd(xn, Vector512.LoadUnsafe(ref w, (nuint)o), b);
                if (keepZ)
                    v.StoreUnsafe(ref z, (nuint)(row + o));
                TActivation.Invoke(v).StoreUnsafe(ref y, (nuint)(row + o));
            }
        }
    }

    /// <summary>δx = δ·W ⊙ f′ for a layer of one unit: the outer product of δ and W's one row, in one pass.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OuterInputGradients<TDerivative>(ref float delta, ref float w, ref float source, ref float inputGradients, bool accumulate,
        int batch, int inputs) where TDerivative : IBinaryOperator
    {
        bool fused = typeof(TDerivative) != typeof(IdentityDerivativeOperator);
        for (nint n = 0; n < batch; n++)
        {
            Vector512<float> d = Vector512.Create(Unsafe.Add(ref delta, n));
            nint row = n * inputs;
            for (nint i = 0; i < inputs; i += 16)
            {
                Vector512<float> v = d * Vector512.LoadUnsafe(ref w, (nuint)i);
                if (accumulate)
                    v += Vector512.LoadUnsafe(ref inputGradients, (nuint)(row + i));
                if (fused)
                    v = TDerivative.Invoke(Vector512.LoadUnsafe(ref source, (nuint)(row + i)), v);
                v.StoreUnsafe(ref inputGradients, (nuint)(row + i));
            }
        }
    }

    /// <summary>Σ_n δ[n, :], 64 columns at a time with two accumulators each (even and odd rows) to halve the chains of adds.</summary>
    private static void ColumnSums(ref float delta, ref float sums, int batch, int units)
    {
        nint o = 0;
        for (; o + 64 <= units; o += 64)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            nint n = 0;
            for (; n + 2 <= batch; n += 2)
            {
                ref float r = ref Unsafe.Add(ref delta, n * units + o);
                ref float s = ref Unsafe.Add(ref r, units);
                a0 += Vector512.LoadUnsafe(ref r); a1 += Vector512.LoadUnsafe(ref r, 16); a2 += Vector512.LoadUnsafe(ref r, 32); a3 += Vector512.LoadUnsafe(ref r, 48);
                b0 += Vector512.LoadUnsafe(ref s); b1 += Vector512.LoadUnsafe(ref s, 16); b2 += Vector512.LoadUnsafe(ref s, 32); b3 += Vector512.LoadUnsafe(ref s, 48);
            }
            if (n < batch)
            {
                ref float r = ref Unsafe.Add(ref delta, n * units + o);
                a0 += Vector512.LoadUnsafe(ref r); a1 += Vector512.LoadUnsafe(ref r, 16); a2 += Vector512.LoadUnsafe(ref r, 32); a3 += Vector512.LoadUnsafe(ref r, 48);
            }
            ref float g = ref Unsafe.Add(ref sums, o);
            (a0 + b0).StoreUnsafe(ref g); (a1 + b1).StoreUnsafe(ref g, 16); (a2 + b2).StoreUnsafe(ref g, 32); (a3 + b3).StoreUnsafe(ref g, 48);
        }
        for (; o < units; o += 16)
        {
            Vector512<float> a = default;
            for (nint n = 0; n < batch; n++)
                a += Vector512.LoadUnsafe(ref delta, (nuint)(n * units + o));
            a.StoreUnsafe(ref sums, (nuint)o);
        }
    }

    private static void CheckForward(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> z, Span<float> y, int batch, int inputs, int units)
    {
        if (x.Length < batch * inputs || weights.Length < units * inputs || y.Length < batch * units
            || (!bias.IsEmpty && bias.Length < units) || (!z.IsEmpty && z.Length < batch * units))
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
    }

    /// <summary>
    /// sums[n, o] = x[n, :]·W[o, :] for 16 units at a time (inputs a multiple of 16): 16 accumulators, then one tree of
    /// transposing adds (15 × two permutes and an add, instead of 16 horizontal sums) leaves the 16 dot products in one
    /// vector, in order; then the bias and f, on that vector. Units a multiple of 16.
    /// </summary>
    private static void DotRows16<TActivation>(ref float x, ref float w, ref float bias, bool hasBias, ref float z, bool keepZ, ref float y,
        int batch, int inputs, int units) where TActivation : IUnaryOperator
    {
        for (int n = 0; n < batch; n++)
        {
            ref float xn = ref Unsafe.Add(ref x, n * inputs);
            for (int o = 0; o < units; o += 16)
                Dot16(ref Unsafe.Add(ref w, o * inputs), inputs, ref xn, inputs).StoreUnsafe(ref y, (nuint)(n * units + o));
            FinishRow<TActivation>(ref bias, hasBias, ref Unsafe.Add(ref z, n * units), keepZ, ref Unsafe.Add(ref y, n * units), units);
        }
    }

    /// <summary>
    /// y ← f(y + b) over one row of sums still in L1 (z ← y + b first when kept). Out of line so that f is inlined here:
    /// inside the reduction loop it was not, and single-sample inference slowed by a third.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FinishRow<TActivation>(ref float bias, bool hasBias, ref float z, bool keepZ, ref float y, int units) where TActivation : IUnaryOperator
    {
        for (nint o = 0; o < units; o += 16)
        {
            Vector512<float> sum = Vector512.LoadUnsafe(ref y, (nuint)o);
            if (hasBias)
                sum += Vector512.LoadUnsafe(ref bias, (nuint)o);
            if (keepZ)
                sum.StoreUnsafe(ref z, (nuint)o);
            TActivation.Invoke(sum).StoreUnsafe(ref y, (nuint)o);
        }
    }

    /// <summary>sums[n] = x[n, :]·W[0, :] for a layer of one unit, 16 samples at a time: one load of W feeds 16 products.</summary>
    private static int DotSamples16(ref float x, ref float w, ref float sums, int batch, int inputs)
    {
        int blocks = batch / 16 * 16;
        for (int n = 0; n < blocks; n += 16)
            Dot16(ref Unsafe.Add(ref x, n * inputs), inputs, ref w, inputs).StoreUnsafe(ref sums, (nuint)n);
        return blocks;
    }

    /// <summary>
    /// The 16 dot products of rows[k·stride .. k·stride + length) with vector[0 .. length), k = 0..15, as one vector in order:
    /// each load of <paramref name="vector"/> feeds 16 products. It serves both 16 weight rows · one sample and
    /// 16 samples · one weight row. Length a multiple of 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Dot16(ref float rows, nint stride, ref float vector, nint length)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        for (nint i = 0; i < length; i += 16)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref vector, (nuint)i);
            ref float ri = ref Unsafe.Add(ref rows, i);
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri), v, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)stride), v, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(2 * stride)), v, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(3 * stride)), v, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(4 * stride)), v, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(5 * stride)), v, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(6 * stride)), v, a6);
            a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(7 * stride)), v, a7);
            a8 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(8 * stride)), v, a8);
            a9 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(9 * stride)), v, a9);
            a10 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(10 * stride)), v, a10);
            a11 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(11 * stride)), v, a11);
            a12 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(12 * stride)), v, a12);
            a13 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(13 * stride)), v, a13);
            a14 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(14 * stride)), v, a14);
            a15 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ri, (nuint)(15 * stride)), v, a15);
        }
        return Reduce16(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
    }

    /// <summary>The sums of 16 vectors, as one vector in order: each merge halves the lanes per sum, 16 → 8 → 4 → 2 → 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce16(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7, Vector512<float> a8, Vector512<float> a9,
        Vector512<float> a10, Vector512<float> a11, Vector512<float> a12, Vector512<float> a13, Vector512<float> a14, Vector512<float> a15)
    {
        Vector512<int> lo1 = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
        Vector512<int> hi1 = Vector512.Create(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
        Vector512<float> p0 = Merge(a0, a1, lo1, hi1), p1 = Merge(a2, a3, lo1, hi1), p2 = Merge(a4, a5, lo1, hi1), p3 = Merge(a6, a7, lo1, hi1);
        Vector512<float> p4 = Merge(a8, a9, lo1, hi1), p5 = Merge(a10, a11, lo1, hi1), p6 = Merge(a12, a13, lo1, hi1), p7 = Merge(a14, a15, lo1, hi1);
        Vector512<int> lo2 = Vector512.Create(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        Vector512<int> hi2 = Vector512.Create(4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
        Vector512<float> q0 = Merge(p0, p1, lo2, hi2), q1 = Merge(p2, p3, lo2, hi2), q2 = Merge(p4, p5, lo2, hi2), q3 = Merge(p6, p7, lo2, hi2);
        Vector512<int> lo3 = Vector512.Create(0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
        Vector512<int> hi3 = Vector512.Create(2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
        Vector512<float> s0 = Merge(q0, q1, lo3, hi3), s1 = Merge(q2, q3, lo3, hi3);
        Vector512<int> lo4 = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        Vector512<int> hi4 = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        return Merge(s0, s1, lo4, hi4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Merge(Vector512<float> a, Vector512<float> b, Vector512<int> low, Vector512<int> high) =>
        Avx512F.PermuteVar16x32x2(a, low, b) + Avx512F.PermuteVar16x32x2(a, high, b);

    /// <summary>sums[n, o] = x[n, :]·W[o, :], four units at a time so that each load of x feeds four products.</summary>
    private static void DotRows<TOps, TV>(ref float x, ref float w, ref float sums, int batch, int inputs, int units, int firstUnit = 0)
        where TOps : IVectorOps<TV> where TV : struct
    {
        int width = TOps.Count;
        int vectorEnd = inputs - inputs % width;
        for (int n = 0; n < batch; n++)
        {
            ref float xn = ref Unsafe.Add(ref x, n * inputs);
            ref float sn = ref Unsafe.Add(ref sums, n * units);
            int o = firstUnit;
            for (; o + 4 <= units; o += 4)
            {
                ref float w0 = ref Unsafe.Add(ref w, o * inputs);
                ref float w1 = ref Unsafe.Add(ref w0, inputs);
                ref float w2 = ref Unsafe.Add(ref w1, inputs);
                ref float w3 = ref Unsafe.Add(ref w2, inputs);
                TV c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
                for (int i = 0; i < vectorEnd; i += width)
                {
                    TV xv = TOps.Load(ref xn, i);
                    c0 = TOps.MultiplyAdd(TOps.Load(ref w0, i), xv, c0);
                    c1 = TOps.MultiplyAdd(TOps.Load(ref w1, i), xv, c1);
                    c2 = TOps.MultiplyAdd(TOps.Load(ref w2, i), xv, c2);
                    c3 = TOps.MultiplyAdd(TOps.Load(ref w3, i), xv, c3);
                }
                float s0 = TOps.Sum(c0), s1 = TOps.Sum(c1), s2 = TOps.Sum(c2), s3 = TOps.Sum(c3);
                for (int i = vectorEnd; i < inputs; i++)
                {
                    float xi = Unsafe.Add(ref xn, i);
                    s0 += Unsafe.Add(ref w0, i) * xi;
                    s1 += Unsafe.Add(ref w1, i) * xi;
                    s2 += Unsafe.Add(ref w2, i) * xi;
                    s3 += Unsafe.Add(ref w3, i) * xi;
                }
                Unsafe.Add(ref sn, o) = s0;
                Unsafe.Add(ref sn, o + 1) = s1;
                Unsafe.Add(ref sn, o + 2) = s2;
                Unsafe.Add(ref sn, o + 3) = s3;
            }
            for (; o < units; o++)
            {
                ref float wo = ref Unsafe.Add(ref w, o * inputs);
                TV c = TOps.Zero;
                for (int i = 0; i < vectorEnd; i += width)
                    c = TOps.MultiplyAdd(TOps.Load(ref wo, i), TOps.Load(ref xn, i), c);
                float s = TOps.Sum(c);
                for (int i = vectorEnd; i < inputs; i++)
                    s += Unsafe.Add(ref wo, i) * Unsafe.Add(ref xn, i);
                Unsafe.Add(ref sn, o) = s;
            }
        }
    }
}
