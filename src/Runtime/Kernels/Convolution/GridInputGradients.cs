using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// δx += Wᵀ ⋆ δ for a convolution with stride 1, with no col2im: the output positions are laid out on the grid of the
/// (padded) input, where every kernel tap is a fixed shift, so each input value's gradient is a sum of shifted rows.
/// </summary>
/// <remarks>
/// <para>Why: col2im adds each patch row back to the input as one short run per output row (LeNet's second layer:
/// 1,500 runs of 10 values per sample), and those runs, not the product, were the cost. On the grid, output position
/// (oh, ow) is column q = oh·PW + ow of a row PW wide (the padded input's width), and tap (c, i, j) of every position
/// reads padded x[c] at q + i·PW + j: one shift per tap.</para>
/// <para>Per sample: δ is copied onto the grid (the columns past each output row stay zero); one product gives the
/// patch gradients G[tap, q] = Σ_o W[o, tap]·δ[o, q], each row with zero margins on both sides; then each vector of
/// the padded input's gradient is gathered, Σ over the taps of G[tap, q − shift(tap)] (4 vectors at a time, so that
/// the adds' latency overlaps), and its inside is added to δx. The grid's extra columns cost about 36 % more product
/// for LeNet's second layer, but its rows are long and the runs are gone.</para>
/// </remarks>
internal static class GridInputGradients
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PaddedWidth<TShape>() where TShape : IConvolutionShape => TShape.InWidth + 2 * TShape.PaddingWidth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PaddedHeight<TShape>() where TShape : IConvolutionShape => TShape.InHeight + 2 * TShape.PaddingHeight;

    /// <summary>Grid columns that hold output positions: the last output row ends OW into its grid row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GridLength<TShape>() where TShape : IConvolutionShape =>
        (ConvolutionSizes<TShape>.OutHeight - 1) * PaddedWidth<TShape>() + ConvolutionSizes<TShape>.OutWidth;

    /// <summary>The largest shift of a tap, and the zero margin on each side of a patch-gradient row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Margin<TShape>() where TShape : IConvolutionShape => (TShape.KernelHeight - 1) * PaddedWidth<TShape>() + TShape.KernelWidth - 1;

    /// <summary>A patch-gradient row: margin, grid, margin (= one padded plane and a margin).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RowStride<TShape>() where TShape : IConvolutionShape => PaddedHeight<TShape>() * PaddedWidth<TShape>() + Margin<TShape>();

    /// <summary>Scratch floats: δ on the grid, the patch gradients with their margins, and the padded input's gradient.</summary>
    public static int ScratchLength<TShape>() where TShape : IConvolutionShape =>
        checked(TShape.OutChannels * GridLength<TShape>() + ConvolutionSizes<TShape>.Patch * RowStride<TShape>()
            + TShape.InChannels * PaddedHeight<TShape>() * PaddedWidth<TShape>());

    /// <summary>δx += Wᵀ ⋆ δ for the batch (stride 1). Sizes are checked by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add<TShape>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, Span<float> scratch, int batch)
        where TShape : IConvolutionShape
    {
        int plane = PaddedHeight<TShape>() * PaddedWidth<TShape>();
        if (Vector512.IsHardwareAccelerated && plane >= Vector512<float>.Count)
            Add<TShape, V512, Vector512<float>>(inputGradients, delta, weights, scratch, batch);
        else if (Vector256.IsHardwareAccelerated && plane >= Vector256<float>.Count)
            Add<TShape, V256, Vector256<float>>(inputGradients, delta, weights, scratch, batch);
        else if (Vector128.IsHardwareAccelerated && plane >= Vector128<float>.Count)
            Add<TShape, V128, Vector128<float>>(inputGradients, delta, weights, scratch, batch);
        else
            Add<TShape, Scalar, float>(inputGradients, delta, weights, scratch, batch);
    }

    /// <summary><see cref="Add{TShape}"/> with one width for the gather (tests call each); the product picks its own widths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add<TShape, TOps, TV>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, Span<float> scratch, int batch)
        where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct
    {
        int grid = GridLength<TShape>(), rowStride = RowStride<TShape>(), margin = Margin<TShape>(), paddedWidth = PaddedWidth<TShape>();
        int positions = ConvolutionSizes<TShape>.Positions, outWidth = ConvolutionSizes<TShape>.OutWidth, patch = ConvolutionSizes<TShape>.Patch;
        int inputSize = ConvolutionSizes<TShape>.InputSize, outputSize = ConvolutionSizes<TShape>.OutputSize;
        int planes = TShape.InChannels * PaddedHeight<TShape>() * paddedWidth;
        Span<float> deltaGrid = scratch[..(TShape.OutChannels * grid)];
        Span<float> columns = scratch.Slice(deltaGrid.Length, patch * rowStride);
        Span<float> padded = scratch.Slice(deltaGrid.Length + columns.Length, planes);
        // What the samples never write stays zero: the grid's columns past each output row, the rows' margins.
        deltaGrid.Clear();
        columns.Clear();
        bool pads = TShape.PaddingHeight > 0 || TShape.PaddingWidth > 0;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < TShape.OutChannels; o++)
                for (int oh = 0; oh < ConvolutionSizes<TShape>.OutHeight; oh++)
                    delta.Slice(n * outputSize + o * positions + oh * outWidth, outWidth).CopyTo(deltaGrid.Slice(o * grid + oh * paddedWidth));
            // G[tap, q] = Σ_o W[o, tap]·δ[o, q]: W read down its columns, rows stored between their margins.
            var epilogue = new StoreEpilogue(ref columns[margin], rowStride);
            Gemm.Run(ref Unsafe.AsRef(in weights[0]), ref deltaGrid[0], default(ConvolutionGridInputGradientProduct<TShape>), ref epilogue);
            Gather<TShape, TOps, TV>(ref columns[0], ref padded[0]);
            Span<float> sample = inputGradients.Slice(n * inputSize, inputSize);
            if (!pads)
            {
                TensorPrimitives.Add(sample, padded, sample);
                continue;
            }
            for (int c = 0; c < TShape.InChannels; c++)
                for (int h = 0; h < TShape.InHeight; h++)
                {
                    Span<float> row = sample.Slice((c * TShape.InHeight + h) * TShape.InWidth, TShape.InWidth);
                    Runs.Add<TOps, TV>(ref padded[(c * PaddedHeight<TShape>() + h + TShape.PaddingHeight) * paddedWidth + TShape.PaddingWidth], ref row[0], TShape.InWidth);
                }
        }
    }

    /// <summary>
    /// padded[c, t] = Σ over the taps (c, i, j) of G[tap, margin + t − (i·PW + j)], every t of every plane: the margins
    /// read zeros where a tap's shift leaves the grid. Four vectors at a time; a plane's last vectors overlap the ones
    /// before and store the same sums again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather<TShape, TOps, TV>(ref float columns, ref float padded)
        where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct
    {
        int plane = PaddedHeight<TShape>() * PaddedWidth<TShape>(), taps = TShape.KernelHeight * TShape.KernelWidth, width = TOps.Count;
        int vectors = (plane + width - 1) / width;
        nint rowStride = RowStride<TShape>(), margin = Margin<TShape>();
        for (int c = 0; c < TShape.InChannels; c++)
        {
            ref float rows = ref Unsafe.Add(ref columns, c * taps * rowStride);
            ref float target = ref Unsafe.Add(ref padded, c * plane);
            for (int v = 0; v < vectors; v += 4)
            {
                nint t0 = Start(v, vectors, width, plane), t1 = Start(v + 1, vectors, width, plane);
                nint t2 = Start(v + 2, vectors, width, plane), t3 = Start(v + 3, vectors, width, plane);
                TV s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
                for (int tap = 0; tap < taps; tap++)
                {
                    ref float row = ref Unsafe.Add(ref rows, tap * rowStride + margin - (tap / TShape.KernelWidth * PaddedWidth<TShape>() + tap % TShape.KernelWidth));
                    s0 = TOps.Add(s0, TOps.Load(ref row, t0));
                    s1 = TOps.Add(s1, TOps.Load(ref row, t1));
                    s2 = TOps.Add(s2, TOps.Load(ref row, t2));
                    s3 = TOps.Add(s3, TOps.Load(ref row, t3));
                }
                TOps.Store(s0, ref target, t0);
                TOps.Store(s1, ref target, t1);
                TOps.Store(s2, ref target, t2);
                TOps.Store(s3, ref target, t3);
            }
        }
    }

    /// <summary>Where vector v of a plane starts: the last (and any past it) ends at the plane's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Start(int v, int vectors, int width, int plane) => v < vectors - 1 ? v * width : plane - width;
}
