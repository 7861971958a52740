using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// Runs epochs of mini-batch training: for each batch, <see cref="INetwork.Backward"/> then
/// <see cref="IOptimizer.Step"/>. Every buffer is allocated in the constructor: an epoch allocates nothing.
/// </summary>
public sealed class Trainer
{
    private readonly INetwork _network;
    private readonly IOptimizer _optimizer;
    private readonly SeededRandom? _shuffleRandom;
    private int[] _order = [];
    private readonly float[] _batchInputs;
    private readonly float[] _batchTargets;

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
        _network = network;
        _optimizer = optimizer;
        BatchSize = batchSize;
        if (options.Shuffle)
        {
            _shuffleRandom = new SeededRandom(options.ShuffleSeed);
            _batchInputs = new float[batchSize * network.InputSize];
            _batchTargets = new float[batchSize * network.OutputSize];
        }
        else
        {
            _batchInputs = [];
            _batchTargets = [];
        }
    }

    /// <summary>Samples per mini-batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; }

    /// <summary>Trains for <paramref name="epochs"/> epochs and returns the last epoch's report.</summary>
    public EpochReport Train(Dataset training, int epochs, Dataset? validation = null,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        training.CheckFits(_network, nameof(training));
        validation?.CheckFits(_network, nameof(validation));
        if (_shuffleRandom is not null && _order.Length != training.Count)
            _order = CreateIdentityOrder(training.Count);

        EpochReport report = default;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float trainingLoss = RunEpoch(training);
            float? validationLoss = validation is null ? null : Evaluate(validation);
            report = new EpochReport(epoch, epochs, trainingLoss, validationLoss);
            progress?.Report(report);
        }
        return report;
    }

    /// <summary>The loss of the whole data set, in batches of at most <see cref="INetwork.MaxBatchSize"/>.</summary>
    public float Evaluate(Dataset data) => Evaluate(_network, data);

    /// <summary>The loss of the whole data set under <paramref name="network"/>.</summary>
    public static float Evaluate(INetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        data.CheckFits(network, nameof(data));
        var total = new LossAccumulator(network.LossReduction);
        for (int start = 0; start < data.Count; start += network.MaxBatchSize)
        {
            int count = Math.Min(network.MaxBatchSize, data.Count - start);
            total.Add(network.ComputeLoss(data.InputRows(start, count), data.TargetRows(start, count), count), count);
        }
        return total.Value;
    }

    private float RunEpoch(Dataset training)
    {
        if (_shuffleRandom is not null)
            _shuffleRandom.Shuffle(_order);
        var total = new LossAccumulator(_network.LossReduction);
        for (int start = 0; start < training.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, training.Count - start);
            ReadOnlySpan<float> inputs, targets;
            if (_shuffleRandom is null)
            {
                inputs = training.InputRows(start, count);
                targets = training.TargetRows(start, count);
            }
            else
            {
                Gather(training, start, count);
                inputs = _batchInputs.AsSpan(0, count * training.InputSize);
                targets = _batchTargets.AsSpan(0, count * training.TargetSize);
            }
            total.Add(_network.Backward(inputs, targets, count), count);
            _optimizer.Step(_network);
        }
        return total.Value;
    }

    private void Gather(Dataset training, int start, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int sample = _order[start + i];
            training.InputRows(sample, 1).CopyTo(_batchInputs.AsSpan(i * training.InputSize));
            training.TargetRows(sample, 1).CopyTo(_batchTargets.AsSpan(i * training.TargetSize));
        }
    }

    private static int[] CreateIdentityOrder(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        return order;
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

        public readonly float Value => (float)(reduction == LossReduction.Mean ? _sum / Math.Max(_count, 1) : _sum);
    }
}
