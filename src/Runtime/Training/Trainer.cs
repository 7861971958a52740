using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace NetGen;

/// <summary>
/// Runs epochs of mini-batch training: for each batch, <see cref="INetwork.Backward"/> (or, on a
/// <see cref="LabelDataset"/>, <see cref="ILabelNetwork.BackwardOnLabels"/>) then <see cref="IOptimizer.Step"/>.
/// Every buffer is allocated in the constructor: an epoch allocates nothing.
/// </summary>
/// <remarks>
/// No step ever leaves a NaN or an infinity in the parameters unnoticed. Each step checks, in order: the batch's loss
/// (a scalar Backward returns anyway) and every gradient, before the optimiser runs; then every parameter after it,
/// against a copy taken just before it (one vectorised reduction over the gradients and one over the parameters, and
/// one copy: a few percent of a step). On a non-finite value, <c>Train</c> puts that copy back when the
/// optimiser had already stepped and throws a <see cref="TrainingDivergedException"/> naming the epoch, the batch and
/// the value. The validation loss of each epoch is checked too. A network with state (batch normalisation's running
/// statistics, which each Backward moves) has its state copied before each batch too, and put back with the parameters;
/// early stopping's best parameters come with that epoch's state.
/// <para>
/// A batch large enough to pay for it is cut into chunks (<see cref="ChunkSize"/>) whose gradients are computed on
/// replicas of the network by up to <see cref="TrainerOptions.Threads"/> threads and added in a fixed order before the
/// optimiser steps once: the parameters are bitwise the same for any thread count. The worker threads live as long as
/// the Trainer: dispose it when done (a Trainer that never cuts its batches has none).
/// </para>
/// </remarks>
public sealed partial class Trainer : IDisposable
{
    private readonly INetwork _network;
    private readonly IOptimizer _optimizer;
    private readonly SeededRandom? _shuffleRandom;
    private int[] _order = [];
    private readonly BatchBuffers? _batch;
    private readonly EarlyStopping? _earlyStopping;
    private readonly float[] _bestParameters;
    private readonly float[] _beforeStep;
    private readonly NetworkState _stateBeforeStep;
    private readonly NetworkState _bestState;
    private readonly DataParallelStep? _parallel;
    private bool _disposed;

    /// <summary>Creates a trainer for <paramref name="network"/>.</summary>
    public Trainer(INetwork network, IOptimizer optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new TrainerOptions();
        int batchSize = options.BatchSize == 0 ? network.MaxBatchSize : options.BatchSize;
        if (batchSize < 1 || batchSize > network.MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(options), batchSize,
                $"The batch size must be between 1 and the network's MaxBatchSize ({network.MaxBatchSize}).");
        if (options.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Threads,
                $"TrainerOptions.Threads must be at least 1 (the calling thread); the default is {TrainerOptions.DefaultThreads} on this machine.");
        if (options.ChunkSize < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.ChunkSize,
                "TrainerOptions.ChunkSize must be 0 (chosen from the batch and the network) or a number of samples.");
        _network = network;
        _optimizer = optimizer;
        BatchSize = batchSize;
        ChunkSize = ChunkPlan.ChunkSize(network, batchSize, options.ChunkSize);
        if (ChunkSize < batchSize)
            _parallel = CreateParallelStep(network, batchSize, ChunkSize, options);
        if (_parallel is null)
        {
            ChunkSize = batchSize;
            GC.SuppressFinalize(this); // no workers to end
        }
        if (options.Shuffle)
        {
            _shuffleRandom = new SeededRandom(options.ShuffleSeed);
            // A chunked step gathers each chunk into buffers of its own.
            if (_parallel is null)
                _batch = new BatchBuffers(batchSize, network.InputSize, network.OutputSize);
        }
        _earlyStopping = options.EarlyStopping;
        DropsLastPartialBatch = options.DropLastPartialBatch;
        _bestParameters = _earlyStopping is { RestoreBestParameters: true } ? new float[network.ParameterCount] : [];
        _beforeStep = new float[network.ParameterCount];
        _stateBeforeStep = new NetworkState(network);
        _bestState = _bestParameters.Length != 0 ? new NetworkState(network) : new NetworkState();
    }

    /// <summary>
    /// The chunked step, or null when the chosen chunking was automatic and the network (one written by hand) makes no
    /// replicas: it then trains uncut, as before threads existed. A chunk size the options ask for must be honoured.
    /// </summary>
    private static DataParallelStep? CreateParallelStep(INetwork network, int batchSize, int chunkSize, TrainerOptions options)
    {
        try
        {
            return new DataParallelStep(network, batchSize, chunkSize, options.Threads, gathers: options.Shuffle);
        }
        catch (NotSupportedException) when (options.ChunkSize == 0)
        {
            return null;
        }
    }

