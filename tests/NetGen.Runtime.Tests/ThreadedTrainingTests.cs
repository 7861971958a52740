using System;
using System.Linq;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Data-parallel training: a batch cut into chunks gives bitwise the same parameters on 1, 2, 3 or 4 threads, equals
/// the uncut batch within float rounding and allocates nothing per step, batch normalisations included (their chunks
/// meet to combine the whole batch's statistics).
/// </summary>
[Collection(AllocationCountingCollection.Name)]
public class ThreadedTrainingTests
{
    private const int Samples = 200;
    private const int BatchSize = 40;   // 5 steps an epoch
    private const int Epochs = 10;      // 50 steps
    private const int ChunkSize = 7;    // chunks of 7, 7, 7, 7, 7 and 5: uneven, to test the weights

    /// <summary>A fresh network of the kind, initialised from a fixed seed, and a data set for it.</summary>
    private static (INetwork Network, Func<Trainer, EpochReport> Train) Setup(string kind)
    {
        var random = new SeededRandom(17);
        switch (kind)
        {
            case "dense":
            {
                var network = new ChunkedDense(BatchSize);
                Initializers.HeNormal(network, 5);
                Dataset data = Rows(random, ChunkedDense.InputSize, ChunkedDense.OutputSize, binary: false);
                return (network, trainer => trainer.Train(data, Epochs));
            }
            case "residual":
            {
                var network = new ChunkedResidual(BatchSize);
                Initializers.HeNormal(network, 6);
                Dataset data = Rows(random, ChunkedResidual.InputSize, ChunkedResidual.OutputSize, binary: false);
                return (network, trainer => trainer.Train(data, Epochs));
            }
            case "cnn":
            {
                var network = new ChunkedCnn(BatchSize);
                Initializers.HeNormal(network, 7);
                LabelDataset data = Images(random, ChunkedCnn.InputSize);
                return (network, trainer => trainer.Train(data, Epochs));
            }
            case "batchnorm-cnn":
            {
                var network = new ChunkedBatchNormCnn(BatchSize);
                Initializers.HeNormal(network, 12);
                LabelDataset data = Images(random, ChunkedBatchNormCnn.InputSize);
                return (network, trainer => trainer.Train(data, Epochs));
            }
            case "dropout":
            {
                var network = new ChunkedDropout(BatchSize);
                Initializers.HeNormal(network, 8);
                Dataset data = Rows(random, ChunkedDropout.InputSize, ChunkedDropout.OutputSize, binary: false);
                return (network, trainer => trainer.Train(data, Epochs));
            }
            case "mean-l2":
            {
                var network = new ChunkedMeanL2(BatchSize);
                Initializers.GlorotUniform(network, 10);
                Dataset data = Rows(random, ChunkedMeanL2.InputSize, ChunkedMeanL2.OutputSize, binary: false);
                return (network, trainer => trainer.Train(data, Epochs));
            }
            case "sum-l2":
            {
                var network = new ChunkedSumL2(BatchSize);
                Initializers.GlorotUniform(network, 9);
                Dataset data = Rows(random, ChunkedSumL2.InputSize, ChunkedSumL2.OutputSize, binary: true);
                return (network, trainer => trainer.Train(data, Epochs));
            }
            default:
                throw new ArgumentException(kind);
        }
    }

