using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// The patch matrices of one sample, the way a convolution becomes a matrix product: <see cref="ToColumns"/> lays the
/// patches out as [patch, positions] (im2col, for the forward product), <see cref="ToRows"/> as [positions, patch] (for
/// the weight gradient), and <see cref="AddColumns"/> sends a [patch, positions] gradient back to the input, adding
/// where windows overlap (col2im). Padding reads as zeros and receives nothing.
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
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int iw = ow * TShape.Stride - TShape.PaddingWidth + j;
                            Unsafe.Add(ref line, ow) = (uint)iw < (uint)TShape.InWidth ? Unsafe.Add(ref input, iw) : 0f;
                        }
                    }
                }
    }

    /// <summary>rows[oh·OW + ow, (c·kh + i)·kw + j]: the same values as <see cref="ToColumns"/>, each patch contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToRows<TShape>(ref float x, ref float rows) where TShape : IConvolutionShape
    {
        int patch = ConvolutionSizes<TShape>.Patch, outWidth = ConvolutionSizes<TShape>.OutWidth;
        for (int oh = 0; oh < ConvolutionSizes<TShape>.OutHeight; oh++)
            for (int ow = 0; ow < outWidth; ow++)
            {
                ref float destination = ref Unsafe.Add(ref rows, (nint)(oh * outWidth + ow) * patch);
                nint k = 0;
                for (int c = 0; c < TShape.InChannels; c++)
                    for (int i = 0; i < TShape.KernelHeight; i++)
                    {
                        int ih = oh * TShape.Stride - TShape.PaddingHeight + i;
                        bool inside = (uint)ih < (uint)TShape.InHeight;
                        ref float input = ref Unsafe.Add(ref x, (c * TShape.InHeight + (inside ? ih : 0)) * TShape.InWidth);
                        for (int j = 0; j < TShape.KernelWidth; j++, k++)
                        {
                            int iw = ow * TShape.Stride - TShape.PaddingWidth + j;
                            Unsafe.Add(ref destination, k) = inside && (uint)iw < (uint)TShape.InWidth ? Unsafe.Add(ref input, iw) : 0f;
                        }
                    }
            }
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
