using System;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// An epoch's last partial batch: refused before the first step when the network cannot train on it (a batch
/// normalisation of a vector and a last batch of one sample), or dropped on request (TrainerOptions.DropLastPartialBatch).
/// </summary>
public class PartialBatchTests
{
    private const int BatchSize = 40;

    private static Dataset Rows(int samples, int inputSize, int outputSize)
    {
        var random = new SeededRandom(12);
        var inputs = new float[samples * inputSize];
        random.FillNormal(inputs);
        var targets = new float[samples * outputSize];
        random.FillNormal(targets);
        return new Dataset(inputs, targets, inputSize, outputSize);
    }

    /// <summary>The first <paramref name="samples"/> rows of a set.</summary>
    private static Dataset Head(Dataset data, int samples) =>
        new(data.Inputs[..(samples * data.InputSize)], data.Targets[..(samples * data.TargetSize)], data.InputSize, data.TargetSize);

    [Fact]
    public void MinTrainingBatchSize_IsTwo_ForAVectorBatchNorm_AndOneOtherwise()
    {
        Assert.Equal(2, NormalisedPair.MinTrainingBatchSize);
        Assert.Equal(2, ((INetwork)new NormalisedPair(4)).MinTrainingBatchSize);
        Assert.Equal(1, ((INetwork)new ChunkedDense(4)).MinTrainingBatchSize);
    }

    [Fact]
    public void VectorBatchNorm_WithALastBatchOfOne_IsRefusedBeforeTheFirstStep()
    {
        var network = new NormalisedPair(BatchSize);
        Initializers.HeNormal(network, 1);
        float[] parameters = network.Parameters.ToArray(), state = network.State.ToArray();
        using var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize });
        var error = Assert.Throws<ArgumentException>(() => trainer.Train(Rows(201, 2, 1), epochs: 1));
        Assert.Equal("training", error.ParamName);
        Assert.StartsWith("The training set's 201 samples in batches of 40 leave a last batch of 1, but this network cannot train on fewer than 2 samples", error.Message);
        Assert.Contains("Set TrainerOptions.DropLastPartialBatch = true", error.Message);
        // Nothing stepped: no half-trained epoch.
        Assert.Equal(parameters, network.Parameters.ToArray());
        Assert.Equal(state, network.State.ToArray());
        Assert.Equal(0, network.NBatchesTracked);
    }

    [Fact]
    public void DropLastPartialBatch_TrainsTheVectorBatchNorm_OnWholeBatchesOnly()
    {
        float[] Run(Dataset data, bool dropLast, out NormalisedPair network)
        {
            network = new NormalisedPair(BatchSize);
            Initializers.HeNormal(network, 1);
            using var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize, DropLastPartialBatch = dropLast });
            Assert.Equal(dropLast, trainer.DropsLastPartialBatch);
            Assert.True(float.IsFinite(trainer.Train(data, epochs: 3).TrainingLoss));
            return [.. network.Parameters, .. network.State];
        }

        Dataset data = Rows(201, 2, 1);
        float[] dropped = Run(data, dropLast: true, out NormalisedPair network);
        Assert.Equal(3 * 5, network.NBatchesTracked);   // 5 whole batches an epoch; the sample left over never trains
        AssertBitwiseEqual(Run(Head(data, 200), dropLast: false, out _), dropped);
    }

    [Fact]
    public void DropLastPartialBatch_SkipsTheShortBatch_OfAnyNetwork()
    {
        float[] Run(Dataset data, bool dropLast)
        {
            var network = new ChunkedDense(BatchSize);
            Initializers.HeNormal(network, 3);
            using var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize, DropLastPartialBatch = dropLast });
            trainer.Train(data, epochs: 2);
            return network.Parameters.ToArray();
        }

        Dataset data = Rows(237, ChunkedDense.InputSize, ChunkedDense.OutputSize);
        AssertBitwiseEqual(Run(Head(data, 200), dropLast: false), Run(data, dropLast: true));
        Assert.NotEqual(Run(data, dropLast: false), Run(data, dropLast: true));   // the 37 left over do train when kept
    }

    [Fact]
    public void DropLastPartialBatch_WithFewerSamplesThanABatch_IsRefused()
    {
        using var trainer = new Trainer(new ChunkedDense(BatchSize), new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize, DropLastPartialBatch = true });
        var error = Assert.Throws<ArgumentException>(() => trainer.Train(Rows(39, ChunkedDense.InputSize, ChunkedDense.OutputSize), epochs: 1));
        Assert.Equal("training", error.ParamName);
        Assert.StartsWith("The training set has 39 samples, fewer than one batch of 40, and TrainerOptions.DropLastPartialBatch drops a partial batch", error.Message);
    }

    private static void AssertBitwiseEqual(float[] expected, float[] actual) =>
        ThreadedTrainingTests.AssertBitwiseEqual(expected, actual, "dropped last batch");
}
