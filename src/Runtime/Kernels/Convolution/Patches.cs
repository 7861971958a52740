using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// The patch matrix of one sample, the way a convolution becomes matrix products: <see cref="ToColumns{TShape}(ref float, ref float, nint)"/> lays the
/// patches out as [patch, positions] (im2col), and <see cref="AddColumns{TShape}(ref float, ref float)"/> sends a [patch, positions] gradient back to
/// the input, adding where windows overlap (col2im). Padding reads as zeros and receives nothing.
/// </summary>
/// <remarks>
/// With stride 1 each kernel position reads a contiguous run of every input row: a patch matrix is thousands of such
/// runs (LeNet's second convolution: 1,500 runs of 10 values per sample), so each is copied or added by inlined vector
/// code of the one width that the output row fills (<see cref="Runs"/>), chosen once per layer from its constant output
/// width. Through span methods each run paid a call and its checks, and building the patches cost more than the
/// product they feed.
/// </remarks>
internal static class Patches
{
    /// <summary>cols[(c·kh + i)·kw + j, oh·OW + ow] = x[c, oh·s − ph + i, ow·s − pw + j], or 0 in the padding.</summary>
    /// <remarks>
    /// Row r of the matrix starts at cols[r·<paramref name="rowStride"/>]: the sample's positions, or, for the patches
    /// of several samples side by side, their total (each sample's columns then start where the caller points).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToColumns<TShape>(ref float x, ref float cols, nint rowStride) where TShape : IConvolutionShape
    {
        int outWidth = ConvolutionSizes<TShape>.OutWidth;
        if (Vector512.IsHardwareAccelerated && outWidth >= Vector512<float>.Count)
            ToColumns<TShape, V512, Vector512<float>>(ref x, ref cols, rowStride);
        else if (Vector256.IsHardwareAccelerated && outWidth >= Vector256<float>.Count)
            ToColumns<TShape, V256, Vector256<float>>(ref x, ref cols, rowStride);
        else if (Vector128.IsHardwareAccelerated && outWidth >= Vector128<float>.Count)
            ToColumns<TShape, V128, Vector128<float>>(ref x, ref cols, rowStride);
        else
            ToColumns<TShape, Scalar, float>(ref x, ref cols, rowStride);
    }

    /// <summary>δx[c, ih, iw] += Σ over the patches that read it of dcols (the adjoint of <see cref="ToColumns{TShape}(ref float, ref float, nint)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddColumns<TShape>(ref float dx, ref float dcols) where TShape : IConvolutionShape
    {
        int outWidth = ConvolutionSizes<TShape>.OutWidth;
        if (Vector512.IsHardwareAccelerated && outWidth >= Vector512<float>.Count)
            AddColumns<TShape, V512, Vector512<float>>(ref dx, ref dcols);
        else if (Vector256.IsHardwareAccelerated && outWidth >= Vector256<float>.Count)
            AddColumns<TShape, V256, Vector256<float>>(ref dx, ref dcols);
        else if (Vector128.IsHardwareAccelerated && outWidth >= Vector128<float>.Count)
            AddColumns<TShape, V128, Vector128<float>>(ref dx, ref dcols);
        else
            AddColumns<TShape, Scalar, float>(ref dx, ref dcols);
    }