    /// <summary>Samples per mini-batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Samples per chunk of a batch: the batch size when batches are not cut. Chunk c of a batch is its samples
    /// [c·ChunkSize, (c + 1)·ChunkSize); the results depend on it, never on <see cref="Threads"/>.
    /// </summary>
    public int ChunkSize { get; }

    /// <summary>Whether each epoch's last batch is skipped when it is smaller than <see cref="BatchSize"/> (<see cref="TrainerOptions.DropLastPartialBatch"/>).</summary>
    public bool DropsLastPartialBatch { get; }

    /// <summary>Threads a training step runs on, the calling thread included: 1 when batches are not cut.</summary>
    public int Threads => _parallel?.Threads ?? 1;

    /// <summary>The epoch of the latest <c>Train</c> with the lowest validation loss (0 without a validation set).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The validation loss of <see cref="BestEpoch"/> (null without a validation set).</summary>
    public float? BestValidationLoss { get; private set; }

    /// <summary>Whether the latest <c>Train</c> ended before its last epoch because of <see cref="TrainerOptions.EarlyStopping"/>.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs (fewer when early stopping ends it) and returns the last epoch's report.
    /// With early stopping and <see cref="EarlyStopping.RestoreBestParameters"/>, the network ends with the parameters of <see cref="BestEpoch"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A set does not fit the network: other sizes, or targets its loss cannot take (the message names the sample).</exception>
    /// <exception cref="TrainingDivergedException">A loss, gradient or parameter became NaN or infinite; the parameters are those from before that step.</exception>
    public EpochReport Train(Dataset training, int epochs, Dataset? validation = null,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default) =>
        Train<Dataset>(training, epochs, validation, progress, cancellationToken);

