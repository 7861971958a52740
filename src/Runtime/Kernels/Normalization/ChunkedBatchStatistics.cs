using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NetGen.Kernels;

/// <summary>
/// Where the chunks of one training batch meet at each batch normalisation (data-parallel training: the
/// <see cref="Trainer"/> and <see cref="Lbfgs"/> cut a batch into chunks, each run on a replica of the network).
/// Batch statistics must be those of the whole batch, as PyTorch computes them, so each chunk's replica computes its
/// own share (its samples' mean and variance per channel in the forward pass, its Σ δy and Σ δy·(x − μ) in the backward
/// step), leaves it in its node's moments buffer and arrives here; the last chunk to arrive combines every chunk's share
/// in chunk order (<see cref="BatchNorm"/>'s combining steps) and writes the result into each chunk's buffer, and then
/// every chunk goes on. Which chunk arrives last, and on which thread, does not change a bit of the result.
/// </summary>
/// <remarks>
/// Every chunk of a batch must be running at once for the last to arrive, so the chunks of a network with batch
/// statistics each have a thread of their own; when the caller asked for fewer threads, a chunk holds one of that many
/// permits while it computes and gives it up while it waits here, so no more than that many compute at once. A chunk that
/// fails abandons the meeting (<see cref="Abandon"/>): the chunks waiting here, and any that arrive later in the batch,
/// throw <see cref="ChunkAbandonedException"/> instead of waiting for it, and the caller reports the first failure.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkedBatchStatistics
{
    /// <summary>
    /// How long a chunk spins for the others before it blocks, when every chunk has a processor of its own: the chunks of
    /// one batch do the same work, so they arrive within microseconds of each other, and a wake-up from a block costs more.
    /// </summary>
    private static readonly long SpinLimit = Stopwatch.Frequency / 5_000;

    private readonly object _gate = new();
    private readonly float[]?[] _moments;
    private readonly int[] _samples;
    private readonly double[] _weights;
    private readonly SemaphoreSlim? _permits;
    private readonly long _spinTicks;
    private int _chunks;
    private int _batchSize;
    private int _arrived;
    private int _meetings;          // meetings completed in this batch: a waiting chunk goes on when it changes
    private Exception? _failure;
    private volatile bool _abandoned;

    /// <summary>
    /// A meeting place for up to <paramref name="maxChunks"/> chunks, on threads of their own; <paramref name="permits"/>,
    /// when not null, holds how many of them may compute at once (see the remarks).
    /// </summary>
    internal ChunkedBatchStatistics(int maxChunks, SemaphoreSlim? permits)
    {
        _moments = new float[]?[maxChunks];
        _samples = new int[maxChunks];
        _weights = new double[maxChunks];
        _permits = permits;
        _spinTicks = permits is null && maxChunks <= Environment.ProcessorCount ? SpinLimit : 0;
    }

    /// <summary>Chunks of the batch in progress.</summary>
    internal int Chunks => _chunks;

    /// <summary>Samples of the whole batch in progress.</summary>
    internal int BatchSize => _batchSize;

    /// <summary>The first failure of a chunk of the batch in progress, or null.</summary>
    internal Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// Starts a batch of <paramref name="batchSize"/> samples in <paramref name="chunks"/> chunks of
    /// <paramref name="chunkSize"/> (the last one shorter), each chunk weighing in the batch's loss its share of the
    /// samples when <paramref name="meanLoss"/>, else 1. Called before the chunks start.
    /// </summary>
    internal void BeginBatch(int batchSize, int chunkSize, int chunks, bool meanLoss)
    {
        if (chunks > _moments.Length)
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks, $"At most {_moments.Length} chunks meet here.");
        _batchSize = batchSize;
        _chunks = chunks;
        for (int c = 0; c < chunks; c++)
        {
            _samples[c] = Math.Min(chunkSize, batchSize - c * chunkSize);
            _weights[c] = meanLoss ? (double)_samples[c] / batchSize : 1.0;
            _moments[c] = null;
        }
        _arrived = 0;
        _meetings = 0;
        _failure = null;
        _abandoned = false;
    }

    /// <summary>Samples of chunk <paramref name="chunk"/>.</summary>
    internal int Samples(int chunk) => _samples[chunk];

    /// <summary>Chunk <paramref name="chunk"/>'s weight in the batch's loss (and so in its gradients).</summary>
    internal double Weight(int chunk) => _weights[chunk];

    /// <summary>The moments buffer chunk <paramref name="chunk"/> arrived with at the meeting in progress.</summary>
    internal float[] Moments(int chunk) => _moments[chunk]!;

    /// <summary>
    /// Chunk <paramref name="chunk"/> arrives with its share in <paramref name="moments"/>. Returns true to the last chunk
    /// to arrive, which must combine every share and then call <see cref="Release"/> (or <see cref="Abandon"/>); the
    /// others return false once it has, every buffer holding the combined statistics.
    /// </summary>
    /// <exception cref="ChunkAbandonedException">Another chunk of the batch failed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool Arrive(int chunk, float[] moments)
    {
        if ((uint)chunk >= (uint)_chunks)
            throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"The batch in progress has {_chunks} chunks.");
        int meeting;
        lock (_gate)
        {
            ThrowIfAbandoned();
            _moments[chunk] = moments;
            if (++_arrived == _chunks)
                return true;
            meeting = _meetings;
        }
        _permits?.Release();
        try
        {
            Wait(meeting);
        }
        finally
        {
            _permits?.Wait();
        }
        ThrowIfAbandoned();
        return false;
    }

    /// <summary>Ends the meeting in progress: the last chunk to arrive calls it once it has combined the shares.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Release()
    {
        lock (_gate)
        {
            _arrived = 0;
            Volatile.Write(ref _meetings, _meetings + 1);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>A chunk failed with <paramref name="failure"/>: every chunk waiting, and every one still to arrive, throws instead.</summary>
    internal void Abandon(Exception failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
            _abandoned = true;
            Monitor.PulseAll(_gate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Wait(int meeting)
    {
        long start = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _meetings) == meeting && !_abandoned)
        {
            if (Stopwatch.GetTimestamp() - start >= _spinTicks)
            {
                lock (_gate)
                {
                    while (_meetings == meeting && !_abandoned)
                        Monitor.Wait(_gate);
                }
                return;
            }
            Thread.SpinWait(4);
        }
    }

    private void ThrowIfAbandoned()
    {
        if (_abandoned)
            throw new ChunkAbandonedException();
    }
}

/// <summary>Thrown in a chunk that waits for, or arrives after, a chunk of its batch that failed; the caller reports that failure instead.</summary>
internal sealed class ChunkAbandonedException()
    : Exception("Another chunk of this batch failed before the chunks met at a batch normalisation; that chunk's failure is the one to read.");