    /// <summary><see cref="ToColumns{TShape}"/> with one width for the runs (tests call each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ToColumns<TShape, TOps, TV>(ref float x, ref float cols, nint rowStride)
        where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct
    {
        int outHeight = ConvolutionSizes<TShape>.OutHeight, outWidth = ConvolutionSizes<TShape>.OutWidth;
        if (TShape.Stride == 1 && (TShape.PaddingHeight > 0 || TShape.PaddingWidth > 0) && outWidth < NarrowRows && PaddedLength<TShape>() <= MaxPaddedFloats)
        {
            ToColumnsFromPadded<TShape, TOps, TV>(ref x, ref cols, rowStride);
            return;
        }
        if (TShape.Stride == 1)
        {
            // Every kernel column reads a run of the input row (between the padding zeros): for each input row read,
            // its kernel-width runs in turn (one row address, then only the offsets move).
            for (int c = 0; c < TShape.InChannels; c++)
                for (int i = 0; i < TShape.KernelHeight; i++)
                {
                    ref float rows = ref Unsafe.Add(ref cols, (c * TShape.KernelHeight + i) * TShape.KernelWidth * rowStride);
                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int ih = oh - TShape.PaddingHeight + i;
                        ref float line = ref Unsafe.Add(ref rows, oh * outWidth);
                        if ((uint)ih >= (uint)TShape.InHeight)
                        {
                            for (int j = 0; j < TShape.KernelWidth; j++)
                                Runs.Clear(ref Unsafe.Add(ref line, j * rowStride), outWidth);
                            continue;
                        }
                        ref float input = ref Unsafe.Add(ref x, (c * TShape.InHeight + ih) * TShape.InWidth);
                        for (int j = 0; j < TShape.KernelWidth; j++)
                        {
                            ref float run = ref Unsafe.Add(ref line, j * rowStride);
                            if (TShape.PaddingWidth == 0)
                            {
                                Runs.Copy<TOps, TV>(ref Unsafe.Add(ref input, j), ref run, outWidth);
                                continue;
                            }
                            (int first, int end) = Inside<TShape>(j, outWidth);
                            Runs.Clear(ref run, first);
                            Runs.Copy<TOps, TV>(ref Unsafe.Add(ref input, first - TShape.PaddingWidth + j), ref Unsafe.Add(ref run, first), end - first);
                            Runs.Clear(ref Unsafe.Add(ref run, end), outWidth - end);
                        }
                    }
                }
            return;
        }
        // A stride: the values of a run are apart in the input, so they go one by one.
        nint row = 0;
        for (int c = 0; c < TShape.InChannels; c++)
            for (int i = 0; i < TShape.KernelHeight; i++)
                for (int j = 0; j < TShape.KernelWidth; j++, row++)
                {
                    ref float destination = ref Unsafe.Add(ref cols, row * rowStride);
                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int ih = oh * TShape.Stride - TShape.PaddingHeight + i;
                        ref float line = ref Unsafe.Add(ref destination, oh * outWidth);
                        if ((uint)ih >= (uint)TShape.InHeight)
                        {
                            Runs.Clear(ref line, outWidth);
                            continue;
                        }
                        ref float input = ref Unsafe.Add(ref x, (c * TShape.InHeight + ih) * TShape.InWidth);
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int iw = ow * TShape.Stride - TShape.PaddingWidth + j;
                            Unsafe.Add(ref line, ow) = (uint)iw < (uint)TShape.InWidth ? Unsafe.Add(ref input, iw) : 0f;
                        }
                    }
                }
    }

    /// <summary>
    /// Output rows narrower than this take the padded copy: their runs are a vector or less, so the padding's scalar
    /// edges are most of the work. Wider rows copy whole vectors between short edges already, and the copy would be
    /// one more pass over the sample.
    /// </summary>
    private const int NarrowRows = 16;

    /// <summary>The most floats a padded copy of a sample may take on the stack (16 KB).</summary>
    private const int MaxPaddedFloats = 4096;

    /// <summary>Floats of a sample with its zero padding around every channel: C × (H + 2·ph) × (W + 2·pw).</summary>
    private static int PaddedLength<TShape>() where TShape : IConvolutionShape =>
        TShape.InChannels * (TShape.InHeight + 2 * TShape.PaddingHeight) * (TShape.InWidth + 2 * TShape.PaddingWidth);

    /// <summary>
    /// Stride 1 with padding, for output rows narrower than <see cref="NarrowRows"/> and samples of up to 16 KB: the sample is first copied into a zero-padded image on the
    /// stack, so that every run of the patch matrix is a whole output row's worth of the padded row, copied by vectors
    /// with no padding to clear around it. Small images (the 8 × 8 digits' second convolution: runs of 4 values, a
    /// third of them shortened by the padding) otherwise spend their time in the short runs' scalar edges.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ToColumnsFromPadded<TShape, TOps, TV>(ref float x, ref float cols, nint rowStride)
        where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct
    {
        int outHeight = ConvolutionSizes<TShape>.OutHeight, outWidth = ConvolutionSizes<TShape>.OutWidth;
        int paddedHeight = TShape.InHeight + 2 * TShape.PaddingHeight, paddedWidth = TShape.InWidth + 2 * TShape.PaddingWidth;
        Span<float> padded = stackalloc float[PaddedLength<TShape>()];
        padded.Clear();
        ref float image = ref MemoryMarshal.GetReference(padded);
        for (int c = 0; c < TShape.InChannels; c++)
            for (int h = 0; h < TShape.InHeight; h++)
                Runs.Copy<TOps, TV>(ref Unsafe.Add(ref x, (c * TShape.InHeight + h) * TShape.InWidth),
                    ref Unsafe.Add(ref image, (c * paddedHeight + h + TShape.PaddingHeight) * paddedWidth + TShape.PaddingWidth), TShape.InWidth);
        for (int c = 0; c < TShape.InChannels; c++)
            for (int i = 0; i < TShape.KernelHeight; i++)
            {
                ref float rows = ref Unsafe.Add(ref cols, (c * TShape.KernelHeight + i) * TShape.KernelWidth * rowStride);
                for (int oh = 0; oh < outHeight; oh++)
                {
                    ref float input = ref Unsafe.Add(ref image, (c * paddedHeight + oh + i) * paddedWidth);
                    ref float line = ref Unsafe.Add(ref rows, oh * outWidth);
                    for (int j = 0; j < TShape.KernelWidth; j++)
                        Runs.Copy<TOps, TV>(ref Unsafe.Add(ref input, j), ref Unsafe.Add(ref line, j * rowStride), outWidth);
                }
            }
    }

    /// <summary><see cref="AddColumns{TShape}"/> with one width for the runs (tests call each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddColumns<TShape, TOps, TV>(ref float dx, ref float dcols)
        where TShape : IConvolutionShape where TOps : IVectorOps<TV> where TV : struct
    {
        int outHeight = ConvolutionSizes<TShape>.OutHeight, outWidth = ConvolutionSizes<TShape>.OutWidth, positions = outHeight * outWidth;
        nint row = 0;
        for (int c = 0; c < TShape.InChannels; c++)
            for (int i = 0; i < TShape.KernelHeight; i++)
                for (int j = 0; j < TShape.KernelWidth; j++, row++)
                {
                    ref float source = ref Unsafe.Add(ref dcols, row * positions);
                    (int first, int end) = Inside<TShape>(j, outWidth);
                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int ih = oh * TShape.Stride - TShape.PaddingHeight + i;
                        if ((uint)ih >= (uint)TShape.InHeight)
                            continue;
                        ref float line = ref Unsafe.Add(ref source, oh * outWidth);
                        ref float input = ref Unsafe.Add(ref dx, (c * TShape.InHeight + ih) * TShape.InWidth);
                        if (TShape.Stride == 1)
                        {
                            // The run of the input row this kernel column read.
                            Runs.Add<TOps, TV>(ref Unsafe.Add(ref line, first), ref Unsafe.Add(ref input, first - TShape.PaddingWidth + j), end - first);
                            continue;
                        }
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int iw = ow * TShape.Stride - TShape.PaddingWidth + j;
                            if ((uint)iw < (uint)TShape.InWidth)
                                Unsafe.Add(ref input, iw) += Unsafe.Add(ref line, ow);
                        }
                    }
                }
    }

    /// <summary>The output columns [first, end) whose window column j falls inside the input row (stride 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int First, int End) Inside<TShape>(int j, int outWidth) where TShape : IConvolutionShape
    {
        int first = Math.Clamp(TShape.PaddingWidth - j, 0, outWidth);
        int end = Math.Clamp(TShape.InWidth + TShape.PaddingWidth - j, first, outWidth);
        return (first, end);
    }
}
