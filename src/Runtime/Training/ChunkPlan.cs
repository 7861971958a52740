using System;

namespace NetGen;

/// <summary>
/// How the <see cref="Trainer"/> cuts a batch into chunks. The boundaries depend on the batch size, the network and
/// <see cref="TrainerOptions.ChunkSize"/> only, never on the thread count: that is what makes a chunked step give the
/// same bits on any number of threads. Chunk c of a batch of n samples is samples [c·S, min((c + 1)·S, n)), S the chunk
/// size fixed when the Trainer is made (so a short last batch has fewer chunks, cut at the same places).
/// </summary>
internal static class ChunkPlan
{
    /// <summary>
    /// The least work worth a chunk of its own, in samples × <see cref="INetwork.MultiplyAddsPerSample"/>: below it,
    /// the workers' wake-up and the gradient reduction cost more than the chunk saves. Measured with
    /// <c>compare --threads</c> on a 2-core Zen 5 when the workers blocked between rounds: the 1 → 256 → 256 → 1 network
    /// in chunks of 64 samples (4.2 M multiply-adds each) was 0.87× as fast on two threads as uncut on one, the
    /// 784 → 256 → 128 → 10 network in chunks of 64 (15 M each) 1.39× and LeNet-5 (27 M each) 1.65×; 2²³ (8.4 M) lies
    /// between them. Since the workers spin between rounds (<see cref="WorkerPool"/>) smaller chunks gain there too (the
    /// same network 1.64–1.72×, the seed MLP's chunks of 0.27 M 1.19–1.77×, in three runs each), so the threshold is now
    /// conservative; it is kept until it is measured on more machines than one, because moving it changes which networks
    /// are cut, and a cut network's results differ from its uncut ones in the last bits.
    /// </summary>
    public const long MinChunkWork = 1L << 23;

    /// <summary>
    /// The fewest samples in an automatic chunk. Smaller chunks fill the products' row tiles less well and add gradient
    /// buffers to reduce: measured on a 2-core Zen 5 (a Trainer epoch, SGD, B = 128), the 784 → 256 → 128 → 10 network
    /// took 0.84 ms a step uncut on one thread, and on two threads 0.79 ms in chunks of 16, 0.63 ms in chunks of 32 and
    /// 0.58 ms in chunks of 64; LeNet-5 4.0 ms uncut, and 2.6, 2.3 and 2.1 ms.
    /// </summary>
    public const int MinChunkSamples = 64;

    /// <summary>The most chunks of a batch: each owns a replica and a gradient buffer, and the reduction reads them all.</summary>
    public const int MaxChunks = 16;

    /// <summary>
    /// The chunk size for batches of <paramref name="batchSize"/>: <paramref name="requested"/> when it is set (0 means
    /// automatic), else the batch cut into as many equal chunks as the work allows (each at least
    /// <see cref="MinChunkWork"/> and <see cref="MinChunkSamples"/>, at most <see cref="MaxChunks"/> chunks). A network
    /// with batch statistics (batch normalisation) is cut by the same rule: its chunks meet at each normalisation to
    /// combine their shares into the whole batch's statistics (<see cref="HasBatchStatistics"/>).
    /// </summary>
    public static int ChunkSize(INetwork network, int batchSize, int requested)
    {
        if (requested > 0)
            return Math.Min(requested, batchSize);
        long work = (long)batchSize * Math.Max(network.MultiplyAddsPerSample, 1);
        long chunks = Math.Min(Math.Min(MaxChunks, batchSize / MinChunkSamples), work / MinChunkWork);
        if (chunks <= 1)
            return batchSize;
        return (int)((batchSize + chunks - 1) / chunks);
    }

    /// <summary>
    /// Whether the network's training pass normalises over the batch (it has state: batch normalisation's running
    /// statistics), so that the chunks of a cut batch must meet to combine their statistics (<see cref="Kernels.ChunkedBatchStatistics"/>).
    /// </summary>
    public static bool HasBatchStatistics(INetwork network) => network.State.Length != 0 || network.StateCounts.Length != 0;

    /// <summary>The chunks of a batch of <paramref name="count"/> samples cut every <paramref name="chunkSize"/>.</summary>
    public static int ChunkCount(int count, int chunkSize) => (count + chunkSize - 1) / chunkSize;
}
