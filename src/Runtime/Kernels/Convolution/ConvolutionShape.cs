using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// A convolution's sizes as compile-time constants, PyTorch's nn.Conv2d with a square stride: the generator emits one
/// small struct per layer implementing this and passes it as a type argument to the <see cref="Convolution"/> kernels,
/// so the JIT compiles one copy per layer with every size folded. A 1-D convolution is the 2-D one with a height of 1,
/// a kernel height of 1 and no vertical padding.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IConvolutionShape
{
#pragma warning disable CS1591 // The sizes, named as nn.Conv2d names them.
    static abstract int InChannels { get; }
    static abstract int InHeight { get; }
    static abstract int InWidth { get; }
    static abstract int OutChannels { get; }
    static abstract int KernelHeight { get; }
    static abstract int KernelWidth { get; }
    static abstract int Stride { get; }
    static abstract int PaddingHeight { get; }
    static abstract int PaddingWidth { get; }
#pragma warning restore CS1591
}

/// <summary>What follows from a shape: output sizes, one patch's length and one sample's sizes (all constants to the JIT).</summary>
internal static class ConvolutionSizes<TShape> where TShape : IConvolutionShape
{
    public static int OutHeight
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (TShape.InHeight + 2 * TShape.PaddingHeight - TShape.KernelHeight) / TShape.Stride + 1;
    }

    public static int OutWidth
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (TShape.InWidth + 2 * TShape.PaddingWidth - TShape.KernelWidth) / TShape.Stride + 1;
    }

    /// <summary>Output positions per channel: the columns of the patch matrix.</summary>
    public static int Positions
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => OutHeight * OutWidth;
    }

    /// <summary>Values in one patch, C·kh·kw: the rows of the patch matrix, and a weight row's length.</summary>
    public static int Patch
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TShape.InChannels * TShape.KernelHeight * TShape.KernelWidth;
    }

    public static int InputSize
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TShape.InChannels * TShape.InHeight * TShape.InWidth;
    }

    public static int OutputSize
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TShape.OutChannels * Positions;
    }

    /// <summary>
    /// Samples whose weight gradients are computed together (<see cref="Convolution.WeightGradients{TShape}"/>): enough
    /// for dot products of about 512 positions, as long as the group's patch matrices stay within 256 KB (in L2 on the
    /// cores we know). A layer with 512 positions or more goes sample by sample: grouping would only add copies.
    /// </summary>
    public static int Group
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Math.Clamp(Math.Min((512 + Positions - 1) / Positions, 64 * 1024 / (Patch * Positions)), 1, 16);
    }

    /// <summary>
    /// Computed by <see cref="DirectConvolution"/>, with no patch matrix: stride 1 and at most 4 input channels (a
    /// greyscale or colour image, a signal), where the patches would outweigh the product they feed (one channel: 25
    /// patch rows per pixel for a few output channels), and output rows of at least 4 (a 128-bit vector).
    /// </summary>
    public static bool Direct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TShape.Stride == 1 && TShape.InChannels <= 4 && OutWidth >= 4 && !Pointwise;
    }

    /// <summary>A 1×1 kernel with stride 1 and no padding: the input sample already is the patch matrix.</summary>
    public static bool Pointwise
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TShape.KernelHeight == 1 && TShape.KernelWidth == 1 && TShape.Stride == 1
        && TShape.PaddingHeight == 0 && TShape.PaddingWidth == 0;
    }
}

/// <summary>Forward, one sample: Z[out, positions] = W[out, patch]·Cols[patch, positions].</summary>
internal readonly struct ConvolutionForwardProduct<TShape> : IProductShape where TShape : IConvolutionShape
{
    public int M => TShape.OutChannels;
    public int N => ConvolutionSizes<TShape>.Positions;
    public int K => ConvolutionSizes<TShape>.Patch;
    public nint ARow => ConvolutionSizes<TShape>.Patch;
    public nint AStep => 1;
    public nint Ldb => ConvolutionSizes<TShape>.Positions;
}

/// <summary>∂L/∂Cols, one sample: Wᵀ[patch, out]·δ[out, positions] (A = W read down its columns).</summary>
internal readonly struct ConvolutionInputGradientProduct<TShape> : IProductShape where TShape : IConvolutionShape
{
    public int M => ConvolutionSizes<TShape>.Patch;
    public int N => ConvolutionSizes<TShape>.Positions;
    public int K => TShape.OutChannels;
    public nint ARow => 1;
    public nint AStep => ConvolutionSizes<TShape>.Patch;
    public nint Ldb => ConvolutionSizes<TShape>.Positions;
}

/// <summary>
/// The patch gradients of a stride-1 layer on the input's grid (<see cref="GridInputGradients"/>), one sample:
/// Wᵀ[patch, out]·δ[out, grid columns] (A = W read down its columns).
/// </summary>
internal readonly struct ConvolutionGridInputGradientProduct<TShape> : IProductShape where TShape : IConvolutionShape
{
    public int M => ConvolutionSizes<TShape>.Patch;
    public int N => GridInputGradients.GridLength<TShape>();
    public int K => TShape.OutChannels;
    public nint ARow => 1;
    public nint AStep => ConvolutionSizes<TShape>.Patch;
    public nint Ldb => GridInputGradients.GridLength<TShape>();
}
