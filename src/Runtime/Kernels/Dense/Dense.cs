using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// The kernels of a dense layer z = W·x + b, y = f(z), for a batch: rows of x, z, y and δ are samples (row-major
/// [batch, size]); W is PyTorch's [units, inputs]. Every kernel overwrites its output (no clearing pass), fuses what it
/// can (bias and activation into the forward product, the activation's derivative into the input gradient), and
/// allocates nothing.
/// </summary>
/// <remarks>
/// <para>Generated code calls the overloads whose first type argument is the layer's <see cref="ILayerShape"/>: the
/// JIT compiles one copy of each kernel per layer with the sizes as constants, so the only run-time number is the
/// batch. Arguments always come in one order: what the kernel writes, then what it reads, then the batch.</para>
/// <para>How each product runs on this CPU is decided here, from constants the JIT folds (the layer's sizes and the
/// vector widths the hardware accelerates), never by the generator.</para>
/// <para>The overloads that take the sizes as arguments run the same code for tools and tests.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Dense
{
    /// <summary>
    /// From this batch size on, a forward pass copies W into Wᵀ (<c>transposedWeights</c>) and runs the register-blocked
    /// product X·Wᵀ; below it the copy costs more than it saves, and the pass computes dot products over W's rows.
    /// Either way it reads the weights as they are now: no copy outlives the call, so writes to
    /// <see cref="INetwork.Parameters"/> between calls are always seen.
    /// </summary>
    internal const int ProductMinimumBatch = 4;

    /// <summary>
    /// From this fan-in on, the batched forward product reads W as it is (register tiles of dot products, whose final
    /// reductions are then a few per cent of the work) instead of a transposed copy (inputs·units strided moves per
    /// call, a sixth of the product's time for 784 × 256).
    /// </summary>
    internal const int TransposedProductMaximumInputs = 256;

    /// <summary>
    /// The floats of scratch the forward pass of a layer of shape <typeparamref name="TShape"/> may use (Wᵀ for the batched
    /// register-blocked product), or 0. Generated code sizes the one scratch buffer its layers share with this, so the
    /// rule lives here, beside the kernel that follows it, and the generator never repeats it.
    /// </summary>
    public static int ScratchLength<TShape>() where TShape : ILayerShape =>
        UsesTransposedProduct(default(ConstantSizes<TShape>)) ? TShape.Inputs * TShape.Units : 0;

    /// <summary>
    /// From this fan-in on, a layer with fewer units than the widest vector has lanes computes dot products over W's rows
    /// even where its units are whole 128-bit vectors: the transposed product would run every row of the batch in
    /// vectors of 4 or 8 lanes, and its sums of 64 or more terms cost more than the dot products' final reductions.
    /// Measured on Zen 5 (B = 128 and 10,000, each as fast or faster either way): at 512 bits 64 → 4 1.16–1.19×,
    /// 64 → 8 1.09–1.12×, 128 → 8 1.50–1.55×, 128 → 12 1.64–1.81×, 256 → 4 1.71–2.18× faster by dot products, and
    /// 48 → 4 a tie, 32 → 4 and 16 → 4 0.5–0.8× (so they keep the product); at 256 bits 64 → 4 1.20–1.25× and
    /// 256 → 4 1.87–2.21×.
    /// </summary>
    internal const int NarrowLayerDotProductInputs = 64;

    /// <summary>The lanes of the widest vector this CPU accelerates (a constant to the JIT).</summary>
    private static int WidestLanes =>
        Vector512.IsHardwareAccelerated ? Vector512<float>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<float>.Count
        : Vector128<float>.Count;

    /// <summary>
    /// Whether a batched forward pass transposes W into the scratch: a fan-in of more than one (one input is an outer
    /// product) and below <see cref="TransposedProductMaximumInputs"/>, and whole narrowest vectors of units. Other
    /// layers compute dot products over W's rows: narrower ones on every width, a count of units with a remainder too
    /// (the product would run its last columns in scalar code, half of a 128 → 10 layer's time) unless the fan-in is
    /// itself shorter than a vector, and fewer units than the widest vector has lanes with a fan-in of at least
    /// <see cref="NarrowLayerDotProductInputs"/>.
    /// </summary>
    private static bool UsesTransposedProduct<TSizes>(TSizes sizes) where TSizes : struct, ILayerSizes =>
        sizes.Inputs > 1 && sizes.Inputs < TransposedProductMaximumInputs && sizes.Units >= Vector128<float>.Count
        && (sizes.Units % Vector128<float>.Count == 0 || sizes.Inputs < Vector128<float>.Count)
        && (sizes.Units >= WidestLanes || sizes.Inputs < NarrowLayerDotProductInputs);

    /// <summary>
    /// y = f(x·Wᵀ + b) for <paramref name="batch"/> samples; <paramref name="z"/>, when not empty, receives z = x·Wᵀ + b.
    /// <paramref name="bias"/> may be empty. <paramref name="transposedWeights"/> is scratch of at least
    /// <see cref="ScratchLength{TShape}"/> floats: where that is not 0, a batch copies Wᵀ into it and runs the
    /// register-blocked X·Wᵀ (<see cref="Gemm"/>); for a long fan-in, where the copy costs more than the final
    /// reductions of dot products, it runs register tiles of dot products over W's rows (<see cref="DotTiles"/>).
    /// Single samples and small batches always compute dot products over W's rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TShape, TActivation>(Span<float> y, Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> transposedWeights, int batch) where TShape : ILayerShape where TActivation : IUnaryOperator =>
        Forward<ConstantSizes<TShape>, TActivation>(default, y, z, x, weights, bias, transposedWeights, batch);

    /// <summary>∂L/∂W = δᵀ·x ([units, inputs], overwritten): Σ over the batch of δ[n, o]·x[n, i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradients<TShape>(Span<float> weightGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int batch)
        where TShape : ILayerShape => WeightGradients(default(ConstantSizes<TShape>), weightGradients, delta, x, batch);

    /// <summary>∂L/∂b = Σ_n δ[n, :] (overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasGradients<TShape>(Span<float> biasGradients, ReadOnlySpan<float> delta, int batch) where TShape : ILayerShape =>
        BiasGradients(default(ConstantSizes<TShape>), biasGradients, delta, batch);

    /// <summary>
    /// δx = δ·W ([batch, inputs], overwritten), then, fused, the derivative of the activation of the layer below:
    /// δx ← TDerivative(<paramref name="source"/>, δx), with source that layer's y (or its z, for softplus).
    /// <see cref="IdentityDerivativeOperator"/> leaves δx as it is (and <paramref name="source"/> may be empty).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGradients<TShape, TDerivative>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> source, int batch) where TShape : ILayerShape where TDerivative : IBinaryOperator =>
        InputGradients<ConstantSizes<TShape>, TDerivative>(default, inputGradients, delta, weights, source, accumulate: false, batch);

    /// <summary>δx += δ·W: for a node that several readers send gradients to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInputGradients<TShape>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, int batch)
        where TShape : ILayerShape =>
        InputGradients<ConstantSizes<TShape>, IdentityDerivativeOperator>(default, inputGradients, delta, weights, default, accumulate: true, batch);

    // ---- The same kernels with the sizes as arguments ----

    /// <summary>
    /// y = f(x·Wᵀ + b) with Wᵀ given as [inputs, units] (<paramref name="transposedWeights"/>): the register-blocked
    /// product alone. <paramref name="z"/>, when not empty, receives the pre-activation; <paramref name="bias"/> may be empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TActivation>(ReadOnlySpan<float> x, ReadOnlySpan<float> transposedWeights, ReadOnlySpan<float> bias,
        Span<float> z, Span<float> y, int batch, int inputs, int units) where TActivation : IUnaryOperator
    {
        var sizes = new RuntimeSizes(inputs, units);
        CheckForward(sizes, y, z, x, transposedWeights, bias, batch);
        Product<RuntimeSizes, TActivation>(sizes, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(transposedWeights), ref Ref(bias), !bias.IsEmpty, batch);
    }

    /// <summary>The same y = f(W·x + b), reading W in its own [units, inputs] layout: dot products over W's rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardByRows<TActivation>(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> z, Span<float> y, int batch, int inputs, int units) where TActivation : IUnaryOperator
    {
        var sizes = new RuntimeSizes(inputs, units);
        CheckForward(sizes, y, z, x, weights, bias, batch);
        ByRows<RuntimeSizes, TActivation>(sizes, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(weights), ref Ref(bias), !bias.IsEmpty, batch);
    }

    /// <summary>Wᵀ: [units, inputs] → [inputs, units].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(ReadOnlySpan<float> weights, Span<float> transposed, int units, int inputs)
    {
        if (weights.Length < units * inputs || transposed.Length < units * inputs)
            throw new ArgumentException("The weight buffers are smaller than units × inputs.");
        Transpose(new RuntimeSizes(inputs, units), ref Ref(weights), ref Ref(transposed));
    }

    /// <summary>∂L/∂W = δᵀ·x ([units, inputs], overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradients(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> weightGradients, int batch, int inputs, int units) =>
        WeightGradients(new RuntimeSizes(inputs, units), weightGradients, delta, x, batch);

    /// <summary>∂L/∂b = Σ_n δ[n, :] (overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasGradients(ReadOnlySpan<float> delta, Span<float> biasGradients, int batch, int units) =>
        BiasGradients(new RuntimeSizes(1, units), biasGradients, delta, batch);

    /// <summary>δx = δ·W (added to what is there when <paramref name="accumulate"/>), then the fused derivative TDerivative(source, δx).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGradients<TDerivative>(ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> source,
        Span<float> inputGradients, bool accumulate, int batch, int inputs, int units) where TDerivative : IBinaryOperator =>
        InputGradients<RuntimeSizes, TDerivative>(new RuntimeSizes(inputs, units), inputGradients, delta, weights, source, accumulate, batch);

    // ---- One body per kernel, specialised per TSizes ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<TSizes, TActivation>(TSizes sizes, Span<float> y, Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> transposedWeights, int batch) where TSizes : struct, ILayerSizes where TActivation : IUnaryOperator
    {
        CheckForward(sizes, y, z, x, weights, bias, batch);
        int inputs = sizes.Inputs, units = sizes.Units;
        if (inputs == 1)
        {
            // A product with one term is an outer product: no sums to hold in registers, so one pass over each output
            // row (W [units, 1] read as the row it is in memory), bias and f fused, beats the tiles.
            if (Vector512.IsHardwareAccelerated && units >= Vector512<float>.Count)
                Outer<V512, Vector512<float>, TActivation>(units, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(weights), ref Ref(bias), !bias.IsEmpty, batch);
            else if (Vector256.IsHardwareAccelerated && units >= Vector256<float>.Count)
                Outer<V256, Vector256<float>, TActivation>(units, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(weights), ref Ref(bias), !bias.IsEmpty, batch);
            else if (Vector128.IsHardwareAccelerated && units >= Vector128<float>.Count)
                Outer<V128, Vector128<float>, TActivation>(units, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(weights), ref Ref(bias), !bias.IsEmpty, batch);
            else
                Outer<Scalar, float, TActivation>(units, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(weights), ref Ref(bias), !bias.IsEmpty, batch);
            return;
        }
        // A layer of one unit keeps the dot products below (a vector's worth of samples at a time); two or three units,
        // too few for a vector of columns, take the tiles of dot products.
        if (batch >= ProductMinimumBatch && units > 1)
        {
            if (UsesTransposedProduct(sizes) && transposedWeights.Length >= inputs * units)
            {
                Transpose(sizes, ref Ref(weights), ref Ref(transposedWeights));
                Product<TSizes, TActivation>(sizes, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(transposedWeights), ref Ref(bias), !bias.IsEmpty, batch);
            }
            else
                ByRowTiles<TSizes, TActivation>(sizes, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(weights), ref Ref(bias), !bias.IsEmpty, batch);
            return;
        }
        ByRows<TSizes, TActivation>(sizes, ref Ref(y), ref Ref(z), !z.IsEmpty, ref Ref(x), ref Ref(weights), ref Ref(bias), !bias.IsEmpty, batch);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Product<TSizes, TActivation>(TSizes sizes, ref float y, ref float z, bool keepZ, ref float x, ref float transposedWeights,
        ref float bias, bool hasBias, int batch) where TSizes : struct, ILayerSizes where TActivation : IUnaryOperator
    {
        var epilogue = new ForwardEpilogue<TActivation>(ref bias, hasBias, ref z, keepZ, ref y, sizes.Units);
        Gemm.Run(ref x, ref transposedWeights, new ForwardProduct<TSizes>(sizes, batch), ref epilogue);
    }

    /// <summary>
    /// y[n, :] = f(x[n]·w + b) with one width (tests call each): a last vector that overlaps the one before recomputes
    /// a few outputs (the same values) instead of a scalar tail. Out of line so that f is inlined here. Units ≥ Count.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void Outer<TOps, TV, TActivation>(int units, ref float y, ref float z, bool keepZ, ref float x, ref float weights,
        ref float bias, bool hasBias, int batch) where TOps : IVectorOps<TV> where TV : struct where TActivation : IUnaryOperator
    {
        nint width = TOps.Count, last = units - width;
        for (nint n = 0; n < batch; n++)
        {
            TV xn = TOps.Broadcast(Unsafe.Add(ref x, n));
            ref float yn = ref Unsafe.Add(ref y, n * units);
            ref float zn = ref Unsafe.Add(ref z, n * units);
            for (nint o = 0; ; o += width)
            {
                if (o > last)
                {
                    if (o == units)
                        break;
                    o = last;
                }
                TV v = TOps.MultiplyAdd(xn, TOps.Load(ref weights, o), hasBias ? TOps.Load(ref bias, o) : TOps.Zero);
                if (keepZ)
                    TOps.Store(v, ref zn, o);
                TOps.Store(TOps.Apply<TActivation>(v), ref yn, o);
                if (o == last)
                    break;
            }
        }
    }

    /// <summary>
    /// sums[n, o] = x[n, :]·rows[o, :] for <paramref name="count"/> rows of x and <paramref name="rowCount"/> rows, each
    /// <paramref name="length"/> long (overwritten): the register tiles of dot products, for products whose operands are
    /// both laid out along the summed dimension (a convolution's weight gradient).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RowDots(ReadOnlySpan<float> x, ReadOnlySpan<float> rows, Span<float> sums, int count, int length, int rowCount)
    {
        var sizes = new RuntimeSizes(length, rowCount);
        CheckForward(sizes, sums, default, x, rows, default, count);
        ByRowTiles<RuntimeSizes, IdentityOperator>(sizes, ref Ref(sums), ref Ref(sums), false, ref Ref(x), ref Ref(rows), ref Ref(sums), false, count);
    }

    /// <summary>Batched dot products in register tiles (<see cref="DotTiles"/>) at the widest width that fits the fan-in.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ByRowTiles<TSizes, TActivation>(TSizes sizes, ref float y, ref float z, bool keepZ, ref float x, ref float weights,
        ref float bias, bool hasBias, int batch) where TSizes : struct, ILayerSizes where TActivation : IUnaryOperator
    {
        int inputs = sizes.Inputs;
        if (Vector512.IsHardwareAccelerated && inputs >= Vector512<float>.Count)
            RowTiles<V512, Vector512<float>, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
        else if (Vector256.IsHardwareAccelerated && inputs >= Vector256<float>.Count)
            RowTiles<V256, Vector256<float>, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
        else if (Vector128.IsHardwareAccelerated && inputs >= Vector128<float>.Count)
            RowTiles<V128, Vector128<float>, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
        else
            RowTiles<Scalar, float, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
    }

    /// <summary>
    /// z = x·Wᵀ by <see cref="DotTiles"/> with one width (tests call each): 8 units for every three samples (the last one
    /// or two with a sample repeated) where the register file has 32 vectors, else 4 units for every pair of samples
    /// (W's rows stay in L1); the units beyond a
    /// multiple of 4 by the same tiles with a repeated row; then bias and f row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RowTiles<TOps, TV, TSizes, TActivation>(TSizes sizes, ref float y, ref float z, bool keepZ, ref float x, ref float weights,
        ref float bias, bool hasBias, int batch) where TOps : IVectorOps<TV> where TV : struct where TSizes : struct, ILayerSizes where TActivation : IUnaryOperator
    {
        int inputs = sizes.Inputs, units = sizes.Units;
        ref float sums = ref keepZ ? ref z : ref y;
        int o = 0;
        if (TOps.TileVectors == 4)
        {
            // 32 registers: three samples × eight units at a time. The last one or two samples take the same tile with
            // a sample repeated (its sums not stored): at 784 × 256 the 4-unit tiles, which load a vector per 1.3 FMAs,
            // took 4 % of the time for 1.6 % of the work (B = 128), and the same lanes meet the same elements either way.
            for (; o + 8 <= units; o += 8)
            {
                ref float w = ref Unsafe.Add(ref weights, o * inputs);
                for (int n = 0; n < batch; n += 3)
                    DotTiles.Tile3x8<TOps, TV>(ref Unsafe.Add(ref x, n * inputs), inputs, ref w, ref Unsafe.Add(ref sums, n * units + o), units, Math.Min(3, batch - n));
            }
        }
        for (; o + 4 <= units; o += 4)
        {
            ref float w = ref Unsafe.Add(ref weights, o * inputs);
            int n = 0;
            for (; n + 2 <= batch; n += 2)
                DotTiles.Tile2x4<TOps, TV>(ref Unsafe.Add(ref x, n * inputs), inputs, ref w, ref Unsafe.Add(ref sums, n * units + o), units);
            if (n < batch)
                DotTiles.Tile1x4<TOps, TV>(ref Unsafe.Add(ref x, n * inputs), inputs, ref w, ref Unsafe.Add(ref sums, n * units + o));
        }
        if (o < units)
        {
            // The last 1–3 units: the same tiles with their last row repeated, into a buffer of whole rows of four whose
            // real sums are copied out (four dot products reduced together cost far less than one reduction each).
            int left = units - o;
            Span<float> tile = stackalloc float[8];
            ref float w = ref Unsafe.Add(ref weights, o * inputs);
            int n = 0;
            for (; n + 2 <= batch; n += 2)
            {
                DotTiles.Tile2x4<TOps, TV>(ref Unsafe.Add(ref x, n * inputs), inputs, ref w, ref tile[0], 4, left);
                tile.Slice(0, left).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref sums, n * units + o), left));
                tile.Slice(4, left).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref sums, (n + 1) * units + o), left));
            }
            if (n < batch)
            {
                DotTiles.Tile1x4<TOps, TV>(ref Unsafe.Add(ref x, n * inputs), inputs, ref w, ref tile[0], left);
                tile.Slice(0, left).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref sums, n * units + o), left));
            }
        }
        for (int n = 0; n < batch; n++)
            RowFinish.Run<TActivation>(ref Unsafe.Add(ref sums, n * units), ref bias, hasBias, scalarBias: false, ref Unsafe.Add(ref z, n * units), keepZ,
                ref Unsafe.Add(ref y, n * units), units);
    }

    /// <summary>Dot products over W's rows at the widest width that fits the fan-in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ByRows<TSizes, TActivation>(TSizes sizes, ref float y, ref float z, bool keepZ, ref float x, ref float weights,
        ref float bias, bool hasBias, int batch) where TSizes : struct, ILayerSizes where TActivation : IUnaryOperator
    {
        int inputs = sizes.Inputs;
        if (Vector512.IsHardwareAccelerated && inputs >= Vector512<float>.Count)
            Rows<V512, Vector512<float>, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
        else if (Vector256.IsHardwareAccelerated && inputs >= Vector256<float>.Count)
            Rows<V256, Vector256<float>, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
        else if (Vector128.IsHardwareAccelerated && inputs >= Vector128<float>.Count)
            Rows<V128, Vector128<float>, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
        else
            Rows<Scalar, float, TSizes, TActivation>(sizes, ref y, ref z, keepZ, ref x, ref weights, ref bias, hasBias, batch);
    }

    /// <summary>
    /// z[n, o] = x[n, :]·W[o, :] with one width (tests call each): a vector's worth of units at a time for one sample
    /// (<see cref="IVectorOps{TV}.DotBlock"/>), or, for a layer of one unit, a vector's worth of samples at a time; then
    /// bias and f over each finished row. Inputs at least one vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Rows<TOps, TV, TSizes, TActivation>(TSizes sizes, ref float y, ref float z, bool keepZ, ref float x, ref float weights,
        ref float bias, bool hasBias, int batch) where TOps : IVectorOps<TV> where TV : struct where TSizes : struct, ILayerSizes where TActivation : IUnaryOperator
    {
        int inputs = sizes.Inputs, units = sizes.Units, width = TOps.Count;
        ref float sums = ref keepZ ? ref z : ref y;
        if (units == 1)
        {
            if (batch < Vector128<float>.Count)
            {
                // One to three samples (a single one, mostly): each sum finished here, in the scalar code RowFinish gives
                // so short a run (the same bits), without its two calls: the seed MLP's last layer for one sample took 10 ns,
                // 8.5 since (Zen 5). RowFinish's scalar finish inlined here instead, the sums going through memory, took
                // 9.4–9.8 ns against 7.8–8.1 for this loop, so the few lines are written twice on purpose.
                for (int s = 0; s < batch; s++)
                {
                    float sum = DotProducts.Single<TOps, TV>(ref Unsafe.Add(ref x, s * inputs), ref weights, inputs);
                    if (hasBias)
                        sum += bias;
                    if (keepZ)
                        Unsafe.Add(ref z, s) = sum;
                    Unsafe.Add(ref y, s) = TActivation.Invoke(sum);
                }
                return;
            }
            int n = 0;
            for (; n + width <= batch; n += width)
                TOps.Store(TOps.DotBlock(ref Unsafe.Add(ref x, n * inputs), inputs, ref weights, inputs), ref sums, n);
            for (; n < batch; n++)
                Unsafe.Add(ref sums, n) = DotProducts.Single<TOps, TV>(ref Unsafe.Add(ref x, n * inputs), ref weights, inputs);
            RowFinish.Run<TActivation>(ref sums, ref bias, hasBias, scalarBias: true, ref z, keepZ, ref y, batch);
            return;
        }
        for (int n = 0; n < batch; n++)
        {
            ref float xn = ref Unsafe.Add(ref x, n * inputs);
            ref float sn = ref Unsafe.Add(ref sums, n * units);
            int o = 0;
            for (; o + width <= units; o += width)
                TOps.Store(TOps.DotBlock(ref Unsafe.Add(ref weights, o * inputs), inputs, ref xn, inputs), ref sn, o);
            for (; o < units; o++)
                Unsafe.Add(ref sn, o) = DotProducts.Single<TOps, TV>(ref Unsafe.Add(ref weights, o * inputs), ref xn, inputs);
            RowFinish.Run<TActivation>(ref sn, ref bias, hasBias, scalarBias: false, ref Unsafe.Add(ref z, n * units), keepZ,
                ref Unsafe.Add(ref y, n * units), units);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Transpose<TSizes>(TSizes sizes, ref float w, ref float t) where TSizes : struct, ILayerSizes
    {
        int units = sizes.Units, inputs = sizes.Inputs;
        if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx.IsSupported && units % 8 == 0 && inputs % 8 == 0)
        {
            for (nint o = 0; o < units; o += 8)
                for (nint i = 0; i < inputs; i += 8)
                    Transposition.Block8x8(ref Unsafe.Add(ref w, o * inputs + i), inputs, ref Unsafe.Add(ref t, i * units + o), units);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradients<TSizes>(TSizes sizes, Span<float> weightGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int batch)
        where TSizes : struct, ILayerSizes
    {
        int inputs = sizes.Inputs, units = sizes.Units;
        if (delta.Length < batch * units || x.Length < batch * inputs || weightGradients.Length < units * inputs)
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        if (inputs == 1)
            // One input: [units, 1] is laid out as [1, units], the rows of δ weighed by x[n] and summed.
            ColumnSums.Run(ref Ref(x), ref Ref(delta), batch, units, ref Ref(weightGradients));
        else if (units == 1)
            // One unit: the rows of x weighed by δ[n] and summed.
            ColumnSums.Run(ref Ref(delta), ref Ref(x), batch, inputs, ref Ref(weightGradients));
        else if (WeighsTransposed(inputs, units))
        {
            // Rows are inputs (x read down a column), vectors along the units (rows of δ): ∂L/∂Wᵀ, stored transposed.
            var epilogue = new TransposedStoreEpilogue(ref Ref(weightGradients), inputs);
            Gemm.Run(ref Ref(x), ref Ref(delta), new TransposedWeightGradientProduct<TSizes>(sizes, batch), ref epilogue);
        }
        else
        {
            // Rows are units (δ read down a column), vectors along the inputs (rows of x), the sum over the batch.
            var epilogue = new StoreEpilogue(ref Ref(weightGradients), inputs);
            Gemm.Run(ref Ref(delta), ref Ref(x), new WeightGradientProduct<TSizes>(sizes, batch), ref epilogue);
        }
    }

    /// <summary>
    /// Whether ∂L/∂W is computed as Xᵀ·δ (rows the inputs, vectors along the units) rather than δᵀ·X (rows the units,
    /// vectors along the inputs): when that costs at most three quarters of the instructions a step of the batch takes
    /// (<see cref="Gemm.StepCost"/>), as for a 4 → 32 layer, whose 32 rows of 4 would each take a 4-lane vector. Near
    /// ties keep δᵀ·X. Either way every weight's sum runs over the batch in order, one fused multiply-add a sample.
    /// </summary>
    internal static bool WeighsTransposed(int inputs, int units) => 4 * Gemm.StepCost(inputs, units) <= 3 * Gemm.StepCost(units, inputs);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BiasGradients<TSizes>(TSizes sizes, Span<float> biasGradients, ReadOnlySpan<float> delta, int batch) where TSizes : struct, ILayerSizes
    {
        int units = sizes.Units;
        if (delta.Length < batch * units || biasGradients.Length < units)
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        ColumnSums.Run(ref Ref(delta), batch, units, ref Ref(biasGradients));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradients<TSizes, TDerivative>(TSizes sizes, Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> source, bool accumulate, int batch) where TSizes : struct, ILayerSizes where TDerivative : IBinaryOperator
    {
        int inputs = sizes.Inputs, units = sizes.Units;
        bool fused = typeof(TDerivative) != typeof(IdentityDerivativeOperator);
        if (delta.Length < batch * units || weights.Length < units * inputs || inputGradients.Length < batch * inputs
            || (fused && source.Length < batch * inputs))
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        if (fused && accumulate)
            throw new ArgumentException("A derivative can only be fused when this layer is the only reader of its input.", nameof(accumulate));
        if (units == 1)
        {
            OuterInputGradients.Run<TDerivative>(ref Ref(delta), ref Ref(weights), ref Ref(source), ref Ref(inputGradients), accumulate, batch, inputs);
            return;
        }
        var epilogue = new InputGradientEpilogue<TDerivative>(ref Ref(inputGradients), ref Ref(source), accumulate, inputs);
        Gemm.Run(ref Ref(delta), ref Ref(weights), new InputGradientProduct<TSizes>(sizes, batch), ref epilogue);
    }

    private static void CheckForward<TSizes>(TSizes sizes, Span<float> y, Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, int batch) where TSizes : struct, ILayerSizes
    {
        int inputs = sizes.Inputs, units = sizes.Units;
        if (x.Length < batch * inputs || weights.Length < units * inputs || y.Length < batch * units
            || (!bias.IsEmpty && bias.Length < units) || (!z.IsEmpty && z.Length < batch * units))
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(ReadOnlySpan<float> span) => ref MemoryMarshal.GetReference(span);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(Span<float> span) => ref MemoryMarshal.GetReference(span);
}
