using System;
using System.Numerics.Tensors;
using System.Runtime.ExceptionServices;
using System.Threading;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// One training batch cut into chunks (<see cref="ChunkPlan"/>), each chunk's Backward run on a replica of the network
/// that shares its parameters (<see cref="INetwork.CreateReplica"/>), and the chunks' gradients added into the network's
/// <see cref="INetwork.Gradients"/> in one fixed order. Chunk c always runs on replica c, whichever thread takes it; the
/// sum weighs each chunk by its share of the batch's loss (chunk ÷ batch for a mean loss, 1 for a sum) and is a
/// pairwise tree over chunk indices (0+1, 2+3, …, then (0+1)+(2+3), …), done slice by slice of the parameter
/// buffer so that the threads share it; the optimiser's step then runs in the same slices on the same threads
/// (<see cref="Step"/>). Every float is thus computed by the same operations in the same order on 1 or n threads: the
/// step's result is bitwise the same for any thread count. A step allocates nothing; evaluation allocates
/// its array of losses once per data set larger than any before.
/// </summary>
/// <remarks>
/// A network with batch statistics (batch normalisation) needs every chunk of a batch running at once: its chunks meet
/// at each normalisation (<see cref="ChunkedBatchStatistics"/>). Its pool then has a thread per chunk, and when fewer
/// threads were asked for, a thread holds one of that many permits while it works (a chunk gives its permit up while it
/// waits at a meeting), so that no more threads than asked for compute at once.
/// </remarks>
internal sealed class DataParallelStep : IPoolWork, IDisposable
{
    /// <summary>Floats per slice of the reduction: large enough to amortise a claim, small enough to share 235 k parameters well.</summary>
    private const int SliceFloats = 8192;

    private readonly INetwork _network;
    private readonly INetwork[] _replicas;
    private readonly BatchBuffers[] _gatherBuffers;
    private readonly float[] _losses;
    private readonly WorkerPool? _pool;
    private readonly int _chunkSize;
    private readonly int _threads;
    // Where the chunks of a network with batch statistics meet, and the permits of its threads (when fewer were asked for than it has chunks).
    private readonly ChunkedBatchStatistics? _statistics;
    private readonly SemaphoreSlim? _permits;

    // Evaluation's losses, one per piece of a data set; grown to the largest set evaluated, then reused.
    private float[] _pieceLosses = [];

    // The round in progress: what Run works on.
    private ISampleSet? _set;
    private ReadOnlyMemory<float> _predictionInputs;
    private Memory<float> _predictionOutputs;
    private int[]? _order;
    private int _start;
    private int _count;
    private int _chunkCount;
    private Round _round;
    private readonly OwnedClaims _claims;
    private float[]? _parametersBefore;
    private int _nonFiniteGradients;
    private ISlicedOptimizer? _optimizer;
    private int _nonFiniteParameters;

    private enum Round
    {
        /// <summary>Each chunk's Backward on its replica.</summary>
        Chunks,
        /// <summary>The chunks' gradients added, slice by slice.</summary>
        Reduction,
        /// <summary>The optimiser's update, slice by slice.</summary>
        Step,
        /// <summary>The loss of a data set, piece by piece, each thread on a replica of its own.</summary>
        Evaluation,
        /// <summary>The outputs of many samples, piece by piece, each thread on a replica of its own.</summary>
        Prediction,
    }

    public DataParallelStep(INetwork network, int batchSize, int chunkSize, int threads, bool gathers)
    {
        _network = network;
        _chunkSize = chunkSize;
        int chunks = ChunkPlan.ChunkCount(batchSize, chunkSize);
        _replicas = new INetwork[chunks];
        _gatherBuffers = new BatchBuffers[gathers ? chunks : 0];
        for (int c = 0; c < chunks; c++)
        {
            _replicas[c] = network.CreateReplica(chunkSize, c);
            if (gathers)
                _gatherBuffers[c] = new BatchBuffers(chunkSize, network.InputSize, network.OutputSize);
        }
        _losses = new float[chunks];
        int workers = Math.Min(threads, chunks);
        _threads = workers;
        if (ChunkPlan.HasBatchStatistics(network) && chunks > 1)
        {
            _permits = workers < chunks ? new SemaphoreSlim(workers, workers) : null;
            _statistics = new ChunkedBatchStatistics(chunks, _permits);
            foreach (INetwork replica in _replicas)
                replica.ShareBatchStatistics(_statistics);
            workers = chunks;
        }
        _pool = workers > 1 ? new WorkerPool(workers) : null;
        _claims = new OwnedClaims(workers);
    }