    /// <summary>
    /// Trains on class labels, as <see cref="Train(Dataset, int, Dataset?, IProgress{EpochReport}?, CancellationToken)"/>
    /// does on target rows: each batch through <see cref="ILabelNetwork.BackwardOnLabels"/>, so the network must take
    /// labels (softmax cross-entropy).
    /// </summary>
    /// <exception cref="ArgumentException">The network does not take labels, or a set does not fit its sizes.</exception>
    /// <exception cref="TrainingDivergedException">A loss, gradient or parameter became NaN or infinite; the parameters are those from before that step.</exception>
    public EpochReport Train(LabelDataset training, int epochs, LabelDataset? validation = null,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default) =>
        Train<LabelDataset>(training, epochs, validation, progress, cancellationToken);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private EpochReport Train<TSet>(TSet training, int epochs, TSet? validation,
        IProgress<EpochReport>? progress, CancellationToken cancellationToken) where TSet : class, ISampleSet
    {
        BeginTraining(training, epochs, validation);
        BestEpoch = 0;
        BestValidationLoss = null;
        StoppedEarly = false;
        int epochsWithoutImprovement = 0;
        EpochReport report = default;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float trainingLoss = RunEpoch(training, epoch);
            float? validationLoss = validation is null ? null : EvaluateFittingSet(validation);
            if (validationLoss is float checkedLoss && !float.IsFinite(checkedLoss))
                ThrowValidationDiverged(epoch, checkedLoss);
            report = new EpochReport(epoch, epochs, trainingLoss, validationLoss);
            progress?.Report(report);
            if (validationLoss is not float loss)
                continue;

            // The first loss is always an improvement.
            float threshold = BestValidationLoss is float best ? best - (_earlyStopping?.MinDelta ?? 0f) : float.PositiveInfinity;
            if (loss < threshold)
            {
                BestEpoch = epoch;
                BestValidationLoss = loss;
                epochsWithoutImprovement = 0;
                if (_bestParameters.Length != 0)
                {
                    _network.Parameters.CopyTo(_bestParameters);
                    _bestState.CopyFrom(_network);
                }
            }
            else if (_earlyStopping is not null && ++epochsWithoutImprovement >= _earlyStopping.Patience)
            {
                StoppedEarly = epoch < epochs;
                break;
            }
        }
        if (_bestParameters.Length != 0 && BestEpoch != 0 && BestEpoch != report.Epoch)
            RestoreBestEpoch();
        return report;
    }

    // The checks before training and the restore after it run once a call: out of Train's loop, which is compiled fully
    // optimised from the first call, they are compiled as the runtime sees fit.
    private void BeginTraining<TSet>(TSet training, int epochs, TSet? validation) where TSet : class, ISampleSet
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        training.CheckFits(_network, nameof(training));
        CheckBatches(training.Count);
        validation?.CheckFits(_network, nameof(validation));
        if (_earlyStopping is not null && validation is null)
            throw new ArgumentNullException(nameof(validation), "Early stopping watches the validation loss: pass a validation set.");
        if (_shuffleRandom is not null && _order.Length != training.Count)
            _order = CreateIdentityOrder(training.Count);
    }

    private void RestoreBestEpoch()
    {
        _bestParameters.CopyTo(_network.Parameters);
        _bestState.CopyTo(_network);
    }

    // Out of Train, whose loop is compiled fully optimised from the first call: the message's formatting is code the JIT
    // would compile there for a case that never comes in a healthy run.
    [DoesNotReturn]
    private static void ThrowValidationDiverged(int epoch, float loss) =>
        throw new TrainingDivergedException(
            $"Training stopped after epoch {epoch}: the validation loss is {Finite.Describe(loss)} while every parameter is finite. " +
            "The validation set's arrays may have been given a NaN or an infinity after the Dataset was made (it checks them then), " +
            "or the loss overflows a float: the parameters are probably diverging (lower the learning rate).",
            epoch, 0, DivergedValue.ValidationLoss);

    /// <summary>
    /// The loss of the whole data set: in batches of at most <see cref="INetwork.MaxBatchSize"/>, or, when this Trainer
    /// cuts its batches, in pieces of <see cref="ChunkSize"/> on its threads (a value that does not depend on their number).
    /// </summary>
    public float Evaluate(Dataset data) => EvaluateSet(data);

    /// <summary>The loss of the whole label set, as <see cref="Evaluate(Dataset)"/> computes a data set's.</summary>
    public float Evaluate(LabelDataset data) => EvaluateSet(data);

    private float EvaluateSet<TSet>(TSet data) where TSet : class, ISampleSet
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(data);
        data.CheckFits(_network, nameof(data));
        return EvaluateFittingSet(data);
    }

    /// <summary>The loss of a set already checked against the network, on the workers when batches are cut.</summary>
    private float EvaluateFittingSet<TSet>(TSet data) where TSet : class, ISampleSet =>
        _parallel is null ? EvaluateFitting(_network, data) : _parallel.ComputeLoss(data);

    /// <summary>The loss of the whole data set under <paramref name="network"/>.</summary>
    public static float Evaluate(INetwork network, Dataset data) => Evaluate<Dataset>(network, data);

    /// <summary>The loss of the whole label set under <paramref name="network"/>, which must take labels.</summary>
    public static float Evaluate(INetwork network, LabelDataset data) => Evaluate<LabelDataset>(network, data);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float Evaluate<TSet>(INetwork network, TSet data) where TSet : class, ISampleSet
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        data.CheckFits(network, nameof(data));
        return EvaluateFitting(network, data);
    }

    /// <summary>The loss of a set already checked against the network (Train checks its validation set once, not every epoch).</summary>
    private static float EvaluateFitting<TSet>(INetwork network, TSet data) where TSet : class, ISampleSet
    {
        var total = new LossAccumulator(network.LossReduction);
        for (int start = 0; start < data.Count; start += network.MaxBatchSize)
        {
            int count = Math.Min(network.MaxBatchSize, data.Count - start);
            total.Add(data.ComputeLoss(network, start, count), count);
        }
        return total.Value;
    }

    // Fully optimised from the first call: the steps' loop runs thousands of times in a short run, and in tier-0 code
    // (then on-stack replacement) it would call every small accessor it uses instead of inlining it.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private float RunEpoch<TSet>(TSet training, int epoch) where TSet : class, ISampleSet
    {
        if (_shuffleRandom is not null)
            _shuffleRandom.Shuffle(_order);
        var total = new LossAccumulator(_network.LossReduction);
        int batch = 0;
        for (int start = 0; start < EpochSamples(training.Count); start += BatchSize)
        {
            batch++;
            int count = Math.Min(BatchSize, training.Count - start);
            _stateBeforeStep.CopyFrom(_network);
            // Cut batches: the reduction's threads check the gradients and make the undo copy as they write each slice.
            float loss = _parallel is not null ? _parallel.Backward(training, _shuffleRandom is null ? null : _order, start, count, _beforeStep)
                : _batch is null ? training.Backward(_network, start, count)
                : training.Backward(_network, _order.AsSpan(start, count), _batch);
            if (!float.IsFinite(loss) || !(_parallel is not null ? _parallel.GradientsFinite : Finite.All(_network.Gradients)))
                ThrowBeforeStep(epoch, batch, loss);
            if (_parallel is null)
                _network.Parameters.CopyTo(_beforeStep);
            if (!StepAndCheck())
                UndoStepAndThrow(epoch, batch);
            total.Add(loss, count);
        }
        return total.Value;
    }

    /// <summary>
    /// The optimiser's step; true when it left every parameter finite. Cut batches step on the reduction's threads,
    /// slice by slice, when the optimiser's update is element-wise (every built-in one is).
    /// </summary>
    private bool StepAndCheck()
    {
        if (_parallel is not null && _optimizer is ISlicedOptimizer sliced)
            return _parallel.Step(sliced);
        _optimizer.Step(_network);
        return Finite.All(_network.Parameters);
    }

    [DoesNotReturn]
    private void ThrowBeforeStep(int epoch, int batch, float loss)
    {
        _stateBeforeStep.CopyTo(_network);
        string where = $"Training stopped at epoch {epoch}, batch {batch}";
        const string Causes = "The usual causes: a NaN or an infinity in the data (a Dataset checks its arrays when it is made, not changes made to them later), " +
            "or a learning rate too high for this network (lower it).";
        if (!float.IsFinite(loss))
            throw new TrainingDivergedException(
                $"{where}: the batch's loss is {Finite.Describe(loss)}. The optimiser did not step: the parameters are as they were before this batch. {Causes}",
                epoch, batch, DivergedValue.Loss);
        int index = Finite.IndexOfNonFinite(_network.Gradients);
        throw new TrainingDivergedException(
            $"{where}: the loss is finite ({Finite.Describe(loss)}) but the gradient of {DescribeParameter(index)} is {Finite.Describe(_network.Gradients[index])}. " +
            $"The optimiser did not step: the parameters are as they were before this batch. {Causes}",
            epoch, batch, DivergedValue.Gradients);
    }

    [DoesNotReturn]
    private void UndoStepAndThrow(int epoch, int batch)
    {
        int index = Finite.IndexOfNonFinite(_network.Parameters);
        string value = Finite.Describe(_network.Parameters[index]);
        _beforeStep.CopyTo(_network.Parameters);
        _stateBeforeStep.CopyTo(_network);
        throw new TrainingDivergedException(
            $"Training stopped at epoch {epoch}, batch {batch}: the optimiser's step made {DescribeParameter(index)} {value} from finite gradients. " +
            "The step was undone: the parameters are as they were before it (the optimiser's own state, such as momentum, includes it: call its Reset() before training on). " +
            "The learning rate is too high for this network: lower it.",
            epoch, batch, DivergedValue.Parameters);
    }

    /// <summary>Stops and joins the worker threads of chunked steps (if any); the Trainer cannot train after it.</summary>
    public void Dispose()
    {
        _disposed = true;
        _parallel?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A Trainer dropped without Dispose still ends its idle workers (they hold no reference to it).</summary>
    ~Trainer() => _parallel?.StopWorkers();

    private string DescribeParameter(int index) => ParameterIndex.Describe(_network.ParameterTensors, index);

    private static int[] CreateIdentityOrder(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        return order;
    }

    /// <summary>A copy of a network's state (running statistics and batch counts), allocated once; empty for a network without state.</summary>
    private readonly struct NetworkState
    {
        private readonly float[] _values;
        private readonly long[] _counts;

        public NetworkState()
        {
            _values = [];
            _counts = [];
        }

        public NetworkState(INetwork network)
        {
            _values = new float[network.State.Length];
            _counts = new long[network.StateCounts.Length];
        }

        public void CopyFrom(INetwork network)
        {
            if (_values.Length != 0)
                network.State.CopyTo(_values);
            if (_counts.Length != 0)
                network.StateCounts.CopyTo(_counts);
        }

        public void CopyTo(INetwork network)
        {
            if (_values.Length != 0)
                _values.CopyTo(network.State);
            if (_counts.Length != 0)
                _counts.CopyTo(network.StateCounts);
        }
    }

    /// <summary>Combines batch losses into the data set's loss: a weighted mean for mean losses, a sum for sum losses.</summary>
    private struct LossAccumulator(LossReduction reduction)
    {
        private double _sum;
        private int _count;

        public void Add(float batchLoss, int batchSize)
        {
            _sum += reduction == LossReduction.Mean ? (double)batchLoss * batchSize : batchLoss;
            _count += batchSize;
        }

        /// <summary>The data set's loss; a Dataset holds at least one sample, so there is always a batch to average.</summary>
        public readonly float Value => _count > 0
            ? (float)(reduction == LossReduction.Mean ? _sum / _count : _sum)
            : throw new InvalidOperationException("No samples were seen: there is no loss to report.");
    }
}