    /// <summary>
    /// Cut batches on two threads stop as an uncut batch does: tanh(∞) = 1 keeps the loss finite, but ∂L/∂W₁ = δ·∞ is not,
    /// and the reduction's check, made as it writes the gradients, stops the Trainer before the step, parameters untouched.
    /// </summary>
    [Fact]
    public void InfiniteInput_OnTwoThreads_StopsBeforeTheStep()
    {
        var network = new ChunkedDense(BatchSize);
        Initializers.GlorotUniform(network, 4);
        float[] initial = network.Parameters.ToArray();
        Dataset data = Rows(new SeededRandom(4), ChunkedDense.InputSize, ChunkedDense.OutputSize, binary: false);
        data.Inputs[3 * ChunkedDense.InputSize + 5] = float.PositiveInfinity;   // sample 3: chunk 0 of batch 1
        using var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize, Threads = 2, ChunkSize = ChunkSize });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data, 1));
        Assert.Equal((1, 1, DivergedValue.Gradients), (e.Epoch, e.Batch, e.Value));
        Assert.Equal(initial, network.Parameters.ToArray());
    }

    /// <summary>An optimiser whose step makes one parameter −∞ at the step it is told.</summary>
    private sealed class InfinityAtStep(IOptimizer inner, int step, int index) : IOptimizer
    {
        private int _steps;
        public float[]? Before { get; private set; }

        public void Step(INetwork network)
        {
            Before = network.Parameters.ToArray();
            inner.Step(network);
            if (++_steps == step)
                network.Parameters[index] = float.NegativeInfinity;
        }
    }

    /// <summary>The undo copy that the reduction's threads make restores the parameters from just before the failing step.</summary>
    [Fact]
    public void AStepThatMakesAParameterInfinite_OnTwoThreads_IsUndone()
    {
        var network = new ChunkedDense(BatchSize);
        Initializers.GlorotUniform(network, 5);
        Dataset data = Rows(new SeededRandom(5), ChunkedDense.InputSize, ChunkedDense.OutputSize, binary: false);
        var optimizer = new InfinityAtStep(new Sgd(0.05f), step: 3, index: 100);
        using var trainer = new Trainer(network, optimizer, new TrainerOptions { BatchSize = BatchSize, Threads = 2, ChunkSize = ChunkSize });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data, 1));
        Assert.Equal((1, 3, DivergedValue.Parameters), (e.Epoch, e.Batch, e.Value));
        Assert.Equal(optimizer.Before, network.Parameters.ToArray());
    }

    /// <summary>
    /// A built-in optimiser steps on the reduction's threads, slice by slice; a step that overflows a parameter is still
    /// caught and undone (η = 3·10³⁸ makes θ − η·g infinite wherever |g| > 1.2).
    /// </summary>
    [Fact]
    public void AnOverflowingStep_OnTheThreadsSlices_IsUndone()
    {
        var network = new ChunkedDense(BatchSize);
        Initializers.GlorotUniform(network, 6);
        float[] initial = network.Parameters.ToArray();
        Dataset data = Rows(new SeededRandom(6), ChunkedDense.InputSize, ChunkedDense.OutputSize, binary: false);
        for (int i = 0; i < data.Targets.Length; i++)
            data.Targets[i] *= 100f;   // gradients far above 1.2
        using var trainer = new Trainer(network, new Sgd(3e38f), new TrainerOptions { BatchSize = BatchSize, Threads = 2, ChunkSize = ChunkSize });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data, 1));
        Assert.Equal((1, 1, DivergedValue.Parameters), (e.Epoch, e.Batch, e.Value));
        Assert.Equal(initial, network.Parameters.ToArray());
    }

    /// <summary><see cref="Samples"/> standard-normal images of <paramref name="inputSize"/> values, each labelled with one of three classes at random.</summary>
    private static LabelDataset Images(SeededRandom random, int inputSize, int samples = Samples)
    {
        var inputs = new float[samples * inputSize];
        random.FillNormal(inputs);
        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
            labels[i] = random.NextInt(3);
        return new LabelDataset(inputs, labels, inputSize, 3);
    }

    private static Dataset Rows(SeededRandom random, int inputSize, int outputSize, bool binary)
    {
        var inputs = new float[Samples * inputSize];
        random.FillNormal(inputs);
        var targets = new float[Samples * outputSize];
        random.FillNormal(targets);
        if (binary)
            for (int i = 0; i < targets.Length; i++)
                targets[i] = targets[i] > 0 ? 1f : 0f;
        return new Dataset(inputs, targets, inputSize, outputSize);
    }

    /// <summary>The parameters, then the state, after 50 steps (shuffled batches for the CNNs, so the gathering path runs too).</summary>
    private static float[] Train(string kind, int threads, int chunkSize, out Trainer trainer, ulong dropoutSeed = 0, bool seedAfterTrainer = false)
    {
        (INetwork network, Func<Trainer, EpochReport> train) = Setup(kind);
        if (network is ChunkedDropout dropout && !seedAfterTrainer)
            dropout.SeedDropout(dropoutSeed);
        // Adam for the CNN; SGD for the one with batch normalisations, whose convolution and hidden layer have biases
        // that a normalisation cancels: their gradients are rounding noise, which Adam would scale up to whole steps.
        bool cnn = kind.EndsWith("cnn", StringComparison.Ordinal);
        trainer = new Trainer(network, kind == "cnn" ? new Adam(0.01f) : new Sgd(0.05f, momentum: 0.9f),
            new TrainerOptions { BatchSize = BatchSize, Threads = threads, ChunkSize = chunkSize, Shuffle = cnn, ShuffleSeed = 3 });
        if (network is ChunkedDropout late && seedAfterTrainer)
            late.SeedDropout(dropoutSeed);
        using (trainer)
            Assert.True(float.IsFinite(train(trainer).TrainingLoss));
        return [.. network.Parameters, .. network.State];
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("residual")]
    [InlineData("cnn")]
    [InlineData("batchnorm-cnn")]
    [InlineData("sum-l2")]
    public void ChunkedTraining_GivesTheSameBits_OnOneToFourThreads(string kind)
    {
        INetwork fresh = Setup(kind).Network;
        float[] initial = [.. fresh.Parameters, .. fresh.State];
        float[] oneThread = Train(kind, threads: 1, ChunkSize, out Trainer trainer);
        Assert.Equal((ChunkSize, 1), (trainer.ChunkSize, trainer.Threads));
        Assert.NotEqual(initial, oneThread);   // it trained
        for (int threads = 2; threads <= 4; threads++)
        {
            float[] parameters = Train(kind, threads, ChunkSize, out trainer);
            Assert.Equal(threads, trainer.Threads);
            AssertBitwiseEqual(oneThread, parameters, $"{kind}, {threads} threads");
        }
    }

    [Fact]
    public void SeededDropout_RepeatsBitwise_OnOneToFourThreads_AndAnotherSeedDiffers()
    {
        float[] oneThread = Train("dropout", threads: 1, ChunkSize, out _, dropoutSeed: 11);
        for (int threads = 2; threads <= 4; threads++)
            AssertBitwiseEqual(oneThread, Train("dropout", threads, ChunkSize, out _, dropoutSeed: 11), $"{threads} threads");
        Assert.NotEqual(oneThread, Train("dropout", threads: 2, ChunkSize, out _, dropoutSeed: 12));
    }

    [Fact]
    public void DropoutSeed_SetAfterTheTrainerIsMade_ReachesItsReplicas()
    {
        float[] seededFirst = Train("dropout", threads: 1, ChunkSize, out _, dropoutSeed: 11);
        for (int threads = 1; threads <= 4; threads++)
            AssertBitwiseEqual(seededFirst, Train("dropout", threads, ChunkSize, out _, dropoutSeed: 11, seedAfterTrainer: true), $"{threads} threads");
    }

    [Fact]
    public void SeedingAgain_BetweenTrainings_RepeatsTheMasks()
    {
        (INetwork network, Func<Trainer, EpochReport> train) = Setup("dropout");
        var dropout = (ChunkedDropout)network;
        float[] initial = network.Parameters.ToArray();
        using var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize, Threads = 3, ChunkSize = ChunkSize });
        dropout.SeedDropout(21);
        train(trainer);
        float[] first = network.Parameters.ToArray();
        initial.CopyTo(network.Parameters);
        dropout.SeedDropout(21);   // the replicas restart their streams: the same masks as the first training's
        train(trainer);
        AssertBitwiseEqual(first, network.Parameters.ToArray(), "seeded again");
        initial.CopyTo(network.Parameters);
        train(trainer);            // not seeded again: the streams go on, other masks
        Assert.NotEqual(first, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("residual")]
    [InlineData("cnn")]
    [InlineData("batchnorm-cnn")]
    [InlineData("mean-l2")]
    [InlineData("sum-l2")]
    public void ChunkedTraining_EqualsUncutTraining_WithinFloatRounding(string kind)
    {
        float[] uncut = Train(kind, threads: 1, chunkSize: BatchSize, out Trainer trainer);
        Assert.Equal(BatchSize, trainer.ChunkSize);
        float[] chunked = Train(kind, threads: 3, ChunkSize, out _);
        Assert.NotEqual(uncut, chunked);   // not the same operations: equal within rounding, not bitwise
        for (int i = 0; i < uncut.Length; i++)
            Assert.True(Math.Abs(uncut[i] - chunked[i]) <= 1e-4f * (1 + Math.Abs(uncut[i])), $"{kind} parameter {i}: {chunked[i]} vs {uncut[i]}");
    }

    /// <summary>
    /// One step's reduced gradients and loss against one Backward over the whole batch: the weights (chunk ÷ batch for a
    /// mean, 1 for a sum) and the L2 penalty counted once in a sum.
    /// </summary>
    [Theory]
    [InlineData("dense")]
    [InlineData("mean-l2")]
    [InlineData("sum-l2")]
    public void OneChunkedStep_HasTheBatchsGradientsAndLoss(string kind)
    {
        (INetwork reference, _) = Setup(kind);
        var random = new SeededRandom(17);
        Dataset data = Rows(random, reference.InputSize, reference.OutputSize, binary: kind == "sum-l2");
        var batch = new Dataset(data.Inputs.AsSpan(0, BatchSize * data.InputSize).ToArray(), data.Targets.AsSpan(0, BatchSize * data.TargetSize).ToArray(), data.InputSize, data.TargetSize);
        float expectedLoss = reference.Backward(batch.Inputs, batch.Targets, BatchSize);

        (INetwork network, _) = Setup(kind);
        using var trainer = new Trainer(network, new Sgd(1e-30f), new TrainerOptions { BatchSize = BatchSize, Threads = 2, ChunkSize = ChunkSize });
        EpochReport report = trainer.Train(batch, epochs: 1);

        Assert.True(Math.Abs(expectedLoss - report.TrainingLoss) <= 1e-5f * Math.Abs(expectedLoss), $"loss {report.TrainingLoss} vs {expectedLoss}");
        float[] expected = reference.Gradients.ToArray(), actual = network.Gradients.ToArray();
        float scale = 0;
        foreach (float g in expected)
            scale = Math.Max(scale, Math.Abs(g));
        Assert.True(scale > 0);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * scale, $"gradient {i}: {actual[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("batchnorm-cnn")]
    public void ChunkedSteps_AllocateNothing_OnFourThreads(string kind)
    {
        (INetwork network, _) = Setup(kind);
        var random = new SeededRandom(4);
        var inputs = new float[Samples * ChunkedCnn.InputSize];
        random.FillNormal(inputs);
        var labels = new int[Samples];
        var data = new LabelDataset(inputs, labels, ChunkedCnn.InputSize, 3);
        using var trainer = new Trainer(network, new Adam(1e-3f), new TrainerOptions { BatchSize = BatchSize, Threads = 4, ChunkSize = ChunkSize, Shuffle = true });
        Assert.Equal(4, trainer.Threads);
        trainer.Train(data, epochs: 20, validation: data);   // every path compiled, optimiser state allocated
        // Process-wide, since the workers allocate on their own threads; runs of 25 steps, short enough that one of them
        // falls between the test runner's reports even while six threads share two processors.
        Assert.Equal(0, Allocations.InProcess(() => trainer.Train(data, epochs: 5, validation: data)));
    }

    /// <summary>
    /// One step of a network with batch normalisations, cut into chunks (of 7: six of them, the last of 5; of 13: the
    /// last of 1), against one Backward over the whole batch: the loss, every gradient and the running statistics.
    /// </summary>
    [Theory]
    [InlineData(7)]
    [InlineData(13)]
    public void OneChunkedStep_OfABatchNormNetwork_HasTheWholeBatchsGradientsLossAndStatistics(int chunkSize)
    {
        LabelDataset batch = Images(new SeededRandom(31), ChunkedBatchNormCnn.InputSize, BatchSize);
        var reference = new ChunkedBatchNormCnn(BatchSize);
        Initializers.HeNormal(reference, 12);
        float expectedLoss = reference.BackwardOnLabels(batch.Inputs, batch.Labels, BatchSize);

        var network = new ChunkedBatchNormCnn(BatchSize);
        Initializers.HeNormal(network, 12);
        using var trainer = new Trainer(network, new Sgd(1e-30f), new TrainerOptions { BatchSize = BatchSize, Threads = 2, ChunkSize = chunkSize });
        Assert.Equal(chunkSize, trainer.ChunkSize);
        EpochReport report = trainer.Train(batch, epochs: 1);

        Assert.True(Math.Abs(expectedLoss - report.TrainingLoss) <= 1e-5f * Math.Abs(expectedLoss), $"loss {report.TrainingLoss} vs {expectedLoss}");
        float[] expected = reference.Gradients.ToArray(), actual = network.Gradients.ToArray();
        float scale = expected.Max(Math.Abs);
        Assert.True(scale > 0);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * scale, $"gradient {i} ({ParameterName(network, i)}): {actual[i]} vs {expected[i]}");
        for (int i = 0; i < reference.State.Length; i++)
            Assert.True(Math.Abs(reference.State[i] - network.State[i]) <= 1e-5f * (1 + Math.Abs(reference.State[i])), $"state {i}: {network.State[i]} vs {reference.State[i]}");
        Assert.Equal(reference.StateCounts.ToArray(), network.StateCounts.ToArray());
        Assert.Equal([1L, 1L], network.StateCounts.ToArray());
    }

    private static string ParameterName(INetwork network, int index) =>
        network.ParameterTensors.Last(t => t.Offset <= index).Name;

    [Fact]
    public void Evaluate_OnTheWorkers_GivesTheSameBits_OnOneToFourThreads_AndTheUncutLoss()
    {
        (INetwork network, _) = Setup("cnn");
        var random = new SeededRandom(8);
        var inputs = new float[Samples * ChunkedCnn.InputSize];
        random.FillNormal(inputs);
        var labels = new int[Samples];
        for (int i = 0; i < Samples; i++)
            labels[i] = random.NextInt(3);
        var data = new LabelDataset(inputs, labels, ChunkedCnn.InputSize, 3);
        float uncut = Trainer.Evaluate(network, data);   // batches of 40, on this thread
        float? oneThread = null;
        for (int threads = 1; threads <= 4; threads++)
        {
            using var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize, Threads = threads, ChunkSize = ChunkSize });
            float loss = trainer.Evaluate(data);   // 29 pieces of 7 samples
            oneThread ??= loss;
            Assert.Equal(BitConverter.SingleToInt32Bits(oneThread.Value), BitConverter.SingleToInt32Bits(loss));
        }
        Assert.True(Math.Abs(uncut - oneThread!.Value) <= 1e-5f * uncut, $"{oneThread} vs {uncut}");
        Assert.InRange(uncut, 0.5f, 5f);
    }

    /// <summary>
    /// A vector batch normalisation in chunks of 13, 13, 13 and 1: a chunk of one sample has one value per statistic,
    /// which the whole batch's statistics do not mind; the running statistics move once per batch, not once per chunk.
    /// </summary>
    [Fact]
    public void BatchNormNetwork_IsCut_CountsEachBatchOnce_AndGivesTheSameBits_OnOneToFourThreads()
    {
        float[] Run(int threads, int chunkSize, out int chunkSizeUsed, out int threadsUsed)
        {
            var network = new NormalisedPair(BatchSize);
            Initializers.HeNormal(network, 1);
            Dataset data = Rows(new SeededRandom(2), 2, 1, binary: false);
            using var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize, Threads = threads, ChunkSize = chunkSize });
            (chunkSizeUsed, threadsUsed) = (trainer.ChunkSize, trainer.Threads);
            float first = trainer.Train(data, 1).TrainingLoss;
            float last = trainer.Train(data, Epochs).TrainingLoss;
            Assert.True(last < first, $"loss {first} → {last}");
            Assert.Equal((1 + Epochs) * (Samples / BatchSize), network.NBatchesTracked);
            return [.. network.Parameters, .. network.State];
        }

        float[] uncut = Run(1, BatchSize, out _, out _);
        float[] oneThread = Run(1, 13, out int chunkSize, out int used);
        Assert.Equal((13, 1), (chunkSize, used));
        for (int threads = 2; threads <= 4; threads++)
        {
            float[] parameters = Run(threads, 13, out _, out used);
            Assert.Equal(threads, used);
            AssertBitwiseEqual(oneThread, parameters, $"BatchNorm, {threads} threads");
        }
        Assert.NotEqual(uncut, oneThread);
        for (int i = 0; i < uncut.Length; i++)
            Assert.True(Math.Abs(uncut[i] - oneThread[i]) <= 1e-4f * (1 + Math.Abs(uncut[i])), $"value {i}: {oneThread[i]} vs {uncut[i]}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void ThreadsBelowOne_AreRefused(int threads)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(new TinyNetwork(4), new Sgd(0.1f), new TrainerOptions { Threads = threads }));
        Assert.Equal(threads, error.ActualValue);
        Assert.StartsWith("TrainerOptions.Threads must be at least 1 (the calling thread)", error.Message);
    }

    [Fact]
    public void NegativeChunkSize_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(new TinyNetwork(4), new Sgd(0.1f), new TrainerOptions { ChunkSize = -1 }));
        Assert.StartsWith("TrainerOptions.ChunkSize must be 0", error.Message);
    }

    [Fact]
    public void Defaults_CutOnlyNetworksWorthIt()
    {
        Assert.Equal(Math.Min(Environment.ProcessorCount, TrainerOptions.MaxDefaultThreads), new TrainerOptions().Threads);
        // 32 samples of a 13-parameter network: far below the work threshold, uncut, one thread.
        using var small = new Trainer(new TinyNetwork(32), new Sgd(0.1f));
        Assert.Equal((32, 1), (small.ChunkSize, small.Threads));
        // 256 samples of 256 → 512 → 128 (197 248 parameters): 50 M multiply-adds, cut into 4 chunks of 64 (64 samples at least).
        using var wide = new Trainer(new WideNetwork(256), new Sgd(0.1f), new TrainerOptions { Threads = 3 });
        Assert.Equal((64, 3), (wide.ChunkSize, wide.Threads));
        // 64 samples of the same network: one chunk's worth of samples, so uncut and on the calling thread.
        using var narrow = new Trainer(new WideNetwork(64), new Sgd(0.1f), new TrainerOptions { Threads = 3 });
        Assert.Equal((64, 1), (narrow.ChunkSize, narrow.Threads));
    }

    [Fact]
    public void Replica_SharesTheParameters_AndOwnsItsGradients()
    {
        var network = new ChunkedDense(8);
        ChunkedDense replica = network.CreateReplica(4, 2);
        Initializers.HeNormal(network, 1);
        Assert.Equal(network.Parameters.ToArray(), replica.Parameters.ToArray());
        Assert.True(network.Parameters.Overlaps(replica.Parameters));
        Assert.False(network.Gradients.Overlaps(replica.Gradients));
        Assert.Equal(4, replica.MaxBatchSize);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.CreateReplica(4, -1));
        Assert.Equal("chunkIndex", error.ParamName);
    }

    [Fact]
    public void DropoutReplicas_DrawMasksPerChunk_FromTheSourcesSeed()
    {
        float[] Gradients(ulong seed, int chunkIndex)
        {
            var network = new ChunkedDropout(4);
            Initializers.HeNormal(network, 1);
            network.SeedDropout(seed);
            ChunkedDropout replica = network.CreateReplica(4, chunkIndex);
            float[] inputs = [.. new float[24]], targets = new float[8];
            new SeededRandom(3).FillNormal(inputs);
            replica.Backward(inputs, targets, 4);
            return replica.Gradients.ToArray();
        }

        Assert.Equal(Gradients(5, 1), Gradients(5, 1));
        Assert.NotEqual(Gradients(5, 0), Gradients(5, 1));
        Assert.NotEqual(Gradients(5, 1), Gradients(6, 1));
    }

    [Fact]
    public void HandWrittenNetwork_TrainsUncutByDefault_AndRefusesAChunkSize()
    {
        var network = new Wrapped(new WideNetwork(64));
        Assert.Throws<NotSupportedException>(() => ((INetwork)network).CreateReplica(8, 0));
        using var trainer = new Trainer(network, new Sgd(0.1f));   // would be cut: falls back to the whole batch
        Assert.Equal((64, 1), (trainer.ChunkSize, trainer.Threads));
        var error = Assert.Throws<NotSupportedException>(() => new Trainer(network, new Sgd(0.1f), new TrainerOptions { ChunkSize = 16 }));
        Assert.Contains("does not implement INetwork.CreateReplica", error.Message);
    }

    /// <summary>A network written by hand with batch statistics and replicas, but without ShareBatchStatistics: a cut is refused, naming what is missing.</summary>
    [Fact]
    public void HandWrittenNetworkWithBatchStatistics_RefusesAChunkSize_NamingShareBatchStatistics()
    {
        var network = new StatefulWrapped(new NormalisedPair(BatchSize));
        var error = Assert.Throws<NotSupportedException>(() =>
            new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize, ChunkSize = ChunkSize }));
        Assert.Contains("does not implement INetwork.ShareBatchStatistics", error.Message);
        using var uncut = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize });   // too small to cut: trains whole
        Assert.Equal(BatchSize, uncut.ChunkSize);
    }

    [Fact]
    public void DisposedTrainer_RefusesToTrain()
    {
        (INetwork network, Func<Trainer, EpochReport> train) = Setup("dense");
        var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize, ChunkSize = ChunkSize, Threads = 2 });
        trainer.Dispose();
        trainer.Dispose();   // twice is fine
        Assert.Throws<ObjectDisposedException>(() => train(trainer));
    }

    internal static void AssertBitwiseEqual(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: value {i} is {actual[i]:R}, not {expected[i]:R}");
    }

    /// <summary>A network written by hand (here by delegation): INetwork's default CreateReplica.</summary>
    private sealed class Wrapped(INetwork inner) : INetwork
    {
        public int InputSize => inner.InputSize;
        public int OutputSize => inner.OutputSize;
        public int ParameterCount => inner.ParameterCount;
        public int MaxBatchSize => inner.MaxBatchSize;
        public LossReduction LossReduction => inner.LossReduction;
        public Span<float> Parameters => inner.Parameters;
        public Span<float> Gradients => inner.Gradients;
        public System.Collections.Generic.IReadOnlyList<ParameterTensor> ParameterTensors => inner.ParameterTensors;
        public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
        public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) => inner.ComputeLoss(inputs, targets, batchSize);
        public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Span<float> inputGradients = default) =>
            inner.Backward(inputs, targets, batchSize, inputGradients);
    }
}