    /// <summary>Whether every gradient the latest <see cref="Backward"/> wrote is finite (checked as the reduction wrote it).</summary>
    public bool GradientsFinite => Volatile.Read(ref _nonFiniteGradients) == 0;

    /// <summary>Threads that compute at once in a step (the caller's included).</summary>
    public int Threads => _threads;

    /// <summary>
    /// Backward over samples [start, start + count) of <paramref name="set"/> (in <paramref name="order"/>'s order when it
    /// is not null): the network's Gradients end as the batch's, and the batch's loss is returned.
    /// </summary>
    /// <remarks>
    /// The reduction's slices also do, on the pool's threads and while each slice is in cache, the two passes the
    /// Trainer makes before a step: they check the sums they write for NaN and infinities (<see cref="GradientsFinite"/>)
    /// and, when <paramref name="parametersBefore"/> is given, copy the parameters into it (the step's undo copy).
    /// </remarks>
    public float Backward(ISampleSet set, int[]? order, int start, int count, float[]? parametersBefore = null)
    {
        _set = set;
        _order = order;
        _start = start;
        _count = count;
        _chunkCount = ChunkPlan.ChunkCount(count, _chunkSize);
        _parametersBefore = parametersBefore;
        Volatile.Write(ref _nonFiniteGradients, 0);
        _statistics?.BeginBatch(count, _chunkSize, _chunkCount, _network.LossReduction == LossReduction.Mean);
        try
        {
            RunChunks();
            RunRound(Round.Reduction);
        }
        finally
        {
            _set = null;
            _order = null;
            _parametersBefore = null;
        }
        // The loss in the same fixed order; the weights are the gradients' (each chunk's loss is the mean or sum of its own samples).
        double loss = 0;
        for (int c = 0; c < _chunkCount; c++)
            loss += (double)_losses[c] * Weight(c);
        return (float)loss;
    }

    /// <summary>
    /// The reduction alone, of whatever the replicas' gradients hold, for a batch of <paramref name="count"/> samples:
    /// how <c>compare --threads</c> measures its cost in isolation as the chunk count grows.
    /// </summary>
    internal void Reduce(int count)
    {
        _count = count;
        _chunkCount = ChunkPlan.ChunkCount(count, _chunkSize);
        Volatile.Write(ref _nonFiniteGradients, 0);
        RunRound(Round.Reduction);
    }

    /// <summary>
    /// The optimiser's step on the network after <see cref="Backward"/>, in the reduction's slices on the pool's threads,
    /// each slice checked for NaN and infinities as it is written; returns whether every parameter is finite. The
    /// slices update each element as a whole step does, so the result is bitwise that of <see cref="IOptimizer.Step"/>.
    /// </summary>
    public bool Step(ISlicedOptimizer optimizer)
    {
        optimizer.BeginStep(_network);
        _optimizer = optimizer;
        Volatile.Write(ref _nonFiniteParameters, 0);
        try
        {
            RunRound(Round.Step);
        }
        finally
        {
            _optimizer = null;
        }
        return Volatile.Read(ref _nonFiniteParameters) == 0;
    }

    /// <summary>
    /// The loss of every sample of <paramref name="set"/>, in pieces of the chunk size, each thread on a replica of its
    /// own: the pieces' losses combined in piece order (weighted by size for a mean), so the value does not depend on the
    /// thread count. Allocates only when a set has more pieces than any before it.
    /// </summary>
    public float ComputeLoss(ISampleSet set)
    {
        int pieces = ChunkPlan.ChunkCount(set.Count, _chunkSize);
        if (_pieceLosses.Length < pieces)
            _pieceLosses = new float[pieces];
        _set = set;
        _count = set.Count;
        _chunkCount = pieces;
        try
        {
            RunRound(Round.Evaluation);
        }
        finally
        {
            _set = null;
        }
        bool mean = _network.LossReduction == LossReduction.Mean;
        double sum = 0;
        for (int p = 0; p < pieces; p++)
            sum += mean ? (double)_pieceLosses[p] * PieceSize(p) : _pieceLosses[p];
        return (float)(mean ? sum / _count : sum);
    }

