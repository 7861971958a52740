using System;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Predict-all: every sample's output in sample order, on the Trainer's threads bitwise as on one, equal to Forward
/// sample by sample, for a set whose size is not a multiple of the batch or the chunk; bad buffers refused clearly.
/// </summary>
[Collection(AllocationCountingCollection.Name)]
public class PredictTests
{
    private const int Samples = 203;    // 5 batches of 40 and one of 3; 29 chunks of 7
    private const int BatchSize = 40;
    private const int ChunkSize = 7;

    private static (ChunkedDense Network, Dataset Data) Setup()
    {
        var network = new ChunkedDense(BatchSize);
        Initializers.HeNormal(network, 5);
        var random = new SeededRandom(9);
        var inputs = new float[Samples * ChunkedDense.InputSize];
        random.FillNormal(inputs);
        return (network, new Dataset(inputs, new float[Samples * ChunkedDense.OutputSize], ChunkedDense.InputSize, ChunkedDense.OutputSize));
    }

    /// <summary>Forward one sample at a time: the reference every prediction must equal.</summary>
    private static float[] OneByOne(INetwork network, Dataset data)
    {
        var outputs = new float[data.Count * network.OutputSize];
        for (int i = 0; i < data.Count; i++)
            network.Forward(data.InputRows(i, 1), outputs.AsSpan(i * network.OutputSize, network.OutputSize), 1);
        return outputs;
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"{what}: output {i} is {actual[i]:R}, not {expected[i]:R}");
    }

    [Fact]
    public void StaticPredict_InBatches_EqualsForwardSampleBySample_IncludingTheShortLastBatch()
    {
        (ChunkedDense network, Dataset data) = Setup();
        float[] expected = OneByOne(network, data);
        var outputs = new float[expected.Length];
        outputs.AsSpan().Fill(float.NaN);   // every row must be written
        Trainer.Predict(network, data, outputs);
        AssertClose(expected, outputs, "data set");
        var fromRows = new float[expected.Length];
        Trainer.Predict(network, data.Inputs, fromRows);
        ThreadedTrainingTests.AssertBitwiseEqual(outputs, fromRows, "input rows");
        Assert.Contains(expected, v => Math.Abs(v) > 0.1f);   // a network that outputs something
    }

    [Fact]
    public void TrainerPredict_GivesTheSameBits_OnOneToFourThreads_InSampleOrder()
    {
        (ChunkedDense network, Dataset data) = Setup();
        float[] expected = OneByOne(network, data);
        float[]? oneThread = null;
        for (int threads = 1; threads <= 4; threads++)
        {
            using var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize, Threads = threads, ChunkSize = ChunkSize });
            Assert.Equal(threads, trainer.Threads);
            var outputs = new float[expected.Length];
            outputs.AsSpan().Fill(float.NaN);
            trainer.Predict(data, outputs);
            AssertClose(expected, outputs, $"{threads} threads");
            oneThread ??= outputs;
            ThreadedTrainingTests.AssertBitwiseEqual(oneThread, outputs, $"{threads} threads");
        }
    }

    [Fact]
    public void TrainerPredict_OfAnUncutTrainer_RunsInBatches()
    {
        (ChunkedDense network, Dataset data) = Setup();
        using var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize });
        Assert.Equal((BatchSize, 1), (trainer.ChunkSize, trainer.Threads));   // a small network: not cut
        var outputs = new float[Samples * ChunkedDense.OutputSize];
        trainer.Predict(data.Inputs, outputs);
        AssertClose(OneByOne(network, data), outputs, "uncut");
    }

    [Fact]
    public void TrainerPredict_AllocatesNothing_OnFourThreads()
    {
        (ChunkedDense network, Dataset data) = Setup();
        using var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize, Threads = 4, ChunkSize = ChunkSize });
        var outputs = new float[Samples * ChunkedDense.OutputSize];
        for (int i = 0; i < 20; i++)
            trainer.Predict(data, outputs);
        Assert.Equal(0, Allocations.InProcess(() =>
        {
            for (int i = 0; i < 20; i++)
                trainer.Predict(data, outputs);
        }));
    }

    [Fact]
    public void OutputsOfTheWrongLength_AreRefused_WithTheLengthNeeded()
    {
        (ChunkedDense network, Dataset data) = Setup();
        using var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = BatchSize, Threads = 2, ChunkSize = ChunkSize });
        foreach (int length in new[] { 0, Samples * 3 - 1, Samples * 3 + 3 })
        {
            var error = Assert.Throws<ArgumentException>(() => trainer.Predict(data, new float[length]));
            Assert.Equal("outputs", error.ParamName);
            Assert.StartsWith($"The outputs hold {length} floats, but 203 samples of 3 outputs each need 609: pass a buffer of samples × OutputSize floats (new float[609]).", error.Message);
            Assert.Throws<ArgumentException>(() => Trainer.Predict(network, data, new float[length]));
        }
    }

    [Fact]
    public void InputsThatAreNotWholeRows_OrAnotherNetworksSet_AreRefused()
    {
        (ChunkedDense network, _) = Setup();
        var partial = Assert.Throws<ArgumentException>(() => Trainer.Predict(network, new float[25], new float[6]));
        Assert.Equal("inputs", partial.ParamName);
        Assert.StartsWith("The inputs hold 25 floats, which is not a whole number of samples (one or more) of the network's 12 inputs each", partial.Message);
        Assert.Throws<ArgumentException>(() => Trainer.Predict(network, ReadOnlySpan<float>.Empty, Span<float>.Empty));
        var other = new Dataset(new float[10], new float[5], 2, 1);
        var wrongSet = Assert.Throws<ArgumentException>(() => Trainer.Predict(network, other, new float[15]));
        Assert.Equal("data", wrongSet.ParamName);
        Assert.StartsWith("The data set's samples have 2 inputs, the network takes 12", wrongSet.Message);
        var trainer = new Trainer(network, new Sgd(0.1f));
        trainer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => trainer.Predict(new float[12], new float[3]));
    }
}
