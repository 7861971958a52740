using System;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

// The training pass and its backward step for one chunk of a batch cut into chunks: the statistics are the whole
// batch's, combined from every chunk's share where the chunks meet (ChunkedBatchStatistics).
public static partial class BatchNorm
{
    /// <summary>
    /// The training pass on chunk <paramref name="chunk"/> of a batch cut into chunks: this chunk's mean and biased
    /// variance per channel, then the meeting of the batch's chunks, where the last to arrive combines them in chunk order
    /// into the batch's (Chan's pairwise formula: M2 = Σ_k n_k·(σ²_k + (μ_k − μ)²), n_k the chunk's values per channel),
    /// moves the running statistics once for the batch and counts the batch once; then y = γ·(x − μ)/√(σ² + ε) + β with
    /// the batch's μ and σ², as the whole batch's <see cref="TrainingForward(Span{float}, Span{float}, Span{float}, Span{float}, ref long, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, float, float, int)"/> would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ChunkTrainingForward(ChunkedBatchStatistics statistics, int chunk, Span<float> y, float[] moments, Span<float> runningMean,
        Span<float> runningVariance, ref long batchesTracked, ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
        int channels, int spatial, float momentum, float epsilon, int batch) =>
        ChunkTrainingForward(Width(channels, spatial), statistics, chunk, y, moments, runningMean, runningVariance, ref batchesTracked, x, scale, shift,
            channels, spatial, momentum, epsilon, batch);

    /// <summary>The chunk's training pass at one vector width.</summary>
    internal static void ChunkTrainingForward(int width, ChunkedBatchStatistics statistics, int chunk, Span<float> y, float[] moments, Span<float> runningMean,
        Span<float> runningVariance, ref long batchesTracked, ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift,
        int channels, int spatial, float momentum, float epsilon, int batch)
    {
        Check(width, y.Length, x.Length, moments.Length, channels, spatial, batch);
        CheckChannels(channels, scale.Length, shift.Length, runningMean.Length, runningVariance.Length);
        CheckChunk(statistics, chunk, batch);
        Statistics(width, moments, x, channels, spatial, batch);
        if (statistics.Arrive(chunk, moments))
        {
            try
            {
                CombineStatistics(statistics, runningMean, runningVariance, ref batchesTracked, scale, channels, spatial, momentum, epsilon);
            }
            catch (Exception exception)
            {
                statistics.Abandon(exception);
                throw;
            }
            statistics.Release();
        }
        Affine(width, y, x, moments, shift, channels, spatial, batch);
    }

    /// <summary>
    /// The backward step of a chunk's training pass: the chunk's Σ δy and Σ δy·(x − μ) per channel give its ∂L/∂β and
    /// ∂L/∂γ (the chunk's share, which the reduction of the chunks' gradients weighs and adds like every other
    /// gradient); then, when <paramref name="inputGradients"/> is not empty, the chunks meet, the last to arrive adds
    /// their sums weighted by their shares of the loss into the batch's, and each chunk adds
    /// δx += (γ/σ)·(δy − Σδy/n − x̂·Σδy·x̂/n) with the batch's sums and n, scaled to its own share. The chunks of a
    /// batch all ask for input gradients or none does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ChunkBackward(ChunkedBatchStatistics statistics, int chunk, Span<float> scaleGradients, Span<float> shiftGradients,
        Span<float> inputGradients, float[] moments, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int channels, int spatial, int batch) =>
        ChunkBackward(Width(channels, spatial), statistics, chunk, scaleGradients, shiftGradients, inputGradients, moments, delta, x, channels, spatial, batch);

    /// <summary>
    /// <see cref="ChunkBackward(ChunkedBatchStatistics, int, Span{float}, Span{float}, Span{float}, float[], ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/>
    /// when this normalisation is its source's only reader: δx written, then TDerivative(<paramref name="derivativeSource"/>, δx)
    /// (see <see cref="BackwardWrite{TDerivative}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ChunkBackwardWrite<TDerivative>(ChunkedBatchStatistics statistics, int chunk, Span<float> scaleGradients, Span<float> shiftGradients,
        Span<float> inputGradients, float[] moments, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, ReadOnlySpan<float> derivativeSource,
        int channels, int spatial, int batch) where TDerivative : IBinaryOperator =>
        ChunkBackward<TDerivative>(Width(channels, spatial), statistics, chunk, scaleGradients, shiftGradients, inputGradients, moments, delta, x,
            derivativeSource, accumulate: false, channels, spatial, batch);

    /// <summary>The chunk's backward step at one vector width, adding to δx.</summary>
    internal static void ChunkBackward(int width, ChunkedBatchStatistics statistics, int chunk, Span<float> scaleGradients, Span<float> shiftGradients,
        Span<float> inputGradients, float[] moments, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, int channels, int spatial, int batch) =>
        ChunkBackward<IdentityDerivativeOperator>(width, statistics, chunk, scaleGradients, shiftGradients, inputGradients, moments, delta, x, default,
            accumulate: true, channels, spatial, batch);

    /// <summary>The chunk's backward step at one vector width: δx added to (<paramref name="accumulate"/>) or written, then TDerivative.</summary>
    internal static void ChunkBackward<TDerivative>(int width, ChunkedBatchStatistics statistics, int chunk, Span<float> scaleGradients, Span<float> shiftGradients,
        Span<float> inputGradients, float[] moments, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, ReadOnlySpan<float> derivativeSource, bool accumulate,
        int channels, int spatial, int batch) where TDerivative : IBinaryOperator
    {
        CheckBackward<TDerivative>(width, scaleGradients.Length, shiftGradients.Length, inputGradients.Length, moments.Length, delta.Length, x.Length,
            derivativeSource.Length, accumulate, channels, spatial, batch);
        CheckChunk(statistics, chunk, batch);
        Sums(width, moments, delta, x, channels, spatial, batch);
        for (int c = 0; c < channels; c++)
        {
            shiftGradients[c] = moments[SlopeRow * channels + c];
            scaleGradients[c] = (float)((double)moments[OffsetRow * channels + c] * moments[InverseRow * channels + c]);
        }
        if (inputGradients.IsEmpty)
            return;
        if (statistics.Arrive(chunk, moments))
        {
            try
            {
                CombineSums(statistics, channels, spatial);
            }
            catch (Exception exception)
            {
                statistics.Abandon(exception);
                throw;
            }
            statistics.Release();
        }
        InputGradients<TDerivative>(width, inputGradients, moments, delta, x, derivativeSource, accumulate, channels, spatial, batch);
    }

    /// <summary>
    /// The batch's mean and biased variance per channel from the chunks' (in chunk order, in double), the running
    /// statistics moved and the batch counted once, and μ, 1/σ, γ/σ and −μ written into every chunk's moments.
    /// </summary>
    private static void CombineStatistics(ChunkedBatchStatistics statistics, Span<float> runningMean, Span<float> runningVariance, ref long batchesTracked,
        ReadOnlySpan<float> scale, int channels, int spatial, float momentum, float epsilon)
    {
        long count = (long)statistics.BatchSize * spatial;
        if (count < 2)
            throw new ArgumentException($"A batch normalisation in training needs more than 1 value per channel; a batch of {statistics.BatchSize} of {spatial} per channel has {count}.");
        float keep = 1f - momentum, unbiased = (float)((double)count / (count - 1));
        int chunks = statistics.Chunks;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int k = 0; k < chunks; k++)
                sum += (double)statistics.Samples(k) * spatial * statistics.Moments(k)[MeanRow * channels + c];
            double batchMean = sum / count, squares = 0;
            for (int k = 0; k < chunks; k++)
            {
                float[] share = statistics.Moments(k);
                double apart = share[MeanRow * channels + c] - batchMean;
                squares += (double)statistics.Samples(k) * spatial * (share[InverseRow * channels + c] + apart * apart);
            }
            float mean = (float)batchMean, variance = (float)(squares / count);
            runningMean[c] = keep * runningMean[c] + momentum * mean;
            runningVariance[c] = keep * runningVariance[c] + momentum * (variance * unbiased);
            float inverse = (float)(1.0 / Math.Sqrt((double)variance + epsilon));
            for (int k = 0; k < chunks; k++)
            {
                float[] share = statistics.Moments(k);
                share[MeanRow * channels + c] = mean;
                share[InverseRow * channels + c] = inverse;
                share[ScaleRow * channels + c] = scale[c] * inverse;
                share[CentreRow * channels + c] = -mean;
            }
        }
        batchesTracked++;
    }

    /// <summary>
    /// The batch's Σ δy and Σ δy·(x − μ) per channel, the chunks' weighted by their shares w_k of the loss and added in
    /// chunk order (in double), and each chunk's slope and offset written from them: a chunk's δy is its own loss's, the
    /// batch's divided by w_k, so its terms from the batch's sums are divided by w_k too.
    /// </summary>
    private static void CombineSums(ChunkedBatchStatistics statistics, int channels, int spatial)
    {
        double n = (double)statistics.BatchSize * spatial;
        int chunks = statistics.Chunks;
        for (int c = 0; c < channels; c++)
        {
            double sumDelta = 0, sumCentred = 0;
            for (int k = 0; k < chunks; k++)
            {
                float[] share = statistics.Moments(k);
                sumDelta += statistics.Weight(k) * share[SlopeRow * channels + c];
                sumCentred += statistics.Weight(k) * share[OffsetRow * channels + c];
            }
            for (int k = 0; k < chunks; k++)
            {
                float[] share = statistics.Moments(k);
                double inverse = share[InverseRow * channels + c], a = share[ScaleRow * channels + c], perValue = n * statistics.Weight(k);
                share[SlopeRow * channels + c] = (float)(-a * inverse * inverse * sumCentred / perValue);
                share[OffsetRow * channels + c] = (float)(-a * sumDelta / perValue);
            }
        }
    }

    private static void CheckChunk(ChunkedBatchStatistics statistics, int chunk, int batch)
    {
        if ((uint)chunk >= (uint)statistics.Chunks || statistics.Samples(chunk) != batch)
            throw new ArgumentException(
                $"Chunk {chunk} of {batch} samples is not one of the {statistics.Chunks} chunks of the batch of {statistics.BatchSize} in progress.", nameof(chunk));
    }
}
