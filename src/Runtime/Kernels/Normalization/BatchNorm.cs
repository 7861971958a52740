using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Batch normalisation as PyTorch's nn.BatchNorm1d and nn.BatchNorm2d over samples laid out [C, S] (S = 1 for a vector
/// node, whose C values are its features; S = L or H·W for a shaped node): per channel c, y = γ_c·(x − μ_c)/√(σ²_c + ε) + β_c.
/// In training μ and σ² are the batch's mean and biased variance over the batch and S, and the running statistics move
/// towards them (the variance unbiased, as PyTorch); in evaluation they are the running statistics.
/// </summary>
/// <remarks>
/// <para>Each node has a moments buffer of <see cref="MomentsLength"/> floats, six per channel: the training pass's mean μ
/// and 1/σ, which its backward step reads, then the latest pass's a = γ/σ and −centre (y = a·(x − centre) + β, the centre
/// subtracted first so that a large mean loses nothing to rounding), then the backward step's own coefficients.</para>
/// <para>The passes over the values run on vectors: along S for a shaped node (one channel's row of S values of a sample
/// at a time, the last vector overlapping and masked), across the channels for a vector node (S = 1: C features of a
/// sample side by side, the last channels one at a time). Row sums are added up in double, so that a large batch of
/// large images loses nothing to the order of the sums. Arguments come in the one order: what the kernel writes, what
/// it reads, then the batch.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class BatchNorm
{
    // The six rows of the moments buffer, each of C floats.
    private const int MeanRow = 0, InverseRow = 1, ScaleRow = 2, CentreRow = 3, SlopeRow = 4, OffsetRow = 5;

    /// <summary>The floats of a node's moments buffer: six per channel (see the remarks).</summary>
    public static int MomentsLength(int channels) => 6 * channels;

    /// <summary>
    /// The training pass: μ and σ² of the batch per channel, running = (1 − momentum)·running + momentum·batch (σ² times
    /// n/(n − 1) for the running variance, n = batch·S), one more batch tracked, then y = γ·(x − μ)/√(σ² + ε) + β.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TrainingForward(Span<float> y, Span<float> moments, Span<float> runningMean, Span<float> runningVariance, ref long batchesTracked,
        ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, int channels, int spatial, float momentum, float epsilon, int batch) =>
        TrainingForward(Width(channels, spatial), y, moments, runningMean, runningVariance, ref batchesTracked, x, scale, shift, channels, spatial, momentum, epsilon, batch);

    /// <summary>The training pass at one vector width (tests call each; the widest that fits is the public one's).</summary>
    internal static void TrainingForward(int width, Span<float> y, Span<float> moments, Span<float> runningMean, Span<float> runningVariance, ref long batchesTracked,
        ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, int channels, int spatial, float momentum, float epsilon, int batch)
    {
        Check(width, y.Length, x.Length, moments.Length, channels, spatial, batch);
        CheckChannels(channels, scale.Length, shift.Length, runningMean.Length, runningVariance.Length);
        long count = (long)batch * spatial;
        if (count < 2)
            throw new ArgumentException($"A batch normalisation in training needs more than 1 value per channel; a batch of {batch} of {spatial} per channel has {count}.", nameof(batch));
        Statistics(width, moments, x, channels, spatial, batch);
        float keep = 1f - momentum, unbiased = (float)((double)count / (count - 1));
        for (int c = 0; c < channels; c++)
        {
            float mean = moments[MeanRow * channels + c], variance = moments[InverseRow * channels + c];
            runningMean[c] = keep * runningMean[c] + momentum * mean;
            runningVariance[c] = keep * runningVariance[c] + momentum * (variance * unbiased);
            float inverse = (float)(1.0 / Math.Sqrt((double)variance + epsilon));
            moments[InverseRow * channels + c] = inverse;
            moments[ScaleRow * channels + c] = scale[c] * inverse;
            moments[CentreRow * channels + c] = -mean;
        }
        batchesTracked++;
        Affine(width, y, x, moments, shift, channels, spatial, batch);
    }

    /// <summary>The evaluation pass: y = γ·(x − running mean)/√(running variance + ε) + β.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EvaluationForward(Span<float> y, Span<float> moments, ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, int channels, int spatial, float epsilon, int batch) =>
        EvaluationForward(Width(channels, spatial), y, moments, x, scale, shift, runningMean, runningVariance, channels, spatial, epsilon, batch);

    /// <summary>The evaluation pass at one vector width.</summary>
    internal static void EvaluationForward(int width, Span<float> y, Span<float> moments, ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, int channels, int spatial, float epsilon, int batch)
    {
        Check(width, y.Length, x.Length, moments.Length, channels, spatial, batch);
        CheckChannels(channels, scale.Length, shift.Length, runningMean.Length, runningVariance.Length);
        for (int c = 0; c < channels; c++)
        {
            moments[ScaleRow * channels + c] = (float)(scale[c] / Math.Sqrt((double)runningVariance[c] + epsilon));
            moments[CentreRow * channels + c] = -runningMean[c];
        }
        Affine(width, y, x, moments, shift, channels, spatial, batch);
    }

    /// <summary>
    /// The backward step of the training pass, with x̂ = (x − μ)/σ and n = batch·S values per channel: ∂L/∂γ = Σ δy·x̂ and
    /// ∂L/∂β = Σ δy (overwritten); when <paramref name="inputGradients"/> is not empty,
    /// δx += (γ/σ)·(δy − ∂L/∂β/n − x̂·∂L/∂γ/n), added to what other readers put there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Span<float> scaleGradients, Span<float> shiftGradients, Span<float> inputGradients, Span<float> moments,
        ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int channels, int spatial, int batch) =>
        Backward(Width(channels, spatial), scaleGradients, shiftGradients, inputGradients, moments, delta, x, channels, spatial, batch);

    /// <summary>
    /// The backward step when this normalisation is its source's only reader: as <see cref="Backward(Span{float}, Span{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/>,
    /// but δx is written, not added (nothing has to clear it first), and then multiplied by the derivative of the
    /// source's activation, TDerivative(<paramref name="derivativeSource"/>, δx) (<see cref="IdentityDerivativeOperator"/>
    /// for a source without one), in the same pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardWrite<TDerivative>(Span<float> scaleGradients, Span<float> shiftGradients, Span<float> inputGradients, Span<float> moments,
        ReadOnlySpan<float> delta, ReadOnlySpan<float> x, ReadOnlySpan<float> derivativeSource, int channels, int spatial, int batch)
        where TDerivative : IBinaryOperator =>
        Backward<TDerivative>(Width(channels, spatial), scaleGradients, shiftGradients, inputGradients, moments, delta, x, derivativeSource, accumulate: false,
            channels, spatial, batch);

    /// <summary>The backward step at one vector width, adding to δx.</summary>
    internal static void Backward(int width, Span<float> scaleGradients, Span<float> shiftGradients, Span<float> inputGradients, Span<float> moments,
        ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int channels, int spatial, int batch) =>
        Backward<IdentityDerivativeOperator>(width, scaleGradients, shiftGradients, inputGradients, moments, delta, x, default, accumulate: true,
            channels, spatial, batch);

    /// <summary>The backward step at one vector width: δx added to (<paramref name="accumulate"/>) or written, then TDerivative.</summary>
    internal static void Backward<TDerivative>(int width, Span<float> scaleGradients, Span<float> shiftGradients, Span<float> inputGradients, Span<float> moments,
        ReadOnlySpan<float> delta, ReadOnlySpan<float> x, ReadOnlySpan<float> derivativeSource, bool accumulate, int channels, int spatial, int batch)
        where TDerivative : IBinaryOperator
    {
        CheckBackward<TDerivative>(width, scaleGradients.Length, shiftGradients.Length, inputGradients.Length, moments.Length, delta.Length, x.Length,
            derivativeSource.Length, accumulate, channels, spatial, batch);
        // Σ δy and Σ δy·(x − μ) per channel, into the slope and offset rows.
        Sums(width, moments, delta, x, channels, spatial, batch);
        double n = (double)batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double inverse = moments[InverseRow * channels + c], a = moments[ScaleRow * channels + c];
            double sumDelta = moments[SlopeRow * channels + c], sumCentred = moments[OffsetRow * channels + c];
            shiftGradients[c] = (float)sumDelta;
            scaleGradients[c] = (float)(sumCentred * inverse);
            // δx = a·δy + slope·(x − μ) + offset, a = γ/σ: the three terms of (γ/σ)(δy − Σδy/n − x̂·Σδy·x̂/n).
            moments[SlopeRow * channels + c] = (float)(-a * inverse * inverse * sumCentred / n);
            moments[OffsetRow * channels + c] = (float)(-a * sumDelta / n);
        }
        if (!inputGradients.IsEmpty)
            InputGradients<TDerivative>(width, inputGradients, moments, delta, x, derivativeSource, accumulate, channels, spatial, batch);
    }

    /// <summary>
    /// The widest accelerated width whose vectors fit what the passes run along: a sample's row of S values, or across
    /// the C features of a vector node.
    /// </summary>
    internal static int Width(int channels, int spatial)
    {
        int along = spatial == 1 ? channels : spatial;
        if (Vector512.IsHardwareAccelerated && along >= Vector512<float>.Count)
            return 16;
        if (Vector256.IsHardwareAccelerated && along >= Vector256<float>.Count)
            return 8;
        if (Vector128.IsHardwareAccelerated && along >= Vector128<float>.Count)
            return 4;
        return 1;
    }

    /// <summary>Mean and biased variance per channel into the mean and inverse rows, at one width.</summary>
    private static void Statistics(int width, Span<float> moments, ReadOnlySpan<float> x, int channels, int spatial, int batch)
    {
        ref float m = ref MemoryMarshal.GetReference(moments);
        ref float input = ref MemoryMarshal.GetReference(x);
        switch (width)
        {
            case 16: Statistics<V512, Vector512<float>>(ref m, ref input, channels, spatial, batch); break;
            case 8: Statistics<V256, Vector256<float>>(ref m, ref input, channels, spatial, batch); break;
            case 4: Statistics<V128, Vector128<float>>(ref m, ref input, channels, spatial, batch); break;
            default: Statistics<Scalar, float>(ref m, ref input, channels, spatial, batch); break;
        }
    }

    /// <summary>Σ δy and Σ δy·(x − μ) per channel into the slope and offset rows, at one width.</summary>
    private static void Sums(int width, Span<float> moments, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int channels, int spatial, int batch)
    {
        ref float m = ref MemoryMarshal.GetReference(moments);
        ref float d = ref MemoryMarshal.GetReference(delta);
        ref float input = ref MemoryMarshal.GetReference(x);
        switch (width)
        {
            case 16: Sums<V512, Vector512<float>>(ref m, ref d, ref input, channels, spatial, batch); break;
            case 8: Sums<V256, Vector256<float>>(ref m, ref d, ref input, channels, spatial, batch); break;
            case 4: Sums<V128, Vector128<float>>(ref m, ref d, ref input, channels, spatial, batch); break;
            default: Sums<Scalar, float>(ref m, ref d, ref input, channels, spatial, batch); break;
        }
    }

    /// <summary>
    /// δx += a·δy + slope·(x − μ) + offset with the moments' coefficients (<paramref name="accumulate"/>), or
    /// δx = TDerivative(derivative source, a·δy + slope·(x − μ) + offset), at one width.
    /// </summary>
    private static void InputGradients<TDerivative>(int width, Span<float> inputGradients, Span<float> moments, ReadOnlySpan<float> delta, ReadOnlySpan<float> x,
        ReadOnlySpan<float> derivativeSource, bool accumulate, int channels, int spatial, int batch) where TDerivative : IBinaryOperator
    {
        ref float dx = ref MemoryMarshal.GetReference(inputGradients);
        ref float m = ref MemoryMarshal.GetReference(moments);
        ref float d = ref MemoryMarshal.GetReference(delta);
        ref float input = ref MemoryMarshal.GetReference(x);
        ref float source = ref MemoryMarshal.GetReference(derivativeSource);
        switch (width)
        {
            case 16: InputGradients<V512, Vector512<float>, TDerivative>(ref dx, ref m, ref d, ref input, ref source, accumulate, channels, spatial, batch); break;
            case 8: InputGradients<V256, Vector256<float>, TDerivative>(ref dx, ref m, ref d, ref input, ref source, accumulate, channels, spatial, batch); break;
            case 4: InputGradients<V128, Vector128<float>, TDerivative>(ref dx, ref m, ref d, ref input, ref source, accumulate, channels, spatial, batch); break;
            default: InputGradients<Scalar, float, TDerivative>(ref dx, ref m, ref d, ref input, ref source, accumulate, channels, spatial, batch); break;
        }
    }

    /// <summary>
    /// The backward step's arguments, the whole batch's and a chunk's alike: the buffers' lengths, and a derivative only
    /// on a written δx, with a source as large as it (an identity reads none; a source's derivative cannot be applied to
    /// a sum that other readers still add to).
    /// </summary>
    private static void CheckBackward<TDerivative>(int width, int scaleGradients, int shiftGradients, int inputGradients, int moments, int delta, int x,
        int derivativeSource, bool accumulate, int channels, int spatial, int batch) where TDerivative : IBinaryOperator
    {
        if (typeof(TDerivative) != typeof(IdentityDerivativeOperator))
        {
            if (accumulate)
                throw new ArgumentException("A derivative can be fused only into input gradients that are written, not added to.");
            if (derivativeSource < inputGradients)
                throw new ArgumentException("The derivative's source is smaller than the input gradients.", nameof(derivativeSource));
        }
        Check(width, delta, x, moments, channels, spatial, batch);
        CheckChannels(channels, scaleGradients, shiftGradients, channels, channels);
        if (inputGradients != 0 && inputGradients < batch * channels * spatial)
            throw new ArgumentException("The input gradients are fewer than the batch and the node's size need.", nameof(inputGradients));
    }

    private static void Affine(int width, Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> moments, ReadOnlySpan<float> shift, int channels, int spatial, int batch)
    {
        ref float output = ref MemoryMarshal.GetReference(y);
        ref float input = ref MemoryMarshal.GetReference(x);
        ref float m = ref MemoryMarshal.GetReference(moments);
        ref float beta = ref MemoryMarshal.GetReference(shift);
        switch (width)
        {
            case 16: Affine<V512, Vector512<float>>(ref output, ref input, ref m, ref beta, channels, spatial, batch); break;
            case 8: Affine<V256, Vector256<float>>(ref output, ref input, ref m, ref beta, channels, spatial, batch); break;
            case 4: Affine<V128, Vector128<float>>(ref output, ref input, ref m, ref beta, channels, spatial, batch); break;
            default: Affine<Scalar, float>(ref output, ref input, ref m, ref beta, channels, spatial, batch); break;
        }
    }

    // ---- Mean and biased variance per channel, into the mean row and (for now) the inverse row ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Statistics<TOps, TV>(ref float moments, ref float x, int channels, int spatial, int batch)
        where TOps : IVectorOps<TV> where TV : struct
    {
        if (spatial == 1)
        {
            int c = 0;
            for (; c + TOps.Count <= channels; c += TOps.Count)
                FeatureStatistics<TOps, TV>(ref moments, ref x, c, channels, batch);
            for (; c < channels; c++)
                FeatureStatistics<Scalar, float>(ref moments, ref x, c, channels, batch);
            return;
        }
        double count = (double)batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
                sum += RowSum<TOps, TV>(ref Row(ref x, n, c, channels, spatial), spatial);
            float mean = (float)(sum / count);
            double squares = 0;
            for (int n = 0; n < batch; n++)
                squares += RowSquares<TOps, TV>(ref Row(ref x, n, c, channels, spatial), spatial, -mean);
            Unsafe.Add(ref moments, MeanRow * channels + c) = mean;
            Unsafe.Add(ref moments, InverseRow * channels + c) = (float)(squares / count);
        }
    }

    /// <summary>TOps.Count features from <paramref name="first"/> on: their means and biased variances over the batch (two passes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureStatistics<TOps, TV>(ref float moments, ref float x, int first, int channels, int batch)
        where TOps : IVectorOps<TV> where TV : struct
    {
        TV sum = TOps.Zero;
        for (int n = 0; n < batch; n++)
            sum = TOps.Add(sum, TOps.Load(ref x, (nint)n * channels + first));
        TV perValue = TOps.Broadcast(1f / batch);
        TV mean = TOps.MultiplyAdd(sum, perValue, TOps.Zero);
        TV centre = TOps.MultiplyAdd(mean, TOps.Broadcast(-1f), TOps.Zero);
        TV squares = TOps.Zero;
        for (int n = 0; n < batch; n++)
        {
            TV centred = TOps.Add(TOps.Load(ref x, (nint)n * channels + first), centre);
            squares = TOps.MultiplyAdd(centred, centred, squares);
        }
        TOps.Store(mean, ref moments, MeanRow * channels + first);
        TOps.Store(TOps.MultiplyAdd(squares, perValue, TOps.Zero), ref moments, InverseRow * channels + first);
    }

    // ---- y = a·(x − centre) + β ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Affine<TOps, TV>(ref float y, ref float x, ref float moments, ref float shift, int channels, int spatial, int batch)
        where TOps : IVectorOps<TV> where TV : struct
    {
        if (spatial == 1)
        {
            for (int n = 0; n < batch; n++)
            {
                int c = 0;
                for (; c + TOps.Count <= channels; c += TOps.Count)
                    FeatureAffine<TOps, TV>(ref y, ref x, ref moments, ref shift, n, c, channels);
                for (; c < channels; c++)
                    FeatureAffine<Scalar, float>(ref y, ref x, ref moments, ref shift, n, c, channels);
            }
            return;
        }
        nint width = TOps.Count, last = spatial - width;
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
            {
                ref float input = ref Row(ref x, n, c, channels, spatial);
                ref float output = ref Row(ref y, n, c, channels, spatial);
                TV a = TOps.Broadcast(Unsafe.Add(ref moments, ScaleRow * channels + c));
                TV centre = TOps.Broadcast(Unsafe.Add(ref moments, CentreRow * channels + c));
                TV beta = TOps.Broadcast(Unsafe.Add(ref shift, c));
                // The last vector overlaps the one before: its input is read before the loop, so y may alias x.
                TV tail = TOps.Load(ref input, last);
                nint i = 0;
                for (; i <= last; i += width)
                    TOps.Store(TOps.MultiplyAdd(TOps.Add(TOps.Load(ref input, i), centre), a, beta), ref output, i);
                if (i != spatial)
                    TOps.Store(TOps.MultiplyAdd(TOps.Add(tail, centre), a, beta), ref output, last);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureAffine<TOps, TV>(ref float y, ref float x, ref float moments, ref float shift, int n, int first, int channels)
        where TOps : IVectorOps<TV> where TV : struct
    {
        nint at = (nint)n * channels + first;
        TV centred = TOps.Add(TOps.Load(ref x, at), TOps.Load(ref moments, CentreRow * channels + first));
        TOps.Store(TOps.MultiplyAdd(centred, TOps.Load(ref moments, ScaleRow * channels + first), TOps.Load(ref shift, first)), ref y, at);
    }

    // ---- Σ δy and Σ δy·(x − μ) per channel, into the slope and offset rows ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sums<TOps, TV>(ref float moments, ref float delta, ref float x, int channels, int spatial, int batch)
        where TOps : IVectorOps<TV> where TV : struct
    {
        if (spatial == 1)
        {
            int c = 0;
            for (; c + TOps.Count <= channels; c += TOps.Count)
                FeatureSums<TOps, TV>(ref moments, ref delta, ref x, c, channels, batch);
            for (; c < channels; c++)
                FeatureSums<Scalar, float>(ref moments, ref delta, ref x, c, channels, batch);
            return;
        }
        for (int c = 0; c < channels; c++)
        {
            float centre = -Unsafe.Add(ref moments, MeanRow * channels + c);
            double sumDelta = 0, sumCentred = 0;
            for (int n = 0; n < batch; n++)
            {
                (float d, float dx) = RowDeltaSums<TOps, TV>(ref Row(ref delta, n, c, channels, spatial), ref Row(ref x, n, c, channels, spatial), spatial, centre);
                sumDelta += d;
                sumCentred += dx;
            }
            Unsafe.Add(ref moments, SlopeRow * channels + c) = (float)sumDelta;
            Unsafe.Add(ref moments, OffsetRow * channels + c) = (float)sumCentred;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureSums<TOps, TV>(ref float moments, ref float delta, ref float x, int first, int channels, int batch)
        where TOps : IVectorOps<TV> where TV : struct
    {
        TV centre = TOps.MultiplyAdd(TOps.Load(ref moments, MeanRow * channels + first), TOps.Broadcast(-1f), TOps.Zero);
        TV sumDelta = TOps.Zero, sumCentred = TOps.Zero;
        for (int n = 0; n < batch; n++)
        {
            nint at = (nint)n * channels + first;
            TV d = TOps.Load(ref delta, at);
            sumDelta = TOps.Add(sumDelta, d);
            sumCentred = TOps.MultiplyAdd(d, TOps.Add(TOps.Load(ref x, at), centre), sumCentred);
        }
        TOps.Store(sumDelta, ref moments, SlopeRow * channels + first);
        TOps.Store(sumCentred, ref moments, OffsetRow * channels + first);
    }

    // ---- δx += a·δy + slope·(x − μ) + offset, or δx = f′ ⊙ (a·δy + slope·(x − μ) + offset) ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradients<TOps, TV, TDerivative>(ref float inputGradients, ref float moments, ref float delta, ref float x, ref float derivativeSource,
        bool accumulate, int channels, int spatial, int batch) where TOps : IVectorOps<TV> where TV : struct where TDerivative : IBinaryOperator
    {
        if (spatial == 1)
        {
            for (int n = 0; n < batch; n++)
            {
                int c = 0;
                for (; c + TOps.Count <= channels; c += TOps.Count)
                    FeatureInputGradients<TOps, TV, TDerivative>(ref inputGradients, ref moments, ref delta, ref x, ref derivativeSource, accumulate, n, c, channels);
                for (; c < channels; c++)
                    FeatureInputGradients<Scalar, float, TDerivative>(ref inputGradients, ref moments, ref delta, ref x, ref derivativeSource, accumulate, n, c, channels);
            }
            return;
        }
        nint width = TOps.Count, last = spatial - width;
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
            {
                ref float dx = ref Row(ref inputGradients, n, c, channels, spatial);
                ref float d = ref Row(ref delta, n, c, channels, spatial);
                ref float input = ref Row(ref x, n, c, channels, spatial);
                ref float source = ref Row(ref derivativeSource, n, c, channels, spatial);
                TV a = TOps.Broadcast(Unsafe.Add(ref moments, ScaleRow * channels + c));
                TV centre = TOps.Broadcast(Unsafe.Add(ref moments, CentreRow * channels + c));
                TV slope = TOps.Broadcast(Unsafe.Add(ref moments, SlopeRow * channels + c));
                TV offset = TOps.Broadcast(Unsafe.Add(ref moments, OffsetRow * channels + c));
                nint i = 0;
                for (; i <= last; i += width)
                {
                    TV term = TOps.MultiplyAdd(a, TOps.Load(ref d, i), TOps.MultiplyAdd(slope, TOps.Add(TOps.Load(ref input, i), centre), offset));
                    TOps.Store(accumulate ? TOps.Add(TOps.Load(ref dx, i), term) : Derivative<TOps, TV, TDerivative>(ref source, i, term), ref dx, i);
                }
                if (i != spatial)
                {
                    // The overlapping last vector adds only to the values the loop has not reached; written, it writes
                    // the values the loop wrote again, computed from the same inputs.
                    TV term = TOps.MultiplyAdd(a, TOps.Load(ref d, last), TOps.MultiplyAdd(slope, TOps.Add(TOps.Load(ref input, last), centre), offset));
                    TOps.Store(accumulate
                        ? TOps.Add(TOps.Load(ref dx, last), TOps.KeepLast(term, (int)(spatial - i)))
                        : Derivative<TOps, TV, TDerivative>(ref source, last, term), ref dx, last);
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FeatureInputGradients<TOps, TV, TDerivative>(ref float inputGradients, ref float moments, ref float delta, ref float x, ref float derivativeSource,
        bool accumulate, int n, int first, int channels) where TOps : IVectorOps<TV> where TV : struct where TDerivative : IBinaryOperator
    {
        nint at = (nint)n * channels + first;
        TV centred = TOps.Add(TOps.Load(ref x, at), TOps.Load(ref moments, CentreRow * channels + first));
        TV term = TOps.MultiplyAdd(TOps.Load(ref moments, ScaleRow * channels + first), TOps.Load(ref delta, at),
            TOps.MultiplyAdd(TOps.Load(ref moments, SlopeRow * channels + first), centred, TOps.Load(ref moments, OffsetRow * channels + first)));
        TOps.Store(accumulate ? TOps.Add(TOps.Load(ref inputGradients, at), term) : Derivative<TOps, TV, TDerivative>(ref derivativeSource, at, term),
            ref inputGradients, at);
    }

    /// <summary>TDerivative(source[at], δ): δ ⊙ f′; the identity reads no source (there may be none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Derivative<TOps, TV, TDerivative>(ref float source, nint at, TV delta)
        where TOps : IVectorOps<TV> where TV : struct where TDerivative : IBinaryOperator =>
        typeof(TDerivative) == typeof(IdentityDerivativeOperator) ? delta : TOps.Apply<TDerivative>(TOps.Load(ref source, at), delta);

    // ---- Row sums along S (S ≥ TOps.Count), the last vector overlapping and masked ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float RowSum<TOps, TV>(ref float row, int length) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count, last = length - width, i = 0;
        TV sum = TOps.Zero;
        for (; i <= last; i += width)
            sum = TOps.Add(sum, TOps.Load(ref row, i));
        if (i != length)
            sum = TOps.Add(sum, TOps.KeepLast(TOps.Load(ref row, last), (int)(length - i)));
        return TOps.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float RowSquares<TOps, TV>(ref float row, int length, float centre) where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count, last = length - width, i = 0;
        TV c = TOps.Broadcast(centre), squares = TOps.Zero;
        for (; i <= last; i += width)
        {
            TV centred = TOps.Add(TOps.Load(ref row, i), c);
            squares = TOps.MultiplyAdd(centred, centred, squares);
        }
        if (i != length)
        {
            TV centred = TOps.KeepLast(TOps.Add(TOps.Load(ref row, last), c), (int)(length - i));
            squares = TOps.MultiplyAdd(centred, centred, squares);
        }
        return TOps.Sum(squares);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float Delta, float Centred) RowDeltaSums<TOps, TV>(ref float delta, ref float x, int length, float centre)
        where TOps : IVectorOps<TV> where TV : struct
    {
        nint width = TOps.Count, last = length - width, i = 0;
        TV c = TOps.Broadcast(centre), sumDelta = TOps.Zero, sumCentred = TOps.Zero;
        for (; i <= last; i += width)
        {
            TV d = TOps.Load(ref delta, i);
            sumDelta = TOps.Add(sumDelta, d);
            sumCentred = TOps.MultiplyAdd(d, TOps.Add(TOps.Load(ref x, i), c), sumCentred);
        }
        if (i != length)
        {
            TV d = TOps.KeepLast(TOps.Load(ref delta, last), (int)(length - i));
            sumDelta = TOps.Add(sumDelta, d);
            sumCentred = TOps.MultiplyAdd(d, TOps.Add(TOps.Load(ref x, last), c), sumCentred);
        }
        return (TOps.Sum(sumDelta), TOps.Sum(sumCentred));
    }

    /// <summary>Channel c's row of S values in sample n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Row(ref float values, int n, int c, int channels, int spatial) => ref Unsafe.Add(ref values, ((nint)n * channels + c) * spatial);

    private static void Check(int width, int first, int second, int moments, int channels, int spatial, int batch)
    {
        if (channels < 1 || spatial < 1 || batch < 1)
            throw new ArgumentException($"A batch normalisation needs at least one channel, value and sample (channels {channels}, values per channel {spatial}, batch {batch}).");
        long size = (long)batch * channels * spatial;
        if (first < size || second < size || moments < MomentsLength(channels))
            throw new ArgumentException("A buffer is smaller than the batch and the node's size need.");
        if (spatial > 1 && spatial < width)
            throw new ArgumentException($"Rows of {spatial} values are shorter than a vector of {width}.", nameof(width));
    }

    private static void CheckChannels(int channels, int first, int second, int third, int fourth)
    {
        if (first < channels || second < channels || third < channels || fourth < channels)
            throw new ArgumentException($"A per-channel buffer is shorter than the {channels} channels.");
    }
}
