using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// The patch matrix of one sample, the way a convolution becomes matrix products: <see cref="ToColumns"/> lays the
/// patches out as [patch, positions] (im2col), and <see cref="AddColumns"/> sends a [patch, positions] gradient back to
/// the input, adding where windows overlap (col2im). Padding reads as zeros and receives nothing. With stride 1 each
/// kernel position reads a contiguous run of every input row, copied or added as one vectorised span operation.
/// </summary>
internal static class Patches
{
    /// <summary>cols[(c·kh + i)·kw + j, oh·OW + ow] = x[c, oh·s − ph + i, ow·s − pw + j], or 0 in the padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToColumns<TShape>(ref float x, ref float cols) where TShape : IConvolutionShape
    {
        int positions = ConvolutionSizes<TShape>.Positions, outWidth = ConvolutionSizes<TShape>.OutWidth;
        nint row = 0;
        for (int c = 0; c < TShape.InChannels; c++)
            for (int i = 0; i < TShape.KernelHeight; i++)
                for (int j = 0; j < TShape.KernelWidth; j++, row++)
                {
                    ref float destination = ref Unsafe.Add(ref cols, row * positions);
                    for (int oh = 0; oh < ConvolutionSizes<TShape>.OutHeight; oh++)
                    {
                        int ih = oh * TShape.Stride - TShape.PaddingHeight + i;
                        ref float line = ref Unsafe.Add(ref destination, oh * outWidth);
                        if ((uint)ih >= (uint)TShape.InHeight)
                        {
                            for (int ow = 0; ow < outWidth; ow++)
                                Unsafe.Add(ref line, ow) = 0f;
                            continue;
                        }
                        ref float input = ref Unsafe.Add(ref x, (c * TShape.InHeight + ih) * TShape.InWidth);
                        if (TShape.Stride == 1)
                        {
                            // A run of the input row, padded with zeros on either side: one vectorised copy.
                            (int first, int end) = Inside<TShape>(j, outWidth);
                            MemoryMarshal.CreateSpan(ref line, first).Clear();
                            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref input, first - TShape.PaddingWidth + j), end - first)
                                .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref line, first), end - first));
                            MemoryMarshal.CreateSpan(ref Unsafe.Add(ref line, end), outWidth - end).Clear();
                            continue;
                        }
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int iw = ow * TShape.Stride - TShape.PaddingWidth + j;
                            Unsafe.Add(ref line, ow) = (uint)iw < (uint)TShape.InWidth ? Unsafe.Add(ref input, iw) : 0f;
                        }
                    }
                }
    }

    /// <summary>
    /// With stride 1, the output columns [first, end) whose input column ow − pw + j lies inside the row; the others
    /// read padding.
    /// </summary>
    private static (int First, int End) Inside<TShape>(int j, int outWidth) where TShape : IConvolutionShape
    {
        int first = Math.Clamp(TShape.PaddingWidth - j, 0, outWidth);
        int end = Math.Clamp(TShape.InWidth + TShape.PaddingWidth - j, first, outWidth);
        return (first, end);
    }

    /// <summary>dx[c, ih, iw] += Σ dcols over every (patch row, position) that read x[c, ih, iw].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddColumns<TShape>(ref float dx, ref float dcols) where TShape : IConvolutionShape
    {
        int positions = ConvolutionSizes<TShape>.Positions, outWidth = ConvolutionSizes<TShape>.OutWidth;
        nint row = 0;
        for (int c = 0; c < TShape.InChannels; c++)
            for (int i = 0; i < TShape.KernelHeight; i++)
                for (int j = 0; j < TShape.KernelWidth; j++, row++)
                {
                    ref float source = ref Unsafe.Add(ref dcols, row * positions);
                    for (int oh = 0; oh < ConvolutionSizes<TShape>.OutHeight; oh++)
                    {
                        int ih = oh * TShape.Stride - TShape.PaddingHeight + i;
                        if ((uint)ih >= (uint)TShape.InHeight)
                            continue;
                        ref float line = ref Unsafe.Add(ref source, oh * outWidth);
                        ref float input = ref Unsafe.Add(ref dx, (c * TShape.InHeight + ih) * TShape.InWidth);
                        if (TShape.Stride == 1)
                        {
                            // The run of the input row this kernel column read: one vectorised add.
                            (int first, int end) = Inside<TShape>(j, outWidth);
                            Span<float> into = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref input, first - TShape.PaddingWidth + j), end - first);
                            TensorPrimitives.Add(into, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref line, first), end - first), into);
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
}