/// <summary>A network with state written by hand (by delegation): replicas of its own kind, but INetwork's default ShareBatchStatistics.</summary>
internal sealed class StatefulWrapped(INetwork inner) : INetwork
{
    public int InputSize => inner.InputSize;
    public int OutputSize => inner.OutputSize;
    public int ParameterCount => inner.ParameterCount;
    public int MaxBatchSize => inner.MaxBatchSize;
    public int MinTrainingBatchSize => inner.MinTrainingBatchSize;
    public LossReduction LossReduction => inner.LossReduction;
    public Span<float> Parameters => inner.Parameters;
    public Span<float> Gradients => inner.Gradients;
    public Span<float> State => inner.State;
    public Span<long> StateCounts => inner.StateCounts;
    public System.Collections.Generic.IReadOnlyList<StateTensor> StateTensors => inner.StateTensors;
    public System.Collections.Generic.IReadOnlyList<ParameterTensor> ParameterTensors => inner.ParameterTensors;
    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) => inner.ComputeLoss(inputs, targets, batchSize);
    public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Span<float> inputGradients = default) =>
        inner.Backward(inputs, targets, batchSize, inputGradients);
    public INetwork CreateReplica(int maxBatchSize, int chunkIndex) => new StatefulWrapped(inner.CreateReplica(maxBatchSize, chunkIndex));
}

/// <summary>Tests that count the process's allocations run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCountingCollection
{
    public const string Name = "Counts the process's allocations";
}
