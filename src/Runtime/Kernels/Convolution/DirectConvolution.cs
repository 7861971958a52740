using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Convolutions with a few input channels and stride 1 (an image's first layer: 1 or 3 channels), computed straight
/// from the (zero-padded) sample, with no patch matrix: output pixels in the vector lanes, output channels in registers.
/// </summary>
/// <remarks>
/// <para>Why: with one input channel, LeNet's first layer turns each 28 × 28 image into a 25 × 784 patch matrix to feed
/// a product only 6 rows high, so writing and re-reading the patches cost more than the multiply-adds. Here a sample
/// is copied once into a zero-bordered buffer (when the layer pads) and every tap (c, i, j) of the kernel reads a
/// contiguous run of that buffer: for an output row oh and columns [ow, ow + Count), the tap's values are
/// padded[c, oh + i, ow + j ..].</para>
/// <para>The output is cut into slots: one vector of an output row, the last one of each row overlapping the one before
/// when the width is no multiple of the vector (recomputed, stored twice with the same values). A tile is 6 output
/// channels × <see cref="IVectorOps{TV}.TileVectors"/> slots, the dense product's register tile (24 accumulators at 512
/// bits, 12 at 256 and 128); missing channels or slots repeat the last one and are not stored. The weight gradient uses
/// the same tile with taps in place of slots: 6 channels × TileVectors taps, each a dot product over the sample's
/// output pixels, whose lanes are summed across the whole batch in the scratch and reduced once at the end (the
/// overlapping slot's repeated lanes masked off).</para>
/// <para>The width is the widest whose vector fits in an output row (<see cref="ConvolutionSizes{TShape}.Direct"/> asks
/// for rows of at least 4), chosen from constants, so the JIT keeps one path.</para>
/// </remarks>
internal static class DirectConvolution
{
    private const int TileChannels = 6;

    // The widest vector a tile uses (512 bits) and its largest tile: the scratch is sized for every width.
    private const int MaxLanes = 16, MaxTileVectors = 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PaddedWidth<TShape>() where TShape : IConvolutionShape => TShape.InWidth + 2 * TShape.PaddingWidth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PaddedHeight<TShape>() where TShape : IConvolutionShape => TShape.InHeight + 2 * TShape.PaddingHeight;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Pads<TShape>() where TShape : IConvolutionShape => TShape.PaddingHeight > 0 || TShape.PaddingWidth > 0;

    /// <summary>One sample, zero-bordered: none when the layer does not pad (the kernels read the sample where it is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PaddedLength<TShape>() where TShape : IConvolutionShape =>
        Pads<TShape>() ? TShape.InChannels * PaddedHeight<TShape>() * PaddedWidth<TShape>() : 0;

    /// <summary>The weight gradient's lane sums: one vector per (channel, tap), channels and taps rounded up to whole tiles.</summary>
    private static int SumsLength<TShape>() where TShape : IConvolutionShape =>
        RoundUp(TShape.OutChannels, TileChannels) * RoundUp(ConvolutionSizes<TShape>.Patch, MaxTileVectors) * MaxLanes;

    /// <summary>The scratch floats of both kernels: the padded sample, then the lane sums.</summary>
    public static int ScratchLength<TShape>() where TShape : IConvolutionShape => PaddedLength<TShape>() + SumsLength<TShape>();

    /// <summary>y = f(W ⋆ x + b) for the batch; z, when not empty, receives W ⋆ x + b. Sizes are checked by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TShape, TActivation>(Span<float> y, Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> scratch, int batch) where TShape : IConvolutionShape where TActivation : IUnaryOperator
    {
        int outWidth = ConvolutionSizes<TShape>.OutWidth;
        if (Vector512.IsHardwareAccelerated && outWidth >= Vector512<float>.Count)
            Forward<TShape, TActivation, V512, Vector512<float>>(y, z, x, weights, bias, scratch, batch);
        else if (Vector256.IsHardwareAccelerated && outWidth >= Vector256<float>.Count)
            Forward<TShape, TActivation, V256, Vector256<float>>(y, z, x, weights, bias, scratch, batch);
        else if (Vector128.IsHardwareAccelerated && outWidth >= Vector128<float>.Count)
            Forward<TShape, TActivation, V128, Vector128<float>>(y, z, x, weights, bias, scratch, batch);
        else
            Forward<TShape, TActivation, Scalar, float>(y, z, x, weights, bias, scratch, batch);
    }

    /// <summary>∂L/∂W = Σ_n δ_n ⋆ x_n ([out, C, kh, kw], overwritten). Sizes are checked by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradients<TShape>(Span<float> weightGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> scratch, int batch)
        where TShape : IConvolutionShape
    {
        int outWidth = ConvolutionSizes<TShape>.OutWidth;
        if (Vector512.IsHardwareAccelerated && outWidth >= Vector512<float>.Count)
            WeightGradients<TShape, V512, Vector512<float>>(weightGradients, delta, x, scratch, batch);
        else if (Vector256.IsHardwareAccelerated && outWidth >= Vector256<float>.Count)
            WeightGradients<TShape, V256, Vector256<float>>(weightGradients, delta, x, scratch, batch);
        else if (Vector128.IsHardwareAccelerated && outWidth >= Vector128<float>.Count)
            WeightGradients<TShape, V128, Vector128<float>>(weightGradients, delta, x, scratch, batch);
        else
            WeightGradients<TShape, Scalar, float>(weightGradients, delta, x, scratch, batch);
    }

    /// <summary><see cref="Forward{TShape, TActivation}"/> at one width (tests call each); the output rows are at least one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Forward<TShape, TActivation, TOps, TV>(Span<float> y, Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> scratch, int batch)
        where TShape : IConvolutionShape where TActivation : IUnaryOperator where TOps : IVectorOps<TV> where TV : struct
    {
        int inputSize = ConvolutionSizes<TShape>.InputSize, outputSize = ConvolutionSizes<TShape>.OutputSize, patch = ConvolutionSizes<TShape>.Patch;
        int outWidth = ConvolutionSizes<TShape>.OutWidth, rowSlots = RowSlots<TShape, TOps, TV>(), slots = ConvolutionSizes<TShape>.OutHeight * rowSlots;
        int vectors = TOps.TileVectors, lanes = TOps.Count;
        bool hasBias = !bias.IsEmpty, keepZ = !z.IsEmpty;
        Span<float> padded = scratch[..PaddedLength<TShape>()];
        padded.Clear(); // the borders stay zero: each sample writes only the inside
        Span<nint> reads = stackalloc nint[MaxTileVectors], writes = stackalloc nint[MaxTileVectors];
        for (int n = 0; n < batch; n++)
        {
            ref float input = ref Sample<TShape>(x.Slice(n * inputSize, inputSize), padded);
            ref float output = ref Ref(y, n * outputSize);
            ref float kept = ref keepZ ? ref Ref(z, n * outputSize) : ref output;
            for (int first = 0; first < slots; first += vectors)
            {
                int count = Math.Min(vectors, slots - first);
                for (int s = 0; s < vectors; s++)
                {
                    // A missing slot repeats the last real one (computed, not stored).
                    int slot = first + Math.Min(s, count - 1), oh = slot / rowSlots, ow = Math.Min(slot % rowSlots * lanes, outWidth - lanes);
                    reads[s] = oh * PaddedWidth<TShape>() + ow;
                    writes[s] = oh * outWidth + ow;
                }
                for (int o = 0; o < TShape.OutChannels; o += TileChannels)
                {
                    int channels = Math.Min(TileChannels, TShape.OutChannels - o);
                    if (vectors == 4)
                        ForwardTile<TShape, TActivation, TOps, TV, Four>(ref input, ref Ref(weights, o * patch), ref Ref(bias, hasBias ? o : 0), hasBias, channels, reads, writes, count,
                            ref Unsafe.Add(ref output, o * ConvolutionSizes<TShape>.Positions), ref Unsafe.Add(ref kept, o * ConvolutionSizes<TShape>.Positions), keepZ);
                    else
                        ForwardTile<TShape, TActivation, TOps, TV, Two>(ref input, ref Ref(weights, o * patch), ref Ref(bias, hasBias ? o : 0), hasBias, channels, reads, writes, count,
                            ref Unsafe.Add(ref output, o * ConvolutionSizes<TShape>.Positions), ref Unsafe.Add(ref kept, o * ConvolutionSizes<TShape>.Positions), keepZ);
                }
            }
            // f over the finished sample, in L1, unless the tile applied it (ReLU): applying f to the stored values
            // inside the tile would run it twice on the overlapping lanes.
            if (typeof(TActivation) != typeof(IdentityOperator) && default(TActivation) is not IRegisterActivation)
                ElementwiseLoop.Map<TActivation>(y.Slice(n * outputSize, outputSize), y.Slice(n * outputSize, outputSize));
        }
    }

    /// <summary><see cref="WeightGradients{TShape}"/> at one width (tests call each); the output rows are at least one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightGradients<TShape, TOps, TV>(Span<float> weightGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> scratch, int batch)
        where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct
    {
        int inputSize = ConvolutionSizes<TShape>.InputSize, outputSize = ConvolutionSizes<TShape>.OutputSize, patch = ConvolutionSizes<TShape>.Patch;
        int vectors = TOps.TileVectors, lanes = TOps.Count, taps = RoundUp(patch, MaxTileVectors);
        Span<float> padded = scratch[..PaddedLength<TShape>()];
        Span<float> sums = scratch.Slice(PaddedLength<TShape>(), SumsLength<TShape>());
        padded.Clear();
        sums.Clear();
        Span<nint> reads = stackalloc nint[MaxTileVectors];
        for (int n = 0; n < batch; n++)
        {
            ref float input = ref Sample<TShape>(x.Slice(n * inputSize, inputSize), padded);
            for (int p = 0; p < patch; p += vectors)
            {
                for (int t = 0; t < vectors; t++)
                    reads[t] = TapOffset<TShape>(Math.Min(p + t, patch - 1)); // a missing tap repeats the last (its sums are never read)
                for (int o = 0; o < TShape.OutChannels; o += TileChannels)
                {
                    int channels = Math.Min(TileChannels, TShape.OutChannels - o);
                    ref float tileSums = ref Ref(sums, (o * taps + p) * lanes);
                    if (vectors == 4)
                        GradientTile<TShape, TOps, TV, Four>(ref tileSums, taps * lanes, ref input, reads, ref Ref(delta, n * outputSize + o * ConvolutionSizes<TShape>.Positions), channels);
                    else
                        GradientTile<TShape, TOps, TV, Two>(ref tileSums, taps * lanes, ref input, reads, ref Ref(delta, n * outputSize + o * ConvolutionSizes<TShape>.Positions), channels);
                }
            }
        }
        for (int o = 0; o < TShape.OutChannels; o++)
            for (int p = 0; p < patch; p++)
                weightGradients[o * patch + p] = TOps.Sum(TOps.Load(ref Ref(sums, (o * taps + p) * lanes), 0));
    }

    /// <summary>
    /// Channels [0, channels) (≤ 6; the rest repeat the last and are not stored) × TVectors slots: Σ over the taps of
    /// W[o, tap]·padded[tap's offset + the slot's], plus b[o], stored at the slot in z (when kept) and in y, through f
    /// when f is one instruction (ReLU).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile<TShape, TActivation, TOps, TV, TVectors>(ref float input, ref float weights, ref float bias, bool hasBias, int channels,
        ReadOnlySpan<nint> reads, ReadOnlySpan<nint> writes, int count, ref float y, ref float z, bool keepZ)
        where TShape : IConvolutionShape where TActivation : IUnaryOperator where TOps : IVectorOps<TV> where TV : struct where TVectors : struct, IConstant
    {
        int patch = ConvolutionSizes<TShape>.Patch;
        nint r0 = reads[0], r1 = typeof(TVectors) != typeof(One) ? reads[1] : 0, r2 = typeof(TVectors) == typeof(Four) ? reads[2] : 0, r3 = typeof(TVectors) == typeof(Four) ? reads[3] : 0;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
        TV c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
        TV c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c23 = TOps.Zero;
        TV c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero, c33 = TOps.Zero;
        TV c40 = TOps.Zero, c41 = TOps.Zero, c42 = TOps.Zero, c43 = TOps.Zero;
        TV c50 = TOps.Zero, c51 = TOps.Zero, c52 = TOps.Zero, c53 = TOps.Zero;
        ref float w0 = ref weights;
        ref float w1 = ref channels > 1 ? ref Unsafe.Add(ref w0, patch) : ref w0;
        ref float w2 = ref channels > 2 ? ref Unsafe.Add(ref w1, patch) : ref w1;
        ref float w3 = ref channels > 3 ? ref Unsafe.Add(ref w2, patch) : ref w2;
        ref float w4 = ref channels > 4 ? ref Unsafe.Add(ref w3, patch) : ref w3;
        ref float w5 = ref channels > 5 ? ref Unsafe.Add(ref w4, patch) : ref w4;
        // One loop over the taps, not three over (c, i, j): with nested loops the register allocator spilled every
        // accumulator at each inner loop's end. The tap's offset costs a few integer operations (constant divisors).
        for (int tap = 0; tap < patch; tap++)
        {
            nint at = TapOffset<TShape>(tap);
            TV x;
            TV b0 = TOps.Load(ref input, r0 + at);
            TV b1 = typeof(TVectors) != typeof(One) ? TOps.Load(ref input, r1 + at) : TOps.Zero;
            TV b2 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref input, r2 + at) : TOps.Zero;
            TV b3 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref input, r3 + at) : TOps.Zero;
            x = TOps.Broadcast(Unsafe.Add(ref w0, tap));
            c00 = TOps.MultiplyAdd(x, b0, c00);
            if (typeof(TVectors) != typeof(One)) c01 = TOps.MultiplyAdd(x, b1, c01);
            if (typeof(TVectors) == typeof(Four)) c02 = TOps.MultiplyAdd(x, b2, c02);
            if (typeof(TVectors) == typeof(Four)) c03 = TOps.MultiplyAdd(x, b3, c03);
            x = TOps.Broadcast(Unsafe.Add(ref w1, tap));
            c10 = TOps.MultiplyAdd(x, b0, c10);
            if (typeof(TVectors) != typeof(One)) c11 = TOps.MultiplyAdd(x, b1, c11);
            if (typeof(TVectors) == typeof(Four)) c12 = TOps.MultiplyAdd(x, b2, c12);
            if (typeof(TVectors) == typeof(Four)) c13 = TOps.MultiplyAdd(x, b3, c13);
            x = TOps.Broadcast(Unsafe.Add(ref w2, tap));
            c20 = TOps.MultiplyAdd(x, b0, c20);
            if (typeof(TVectors) != typeof(One)) c21 = TOps.MultiplyAdd(x, b1, c21);
            if (typeof(TVectors) == typeof(Four)) c22 = TOps.MultiplyAdd(x, b2, c22);
            if (typeof(TVectors) == typeof(Four)) c23 = TOps.MultiplyAdd(x, b3, c23);
            x = TOps.Broadcast(Unsafe.Add(ref w3, tap));
            c30 = TOps.MultiplyAdd(x, b0, c30);
            if (typeof(TVectors) != typeof(One)) c31 = TOps.MultiplyAdd(x, b1, c31);
            if (typeof(TVectors) == typeof(Four)) c32 = TOps.MultiplyAdd(x, b2, c32);
            if (typeof(TVectors) == typeof(Four)) c33 = TOps.MultiplyAdd(x, b3, c33);
            x = TOps.Broadcast(Unsafe.Add(ref w4, tap));
            c40 = TOps.MultiplyAdd(x, b0, c40);
            if (typeof(TVectors) != typeof(One)) c41 = TOps.MultiplyAdd(x, b1, c41);
            if (typeof(TVectors) == typeof(Four)) c42 = TOps.MultiplyAdd(x, b2, c42);
            if (typeof(TVectors) == typeof(Four)) c43 = TOps.MultiplyAdd(x, b3, c43);
            x = TOps.Broadcast(Unsafe.Add(ref w5, tap));
            c50 = TOps.MultiplyAdd(x, b0, c50);
            if (typeof(TVectors) != typeof(One)) c51 = TOps.MultiplyAdd(x, b1, c51);
            if (typeof(TVectors) == typeof(Four)) c52 = TOps.MultiplyAdd(x, b2, c52);
            if (typeof(TVectors) == typeof(Four)) c53 = TOps.MultiplyAdd(x, b3, c53);
        }
        nint positions = ConvolutionSizes<TShape>.Positions;
        StoreChannel<TActivation, TOps, TV>(ref y, ref z, keepZ, hasBias, ref bias, 0, writes, count, c00, c01, c02, c03);
        if (channels > 1) StoreChannel<TActivation, TOps, TV>(ref Unsafe.Add(ref y, positions), ref Unsafe.Add(ref z, positions), keepZ, hasBias, ref bias, 1, writes, count, c10, c11, c12, c13);
        if (channels > 2) StoreChannel<TActivation, TOps, TV>(ref Unsafe.Add(ref y, 2 * positions), ref Unsafe.Add(ref z, 2 * positions), keepZ, hasBias, ref bias, 2, writes, count, c20, c21, c22, c23);
        if (channels > 3) StoreChannel<TActivation, TOps, TV>(ref Unsafe.Add(ref y, 3 * positions), ref Unsafe.Add(ref z, 3 * positions), keepZ, hasBias, ref bias, 3, writes, count, c30, c31, c32, c33);
        if (channels > 4) StoreChannel<TActivation, TOps, TV>(ref Unsafe.Add(ref y, 4 * positions), ref Unsafe.Add(ref z, 4 * positions), keepZ, hasBias, ref bias, 4, writes, count, c40, c41, c42, c43);
        if (channels > 5) StoreChannel<TActivation, TOps, TV>(ref Unsafe.Add(ref y, 5 * positions), ref Unsafe.Add(ref z, 5 * positions), keepZ, hasBias, ref bias, 5, writes, count, c50, c51, c52, c53);
    }

    /// <summary>One channel's slots of a tile: + b, stored in y (and z); slots past <paramref name="count"/> are repeats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreChannel<TActivation, TOps, TV>(ref float y, ref float z, bool keepZ, bool hasBias, ref float bias, int channel,
        ReadOnlySpan<nint> writes, int count, TV s0, TV s1, TV s2, TV s3) where TActivation : IUnaryOperator where TOps : IVectorOps<TV> where TV : struct
    {
        TV b = hasBias ? TOps.Broadcast(Unsafe.Add(ref bias, channel)) : TOps.Zero;
        StoreSlot<TActivation, TOps, TV>(ref y, ref z, keepZ, writes[0], TOps.Add(s0, b));
        if (count > 1) StoreSlot<TActivation, TOps, TV>(ref y, ref z, keepZ, writes[1], TOps.Add(s1, b));
        if (count > 2) StoreSlot<TActivation, TOps, TV>(ref y, ref z, keepZ, writes[2], TOps.Add(s2, b));
        if (count > 3) StoreSlot<TActivation, TOps, TV>(ref y, ref z, keepZ, writes[3], TOps.Add(s3, b));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSlot<TActivation, TOps, TV>(ref float y, ref float z, bool keepZ, nint at, TV value)
        where TActivation : IUnaryOperator where TOps : IVectorOps<TV> where TV : struct
    {
        TOps.Store(default(TActivation) is IRegisterActivation ? TOps.Apply<TActivation>(value) : value, ref y, at);
        if (keepZ)
            TOps.Store(value, ref z, at);
    }

    /// <summary>
    /// Channels [0, channels) × TVectors taps of one sample: sums[o, tap] += Σ over the output pixels, lane by lane, of
    /// δ[o, pixel]·padded[tap's offset + pixel's]. A row's overlapping last slot keeps only its new lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void GradientTile<TShape, TOps, TV, TVectors>(ref float sums, nint sumsRow, ref float input, ReadOnlySpan<nint> reads, ref float delta, int channels)
        where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct where TVectors : struct, IConstant
    {
        int lanes = TOps.Count, outWidth = ConvolutionSizes<TShape>.OutWidth, rowSlots = RowSlots<TShape, TOps, TV>();
        int fresh = outWidth - (rowSlots - 1) * lanes; // the new lanes of a row's last slot (all of them when the row is whole vectors)
        nint positions = ConvolutionSizes<TShape>.Positions, w = TOps.Count;
        ref float d0 = ref delta;
        ref float d1 = ref channels > 1 ? ref Unsafe.Add(ref d0, positions) : ref d0;
        ref float d2 = ref channels > 2 ? ref Unsafe.Add(ref d1, positions) : ref d1;
        ref float d3 = ref channels > 3 ? ref Unsafe.Add(ref d2, positions) : ref d2;
        ref float d4 = ref channels > 4 ? ref Unsafe.Add(ref d3, positions) : ref d3;
        ref float d5 = ref channels > 5 ? ref Unsafe.Add(ref d4, positions) : ref d4;
        ref float s0 = ref sums, s1 = ref Unsafe.Add(ref s0, sumsRow), s2 = ref Unsafe.Add(ref s1, sumsRow);
        ref float s3 = ref Unsafe.Add(ref s2, sumsRow), s4 = ref Unsafe.Add(ref s3, sumsRow), s5 = ref Unsafe.Add(ref s4, sumsRow);
        TV c00 = TOps.Load(ref s0, 0), c01 = typeof(TVectors) != typeof(One) ? TOps.Load(ref s0, w) : TOps.Zero, c02 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s0, 2 * w) : TOps.Zero, c03 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s0, 3 * w) : TOps.Zero;
        TV c10 = TOps.Load(ref s1, 0), c11 = typeof(TVectors) != typeof(One) ? TOps.Load(ref s1, w) : TOps.Zero, c12 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s1, 2 * w) : TOps.Zero, c13 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s1, 3 * w) : TOps.Zero;
        TV c20 = TOps.Load(ref s2, 0), c21 = typeof(TVectors) != typeof(One) ? TOps.Load(ref s2, w) : TOps.Zero, c22 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s2, 2 * w) : TOps.Zero, c23 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s2, 3 * w) : TOps.Zero;
        TV c30 = TOps.Load(ref s3, 0), c31 = typeof(TVectors) != typeof(One) ? TOps.Load(ref s3, w) : TOps.Zero, c32 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s3, 2 * w) : TOps.Zero, c33 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s3, 3 * w) : TOps.Zero;
        TV c40 = TOps.Load(ref s4, 0), c41 = typeof(TVectors) != typeof(One) ? TOps.Load(ref s4, w) : TOps.Zero, c42 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s4, 2 * w) : TOps.Zero, c43 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s4, 3 * w) : TOps.Zero;
        TV c50 = TOps.Load(ref s5, 0), c51 = typeof(TVectors) != typeof(One) ? TOps.Load(ref s5, w) : TOps.Zero, c52 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s5, 2 * w) : TOps.Zero, c53 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref s5, 3 * w) : TOps.Zero;
        nint r0 = reads[0], r1 = typeof(TVectors) != typeof(One) ? reads[1] : 0, r2 = typeof(TVectors) == typeof(Four) ? reads[2] : 0, r3 = typeof(TVectors) == typeof(Four) ? reads[3] : 0;
        // One loop over the slots, not two over rows and slots: nested, the register allocator spilled the accumulators.
        for (int slot = 0; slot < ConvolutionSizes<TShape>.OutHeight * rowSlots; slot++)
        {
            int oh = slot / rowSlots, v = slot % rowSlots;
            nint ow = v < rowSlots - 1 ? v * lanes : outWidth - lanes;
            ref float row = ref Unsafe.Add(ref input, oh * PaddedWidth<TShape>());
            nint line = oh * outWidth;
            TV b0 = TOps.Load(ref row, r0 + ow);
            TV b1 = typeof(TVectors) != typeof(One) ? TOps.Load(ref row, r1 + ow) : TOps.Zero;
            TV b2 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref row, r2 + ow) : TOps.Zero;
            TV b3 = typeof(TVectors) == typeof(Four) ? TOps.Load(ref row, r3 + ow) : TOps.Zero;
            if (fresh != lanes && v == rowSlots - 1)
            {
                b0 = TOps.KeepLast(b0, fresh);
                if (typeof(TVectors) != typeof(One)) b1 = TOps.KeepLast(b1, fresh);
                if (typeof(TVectors) == typeof(Four)) b2 = TOps.KeepLast(b2, fresh);
                if (typeof(TVectors) == typeof(Four)) b3 = TOps.KeepLast(b3, fresh);
            }
            nint at = line + ow;
            TV d = TOps.Load(ref d0, at);
            c00 = TOps.MultiplyAdd(d, b0, c00);
            if (typeof(TVectors) != typeof(One)) c01 = TOps.MultiplyAdd(d, b1, c01);
            if (typeof(TVectors) == typeof(Four)) c02 = TOps.MultiplyAdd(d, b2, c02);
            if (typeof(TVectors) == typeof(Four)) c03 = TOps.MultiplyAdd(d, b3, c03);
            d = TOps.Load(ref d1, at);
            c10 = TOps.MultiplyAdd(d, b0, c10);
            if (typeof(TVectors) != typeof(One)) c11 = TOps.MultiplyAdd(d, b1, c11);
            if (typeof(TVectors) == typeof(Four)) c12 = TOps.MultiplyAdd(d, b2, c12);
            if (typeof(TVectors) == typeof(Four)) c13 = TOps.MultiplyAdd(d, b3, c13);
            d = TOps.Load(ref d2, at);
            c20 = TOps.MultiplyAdd(d, b0, c20);
            if (typeof(TVectors) != typeof(One)) c21 = TOps.MultiplyAdd(d, b1, c21);
            if (typeof(TVectors) == typeof(Four)) c22 = TOps.MultiplyAdd(d, b2, c22);
            if (typeof(TVectors) == typeof(Four)) c23 = TOps.MultiplyAdd(d, b3, c23);
            d = TOps.Load(ref d3, at);
            c30 = TOps.MultiplyAdd(d, b0, c30);
            if (typeof(TVectors) != typeof(One)) c31 = TOps.MultiplyAdd(d, b1, c31);
            if (typeof(TVectors) == typeof(Four)) c32 = TOps.MultiplyAdd(d, b2, c32);
            if (typeof(TVectors) == typeof(Four)) c33 = TOps.MultiplyAdd(d, b3, c33);
            d = TOps.Load(ref d4, at);
            c40 = TOps.MultiplyAdd(d, b0, c40);
            if (typeof(TVectors) != typeof(One)) c41 = TOps.MultiplyAdd(d, b1, c41);
            if (typeof(TVectors) == typeof(Four)) c42 = TOps.MultiplyAdd(d, b2, c42);
            if (typeof(TVectors) == typeof(Four)) c43 = TOps.MultiplyAdd(d, b3, c43);
            d = TOps.Load(ref d5, at);
            c50 = TOps.MultiplyAdd(d, b0, c50);
            if (typeof(TVectors) != typeof(One)) c51 = TOps.MultiplyAdd(d, b1, c51);
            if (typeof(TVectors) == typeof(Four)) c52 = TOps.MultiplyAdd(d, b2, c52);
            if (typeof(TVectors) == typeof(Four)) c53 = TOps.MultiplyAdd(d, b3, c53);
        }
        StoreSums<TOps, TV, TVectors>(ref s0, c00, c01, c02, c03);
        StoreSums<TOps, TV, TVectors>(ref s1, c10, c11, c12, c13);
        StoreSums<TOps, TV, TVectors>(ref s2, c20, c21, c22, c23);
        StoreSums<TOps, TV, TVectors>(ref s3, c30, c31, c32, c33);
        StoreSums<TOps, TV, TVectors>(ref s4, c40, c41, c42, c43);
        StoreSums<TOps, TV, TVectors>(ref s5, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums<TOps, TV, TVectors>(ref float sums, TV c0, TV c1, TV c2, TV c3)
        where TOps : IVectorOps<TV> where TV : struct where TVectors : struct, IConstant
    {
        nint w = TOps.Count;
        TOps.Store(c0, ref sums, 0);
        if (typeof(TVectors) != typeof(One)) TOps.Store(c1, ref sums, w);
        if (typeof(TVectors) == typeof(Four)) TOps.Store(c2, ref sums, 2 * w);
        if (typeof(TVectors) == typeof(Four)) TOps.Store(c3, ref sums, 3 * w);
    }

    /// <summary>Vectors per output row: whole ones, and one overlapping the one before when the row is no multiple of the width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RowSlots<TShape, TOps, TV>() where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct =>
        (ConvolutionSizes<TShape>.OutWidth + TOps.Count - 1) / TOps.Count;

    /// <summary>Where tap (c, i, j) of the kernel starts in the padded sample: padded[c, i, j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint TapOffset<TShape>(int tap) where TShape : IConvolutionShape
    {
        int perChannel = TShape.KernelHeight * TShape.KernelWidth, c = tap / perChannel, i = tap % perChannel / TShape.KernelWidth, j = tap % TShape.KernelWidth;
        return (c * PaddedHeight<TShape>() + i) * PaddedWidth<TShape>() + j;
    }

    /// <summary>The sample as the tiles read it: copied inside the zero borders of <paramref name="padded"/> when the layer pads, else where it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Sample<TShape>(ReadOnlySpan<float> sample, Span<float> padded) where TShape : IConvolutionShape
    {
        if (!Pads<TShape>())
            return ref Unsafe.AsRef(in sample[0]);
        for (int c = 0; c < TShape.InChannels; c++)
            for (int h = 0; h < TShape.InHeight; h++)
                sample.Slice((c * TShape.InHeight + h) * TShape.InWidth, TShape.InWidth)
                    .CopyTo(padded.Slice((c * PaddedHeight<TShape>() + h + TShape.PaddingHeight) * PaddedWidth<TShape>() + TShape.PaddingWidth));
        return ref padded[0];
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(ReadOnlySpan<float> span, int offset) => ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(Span<float> span, int offset) => ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), offset);
}
