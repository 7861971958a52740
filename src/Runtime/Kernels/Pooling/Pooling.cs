using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// A pooling layer's sizes as compile-time constants, as PyTorch's nn.MaxPool2d and nn.AvgPool2d (no padding, output
/// sizes floored): one struct per layer, passed as a type argument to the <see cref="Pooling"/> kernels. A 1-D pooling
/// is the 2-D one with a height of 1 and a window height of 1.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPoolingShape
{
#pragma warning disable CS1591 // The sizes, named as nn.MaxPool2d names them.
    static abstract int Channels { get; }
    static abstract int InHeight { get; }
    static abstract int InWidth { get; }
    static abstract int WindowHeight { get; }
    static abstract int WindowWidth { get; }
    static abstract int Stride { get; }
#pragma warning restore CS1591
}

/// <summary>
/// Max and average pooling over [C, H, W] (or [C, L]) samples, each channel on its own. Max pooling sends each window's
/// gradient to its first maximum, as PyTorch does; average pooling spreads it evenly. The input-gradient kernels add to
/// what is there (windows may overlap, and other readers of the source add theirs). Arguments come in the one order:
/// what the kernel writes, what it reads, then the batch.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Pooling
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int OutHeight<TShape>() where TShape : IPoolingShape => (TShape.InHeight - TShape.WindowHeight) / TShape.Stride + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int OutWidth<TShape>() where TShape : IPoolingShape => (TShape.InWidth - TShape.WindowWidth) / TShape.Stride + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InputSize<TShape>() where TShape : IPoolingShape => TShape.Channels * TShape.InHeight * TShape.InWidth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int OutputSize<TShape>() where TShape : IPoolingShape => TShape.Channels * OutHeight<TShape>() * OutWidth<TShape>();

    /// <summary>y[n, c, h, w] = the maximum of x over the window at (h·s, w·s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxForward<TShape>(Span<float> y, ReadOnlySpan<float> x, int batch) where TShape : IPoolingShape
    {
        Check<TShape>(y.Length, x.Length, batch);
        if (Vector256.IsHardwareAccelerated && PairPooling.Serves<TShape>(OutWidth<TShape>(), 8))
            MaxForwardPairs<TShape>(y, x, batch, wide: true);
        else if (Vector128.IsHardwareAccelerated && PairPooling.Serves<TShape>(OutWidth<TShape>(), 4))
            MaxForwardPairs<TShape>(y, x, batch, wide: false);
        else
            MaxForwardScalar<TShape>(y, x, batch);
    }

    /// <summary>Windows two columns wide with stride 2, by <see cref="PairPooling"/> at 256 or 128 bits (tests call both).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxForwardPairs<TShape>(Span<float> y, ReadOnlySpan<float> x, int batch, bool wide) where TShape : IPoolingShape
    {
        int outHeight = OutHeight<TShape>(), outWidth = OutWidth<TShape>();
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float input = ref Ref(x, plane * TShape.InHeight * TShape.InWidth);
            ref float output = ref Ref(y, plane * outHeight * outWidth);
            for (int h = 0; h < outHeight; h++)
            {
                ref float rows = ref Unsafe.Add(ref input, h * TShape.Stride * TShape.InWidth);
                if (wide)
                    PairPooling.ForwardRow256<TShape>(ref rows, ref Unsafe.Add(ref output, h * outWidth), outWidth);
                else
                    PairPooling.ForwardRow128<TShape>(ref rows, ref Unsafe.Add(ref output, h * outWidth), outWidth);
            }
        }
    }

    /// <summary>Any window, one output at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxForwardScalar<TShape>(Span<float> y, ReadOnlySpan<float> x, int batch) where TShape : IPoolingShape
    {
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float input = ref Ref(x, plane * TShape.InHeight * TShape.InWidth);
            ref float output = ref Ref(y, plane * OutHeight<TShape>() * OutWidth<TShape>());
            for (int h = 0; h < OutHeight<TShape>(); h++)
                for (int w = 0; w < OutWidth<TShape>(); w++)
                {
                    // The maximum alone (no index): branch-free, and a NaN in the window comes out as NaN, as in PyTorch.
                    ref float corner = ref Unsafe.Add(ref input, h * TShape.Stride * TShape.InWidth + w * TShape.Stride);
                    float max = corner;
                    for (int i = 0; i < TShape.WindowHeight; i++)
                        for (int j = 0; j < TShape.WindowWidth; j++)
                            max = Math.Max(max, Unsafe.Add(ref corner, i * TShape.InWidth + j));
                    Unsafe.Add(ref output, h * OutWidth<TShape>() + w) = max;
                }
        }
    }

    /// <summary>δx[the first maximum of each window] += δy of that window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxAddInputGradients<TShape>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int batch) where TShape : IPoolingShape
    {
        Check<TShape>(delta.Length, x.Length, batch);
        if (inputGradients.Length < batch * InputSize<TShape>())
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.", nameof(inputGradients));
        if (Vector256.IsHardwareAccelerated && PairPooling.Serves<TShape>(OutWidth<TShape>(), 8))
            MaxAddInputGradientsPairs<TShape>(inputGradients, delta, x, batch, wide: true);
        else if (Vector128.IsHardwareAccelerated && PairPooling.Serves<TShape>(OutWidth<TShape>(), 4))
            MaxAddInputGradientsPairs<TShape>(inputGradients, delta, x, batch, wide: false);
        else
            MaxAddInputGradientsScalar<TShape>(inputGradients, delta, x, batch);
    }

    /// <summary>Windows two columns wide with stride 2, by <see cref="PairPooling"/> at 256 or 128 bits, the windows past the last whole vector one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxAddInputGradientsPairs<TShape>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int batch, bool wide)
        where TShape : IPoolingShape
    {
        int outHeight = OutHeight<TShape>(), outWidth = OutWidth<TShape>();
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float input = ref Ref(x, plane * TShape.InHeight * TShape.InWidth);
            ref float gradient = ref Ref(inputGradients, plane * TShape.InHeight * TShape.InWidth);
            ref float outputDelta = ref Ref(delta, plane * outHeight * outWidth);
            for (int h = 0; h < outHeight; h++)
            {
                nint rowStart = h * TShape.Stride * TShape.InWidth;
                ref float rowDelta = ref Unsafe.Add(ref outputDelta, h * outWidth);
                int done = wide
                    ? PairPooling.BackwardRow256<TShape>(ref Unsafe.Add(ref input, rowStart), ref Unsafe.Add(ref gradient, rowStart), ref rowDelta, outWidth)
                    : PairPooling.BackwardRow128<TShape>(ref Unsafe.Add(ref input, rowStart), ref Unsafe.Add(ref gradient, rowStart), ref rowDelta, outWidth);
                for (int w = done; w < outWidth; w++)
                    Unsafe.Add(ref gradient, ArgMax<TShape>(ref input, h, w)) += Unsafe.Add(ref rowDelta, w);
            }
        }
    }

    /// <summary>Any window, one output at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxAddInputGradientsScalar<TShape>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int batch) where TShape : IPoolingShape
    {
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float input = ref Ref(x, plane * TShape.InHeight * TShape.InWidth);
            ref float gradient = ref Ref(inputGradients, plane * TShape.InHeight * TShape.InWidth);
            ref float outputDelta = ref Ref(delta, plane * OutHeight<TShape>() * OutWidth<TShape>());
            for (int h = 0; h < OutHeight<TShape>(); h++)
                for (int w = 0; w < OutWidth<TShape>(); w++)
                    Unsafe.Add(ref gradient, ArgMax<TShape>(ref input, h, w)) += Unsafe.Add(ref outputDelta, h * OutWidth<TShape>() + w);
        }
    }

    /// <summary>
    /// δx = δy at each window's first maximum, times the source's f′ there, and 0 everywhere else (values no window
    /// reads included): written, not added, for a source whose one reader is this pooling, so that its δ is never
    /// cleared and its f′ (<typeparamref name="TDerivative"/>, reading <paramref name="derivativeSource"/>: the source's
    /// y, or its z; nothing for the identity) needs no pass of its own.
    /// </summary>
    /// <remarks>
    /// Windows that tile their rows (stride = window, <see cref="Tiles{TShape}"/>) write each value once: two columns
    /// wide by <see cref="PairPoolingGradients"/> at the widest width a row holds, others one window at a time. Other
    /// windows (overlapping, or with gaps between them) clear, add and then apply f′ (correct, not fast).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxInputGradients<TShape, TDerivative>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x,
        ReadOnlySpan<float> derivativeSource, int batch) where TShape : IPoolingShape where TDerivative : IBinaryOperator
    {
        Check<TShape>(delta.Length, x.Length, batch);
        int length = batch * InputSize<TShape>();
        bool identity = typeof(TDerivative) == typeof(IdentityDerivativeOperator);
        if (inputGradients.Length < length || (!identity && derivativeSource.Length < length))
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        if (!Tiles<TShape>())
        {
            inputGradients[..length].Clear();
            MaxAddInputGradients<TShape>(inputGradients, delta, x, batch);
            if (!identity)
                ElementwiseLoop.Map<TDerivative>(derivativeSource[..length], inputGradients[..length], inputGradients[..length]);
            return;
        }
        int outWidth = OutWidth<TShape>();
        if (Vector512.IsHardwareAccelerated && PairPooling.Serves<TShape>(outWidth, 16))
            MaxInputGradientsPairs<TShape, TDerivative>(inputGradients, delta, x, derivativeSource, batch, 512);
        else if (Vector256.IsHardwareAccelerated && PairPooling.Serves<TShape>(outWidth, 8))
            MaxInputGradientsPairs<TShape, TDerivative>(inputGradients, delta, x, derivativeSource, batch, 256);
        else if (Vector128.IsHardwareAccelerated && PairPooling.Serves<TShape>(outWidth, 4))
            MaxInputGradientsPairs<TShape, TDerivative>(inputGradients, delta, x, derivativeSource, batch, 128);
        else
            MaxInputGradientsScalar<TShape, TDerivative>(inputGradients, delta, x, derivativeSource, batch);
    }

    /// <summary>
    /// Whether the windows tile the rows they cover, side by side with no overlap and no gap (stride = window width,
    /// and = window height unless the input is one row): each input value is in at most one window.
    /// </summary>
    public static bool Tiles<TShape>() where TShape : IPoolingShape =>
        TShape.Stride == TShape.WindowWidth && (TShape.Stride == TShape.WindowHeight || TShape.InHeight == 1);

    /// <summary><see cref="MaxInputGradients{TShape, TDerivative}"/> for windows two wide that tile their rows, at one width (512, 256 or 128 bits; tests call each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxInputGradientsPairs<TShape, TDerivative>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x,
        ReadOnlySpan<float> derivativeSource, int batch, int width) where TShape : IPoolingShape where TDerivative : IBinaryOperator
    {
        int outHeight = OutHeight<TShape>(), outWidth = OutWidth<TShape>(), inPlane = TShape.InHeight * TShape.InWidth;
        bool identity = typeof(TDerivative) == typeof(IdentityDerivativeOperator);
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float input = ref Ref(x, plane * inPlane);
            ref float source = ref identity ? ref input : ref Ref(derivativeSource, plane * inPlane);
            ref float gradient = ref Ref(inputGradients, plane * inPlane);
            ref float outputDelta = ref Ref(delta, plane * outHeight * outWidth);
            for (int h = 0; h < outHeight; h++)
            {
                nint rowStart = h * TShape.Stride * TShape.InWidth;
                ref float rowDelta = ref Unsafe.Add(ref outputDelta, h * outWidth);
                if (width == 512)
                    PairPoolingGradients.WriteRow512<TShape, TDerivative>(ref Unsafe.Add(ref input, rowStart), ref Unsafe.Add(ref source, rowStart), ref Unsafe.Add(ref gradient, rowStart), ref rowDelta, outWidth);
                else if (width == 256)
                    PairPoolingGradients.WriteRow256<TShape, TDerivative>(ref Unsafe.Add(ref input, rowStart), ref Unsafe.Add(ref source, rowStart), ref Unsafe.Add(ref gradient, rowStart), ref rowDelta, outWidth);
                else
                    PairPoolingGradients.WriteRow128<TShape, TDerivative>(ref Unsafe.Add(ref input, rowStart), ref Unsafe.Add(ref source, rowStart), ref Unsafe.Add(ref gradient, rowStart), ref rowDelta, outWidth);
            }
            ClearUnread<TShape>(ref gradient);
        }
    }

    /// <summary><see cref="MaxInputGradients{TShape, TDerivative}"/> for any windows that tile their rows, one window at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxInputGradientsScalar<TShape, TDerivative>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x,
        ReadOnlySpan<float> derivativeSource, int batch) where TShape : IPoolingShape where TDerivative : IBinaryOperator
    {
        int outHeight = OutHeight<TShape>(), outWidth = OutWidth<TShape>(), inPlane = TShape.InHeight * TShape.InWidth;
        bool identity = typeof(TDerivative) == typeof(IdentityDerivativeOperator);
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float input = ref Ref(x, plane * inPlane);
            ref float source = ref identity ? ref input : ref Ref(derivativeSource, plane * inPlane);
            ref float gradient = ref Ref(inputGradients, plane * inPlane);
            ref float outputDelta = ref Ref(delta, plane * outHeight * outWidth);
            for (int h = 0; h < outHeight; h++)
                for (int w = 0; w < outWidth; w++)
                {
                    int best = ArgMax<TShape>(ref input, h, w);
                    float d = Unsafe.Add(ref outputDelta, h * outWidth + w);
                    for (int i = 0; i < TShape.WindowHeight; i++)
                        for (int j = 0; j < TShape.WindowWidth; j++)
                        {
                            int at = (h * TShape.Stride + i) * TShape.InWidth + w * TShape.Stride + j;
                            Unsafe.Add(ref gradient, at) = at != best ? 0f : identity ? d : TDerivative.Invoke(Unsafe.Add(ref source, at), d);
                        }
                }
            ClearUnread<TShape>(ref gradient);
        }
    }

    /// <summary>δx = 0 where no window reads (the columns and rows that floored output sizes leave over), for windows that tile their rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClearUnread<TShape>(ref float gradient) where TShape : IPoolingShape
    {
        int coveredRows = (OutHeight<TShape>() - 1) * TShape.Stride + TShape.WindowHeight, coveredColumns = OutWidth<TShape>() * TShape.Stride;
        if (coveredColumns < TShape.InWidth)
            for (int r = 0; r < coveredRows; r++)
                for (int c = coveredColumns; c < TShape.InWidth; c++)
                    Unsafe.Add(ref gradient, r * TShape.InWidth + c) = 0f;
        for (int r = coveredRows; r < TShape.InHeight; r++)
            for (int c = 0; c < TShape.InWidth; c++)
                Unsafe.Add(ref gradient, r * TShape.InWidth + c) = 0f;
    }

    /// <summary>y[n, c, h, w] = the mean of x over the window at (h·s, w·s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AverageForward<TShape>(Span<float> y, ReadOnlySpan<float> x, int batch) where TShape : IPoolingShape
    {
        Check<TShape>(y.Length, x.Length, batch);
        float scale = 1f / (TShape.WindowHeight * TShape.WindowWidth);
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float input = ref Ref(x, plane * TShape.InHeight * TShape.InWidth);
            ref float output = ref Ref(y, plane * OutHeight<TShape>() * OutWidth<TShape>());
            for (int h = 0; h < OutHeight<TShape>(); h++)
                for (int w = 0; w < OutWidth<TShape>(); w++)
                {
                    float sum = 0f;
                    for (int i = 0; i < TShape.WindowHeight; i++)
                        for (int j = 0; j < TShape.WindowWidth; j++)
                            sum += Unsafe.Add(ref input, (h * TShape.Stride + i) * TShape.InWidth + w * TShape.Stride + j);
                    Unsafe.Add(ref output, h * OutWidth<TShape>() + w) = sum * scale;
                }
        }
    }

    /// <summary>δx[every element of a window] += δy of that window / the window's size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AverageAddInputGradients<TShape>(Span<float> inputGradients, ReadOnlySpan<float> delta, int batch) where TShape : IPoolingShape
    {
        if (delta.Length < batch * OutputSize<TShape>() || inputGradients.Length < batch * InputSize<TShape>())
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        float scale = 1f / (TShape.WindowHeight * TShape.WindowWidth);
        for (int plane = 0; plane < batch * TShape.Channels; plane++)
        {
            ref float gradient = ref Ref(inputGradients, plane * TShape.InHeight * TShape.InWidth);
            ref float outputDelta = ref Ref(delta, plane * OutHeight<TShape>() * OutWidth<TShape>());
            for (int h = 0; h < OutHeight<TShape>(); h++)
                for (int w = 0; w < OutWidth<TShape>(); w++)
                {
                    float share = Unsafe.Add(ref outputDelta, h * OutWidth<TShape>() + w) * scale;
                    for (int i = 0; i < TShape.WindowHeight; i++)
                        for (int j = 0; j < TShape.WindowWidth; j++)
                            Unsafe.Add(ref gradient, (h * TShape.Stride + i) * TShape.InWidth + w * TShape.Stride + j) += share;
                }
        }
    }

    /// <summary>The offset in the plane of the window's first maximum (a NaN never wins a comparison, so it takes the gradient only where it comes first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax<TShape>(ref float plane, int h, int w) where TShape : IPoolingShape
    {
        int best = h * TShape.Stride * TShape.InWidth + w * TShape.Stride;
        float max = Unsafe.Add(ref plane, best);
        for (int i = 0; i < TShape.WindowHeight; i++)
            for (int j = 0; j < TShape.WindowWidth; j++)
            {
                int at = (h * TShape.Stride + i) * TShape.InWidth + w * TShape.Stride + j;
                float value = Unsafe.Add(ref plane, at);
                // Masks, not a branch: on real data which element wins is a coin toss the branch predictor would lose.
                // A NaN counts as the maximum (PyTorch's rule): the first NaN takes the gradient, as in PairPooling.
                int take = -(value > max || (float.IsNaN(value) && !float.IsNaN(max)) ? 1 : 0);
                best ^= (best ^ at) & take;
                max = Math.Max(max, value);
            }
        return best;
    }

    private static void Check<TShape>(int output, int input, int batch) where TShape : IPoolingShape
    {
        if (output < batch * OutputSize<TShape>() || input < batch * InputSize<TShape>())
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(ReadOnlySpan<float> span, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(Span<float> span, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset);
}