    /// <summary>
    /// The network's outputs for every sample of <paramref name="inputs"/> (rows of the input size), written in sample
    /// order to <paramref name="outputs"/>: pieces of the chunk size, each run by Forward on the replica of the thread
    /// that claims it. A sample's output does not depend on which thread computes it. Allocates nothing.
    /// </summary>
    public void Predict(ReadOnlyMemory<float> inputs, Memory<float> outputs, int count)
    {
        _predictionInputs = inputs;
        _predictionOutputs = outputs;
        _count = count;
        _chunkCount = ChunkPlan.ChunkCount(count, _chunkSize);
        try
        {
            RunRound(Round.Prediction);
        }
        finally
        {
            _predictionInputs = default;
            _predictionOutputs = default;
        }
    }

    /// <summary>The chunks' round; a chunk that gave up because another failed (at a meeting) is not the failure to report.</summary>
    private void RunChunks()
    {
        try
        {
            RunRound(Round.Chunks);
        }
        catch (ChunkAbandonedException) when (_statistics?.Failure is Exception failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void RunRound(Round round)
    {
        _round = round;
        int pieces = round is Round.Reduction or Round.Step ? (_network.ParameterCount + SliceFloats - 1) / SliceFloats : _chunkCount;
        _claims.Begin(pieces, _pool?.Threads ?? 1);
        if (_pool is null)
            Run(0);
        else
            _pool.Run(this);
    }

    /// <summary>One thread's share of a round, holding one of the permits when there are any (see the remarks).</summary>
    public void Run(int thread)
    {
        if (_permits is null)
        {
            RunClaims(thread);
            return;
        }
        _permits.Wait();
        try
        {
            RunClaims(thread);
        }
        finally
        {
            _permits.Release();
        }
    }

    /// <summary>Chunks, slices of the reduction or pieces of a data set, claimed one at a time: the thread's own range first (<see cref="OwnedClaims"/>).</summary>
    private void RunClaims(int thread)
    {
        // A round runs Run once per pool thread, and the pool has at most one thread per replica.
        INetwork? evaluator = _round is Round.Evaluation or Round.Prediction ? _replicas[thread] : null;
        int piece, visited = 0;
        while ((piece = _claims.Next(thread, ref visited)) >= 0)
        {
            if (_round is Round.Reduction or Round.Step)
            {
                int start = piece * SliceFloats, length = Math.Min(SliceFloats, _network.ParameterCount - start);
                if (_round == Round.Reduction)
                    ReduceSlice(start, length);
                else
                    StepSlice(start, length);
            }
            else if (_round == Round.Prediction)
                PredictPiece(evaluator!, piece);
            else if (evaluator is not null)
                _pieceLosses[piece] = _set!.ComputeLoss(evaluator, piece * _chunkSize, PieceSize(piece));
            else
                RunChunk(piece);
        }
    }

    /// <summary>Forward over piece p's samples, into their rows of the outputs.</summary>
    private void PredictPiece(INetwork replica, int p)
    {
        int first = p * _chunkSize, count = PieceSize(p);
        replica.Forward(
            _predictionInputs.Span.Slice(first * _network.InputSize, count * _network.InputSize),
            _predictionOutputs.Span.Slice(first * _network.OutputSize, count * _network.OutputSize),
            count);
    }

    /// <summary>The samples of chunk (or piece) c: the chunk size, but for a short last one.</summary>
    private int PieceSize(int c) => Math.Min(_chunkSize, _count - c * _chunkSize);

    /// <summary>Chunk c's Backward on replica c, its gradients scaled by its weight in the batch's loss.</summary>
    private void RunChunk(int c)
    {
        INetwork replica = _replicas[c];
        int first = c * _chunkSize;
        int count = PieceSize(c);
        // The chunk's weight is applied by the reduction, in the pass that reads these gradients anyway.
        try
        {
            _losses[c] = _order is null
                ? _set!.Backward(replica, _start + first, count)
                : _set!.Backward(replica, _order.AsSpan(_start + first, count), _gatherBuffers[c]);
        }
        catch (Exception exception) when (_statistics is not null && exception is not ChunkAbandonedException)
        {
            // The other chunks must not wait at a meeting for this one.
            _statistics.Abandon(exception);
            throw;
        }
    }

    /// <summary>A chunk's weight in the batch's loss: its share of the samples for a mean loss, 1 for a sum.</summary>
    private float Weight(int c) =>
        _network.LossReduction == LossReduction.Mean ? (float)PieceSize(c) / _count : 1f;

    /// <summary>
    /// The pairwise tree over chunk indices on parameters [start, start + length), each chunk weighted by its share of the
    /// loss: the first level forms w_c·g_c + w_{c+1}·g_{c+1} ((g_c + g_{c+1})·w when the two weigh the same, as full chunks
    /// do), the levels above add, and the last level writes the network's Gradients. Every pass over the gradients is
    /// one the sum needs: the weights cost no pass of their own, and nothing is copied after. The formula depends on the
    /// chunk sizes only, never on the thread that runs a slice.
    /// </summary>
    private void ReduceSlice(int start, int length)
    {
        SumSlice(start, length);
        if (!Finite.All(_network.Gradients.Slice(start, length)))
            Volatile.Write(ref _nonFiniteGradients, 1);
        if (_parametersBefore is not null)
            _network.Parameters.Slice(start, length).CopyTo(_parametersBefore.AsSpan(start, length));
    }

    /// <summary>The optimiser's update of parameters [start, start + length), then their check for NaN and infinities.</summary>
    private void StepSlice(int start, int length)
    {
        _optimizer!.StepSlice(_network, start, length);
        if (!Finite.All(_network.Parameters.Slice(start, length)))
            Volatile.Write(ref _nonFiniteParameters, 1);
    }

    /// <summary>The weighted sum of the chunks' gradients on [start, start + length), into the network's Gradients (see <see cref="ReduceSlice"/>).</summary>
    private void SumSlice(int start, int length)
    {
        Span<float> gradients = _network.Gradients.Slice(start, length);
        if (_chunkCount == 1)
        {
            Span<float> only = _replicas[0].Gradients.Slice(start, length);
            if (Weight(0) == 1f)
                only.CopyTo(gradients);
            else
                TensorPrimitives.Multiply(only, Weight(0), gradients);
            return;
        }
        for (int stride = 1; stride < _chunkCount; stride *= 2)
        {
            bool last = 2 * stride >= _chunkCount;   // the top of the tree: only chunk 0's pair is left
            for (int c = 0; c < _chunkCount; c += 2 * stride)
            {
                Span<float> sum = last ? gradients : _replicas[c].Gradients.Slice(start, length);
                ReadOnlySpan<float> left = _replicas[c].Gradients.Slice(start, length);
                if (c + stride >= _chunkCount)
                {
                    // An odd chunk out at the first level: weighted now, added at a level above.
                    if (stride == 1 && Weight(c) != 1f)
                        TensorPrimitives.Multiply(left, Weight(c), _replicas[c].Gradients.Slice(start, length));
                    continue;
                }
                Span<float> right = _replicas[c + stride].Gradients.Slice(start, length);
                if (stride > 1)
                    TensorPrimitives.Add(left, right, sum);
                else if (Weight(c) == Weight(c + 1))
                    TensorPrimitives.AddMultiply(left, right, Weight(c), sum);
                else
                {
                    TensorPrimitives.Multiply(right, Weight(c + 1), right);
                    TensorPrimitives.MultiplyAdd(left, Weight(c), right, sum);
                }
            }
        }
    }

    public void Dispose()
    {
        _pool?.Dispose();
        _permits?.Dispose();
    }

    /// <summary>Tells the workers to end without waiting for them (the Trainer's finalizer).</summary>
    public void StopWorkers() => _pool?.Stop();
}
