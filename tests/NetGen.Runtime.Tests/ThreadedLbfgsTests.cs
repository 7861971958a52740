using System;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>
/// L-BFGS with its full-batch evaluations cut into chunks: bitwise the same result on 1, 2, 3 or 4 threads, the uncut
/// run's minimum within float rounding, sets larger than the network's batch, no allocation per step, clear refusals.
/// </summary>
[Collection(AllocationCountingCollection.Name)]
public class ThreadedLbfgsTests
{
    private const int Samples = 569;    // the breast-cancer set's size
    private const int ChunkSize = 50;   // 11 chunks of 50 and one of 19

    /// <summary>A synthetic breast-cancer-sized problem: 569 rows of 30 standard-normal features, labels from a noisy linear rule.</summary>
    private static Dataset Problem()
    {
        var random = new SeededRandom(31);
        var inputs = new float[Samples * 30];
        random.FillNormal(inputs);
        var weights = new float[30];
        random.FillNormal(weights);
        var noise = new float[Samples];
        random.FillNormal(noise);
        var labels = new float[Samples];
        for (int i = 0; i < Samples; i++)
        {
            float score = 3 * noise[i];   // noisy enough not to be separable
            for (int j = 0; j < 30; j++)
                score += weights[j] * inputs[i * 30 + j];
            labels[i] = score > 0 ? 1f : 0f;
        }
        return new Dataset(inputs, labels, 30, 1);
    }

    private static ChunkedLogistic Network(int maxBatchSize)
    {
        var network = new ChunkedLogistic(maxBatchSize);
        Initializers.GlorotUniform(network, 4);
        return network;
    }

    /// <summary>The parameters and the report after one step of up to 30 strong-Wolfe iterations.</summary>
    private static (float[] Parameters, LbfgsReport Report) Minimise(int threads, int chunkSize, int maxBatchSize = Samples)
    {
        ChunkedLogistic network = Network(maxBatchSize);
        using var lbfgs = new Lbfgs(ChunkedLogistic.ParameterCount, maxIterations: 30, toleranceGrad: 0f, toleranceChange: 0f,
            lineSearch: LbfgsLineSearch.StrongWolfe, threads: threads, chunkSize: chunkSize);
        LbfgsReport report = lbfgs.Step(network, Problem());
        Assert.True(report.Iterations >= 5 && report.Loss < 0.5f * report.InitialLoss, $"{report}");
        return (network.Parameters.ToArray(), report);
    }

    [Fact]
    public void ChunkedEvaluations_GiveTheSameBits_OnOneToFourThreads()
    {
        (float[] one, LbfgsReport oneReport) = Minimise(threads: 1, ChunkSize);
        for (int threads = 2; threads <= 4; threads++)
        {
            (float[] parameters, LbfgsReport report) = Minimise(threads, ChunkSize);
            ThreadedTrainingTests.AssertBitwiseEqual(one, parameters, $"{threads} threads");
            Assert.Equal(oneReport, report);
        }
    }

    [Fact]
    public void ChunkedEvaluations_ReachTheUncutMinimum_WithinFloatRounding()
    {
        (float[] cut, LbfgsReport cutReport) = Minimise(threads: 2, ChunkSize);
        (float[] uncut, LbfgsReport uncutReport) = Minimise(threads: 1, chunkSize: Samples);
        // The same starting loss to rounding, and the same (convex) minimum: the loss drops far from where it started.
        Assert.True(Math.Abs(cutReport.InitialLoss - uncutReport.InitialLoss) <= 1e-5f * uncutReport.InitialLoss, $"{cutReport.InitialLoss} vs {uncutReport.InitialLoss}");
        Assert.True(uncutReport.Loss < 0.5f * uncutReport.InitialLoss, $"{uncutReport.InitialLoss} → {uncutReport.Loss}");
        Assert.True(Math.Abs(cutReport.Loss - uncutReport.Loss) <= 1e-4f * uncutReport.Loss, $"{cutReport.Loss} vs {uncutReport.Loss}");
        for (int i = 0; i < cut.Length; i++)
            Assert.True(Math.Abs(cut[i] - uncut[i]) <= 2e-3f * (1 + Math.Abs(uncut[i])), $"parameter {i}: {cut[i]} vs {uncut[i]}");
    }

    [Fact]
    public void OneChunkedEvaluation_HasTheWholeSetsLossAndGradient()
    {
        Dataset data = Problem();
        ChunkedLogistic whole = Network(Samples);
        float loss = whole.Backward(data.Inputs, data.Targets, Samples);
        ChunkedLogistic network = Network(Samples);
        // One iteration without a line search evaluates once, at the starting parameters, and does not evaluate again.
        using var lbfgs = new Lbfgs(ChunkedLogistic.ParameterCount, maxIterations: 1, threads: 3, chunkSize: ChunkSize);
        Assert.Equal(1, lbfgs.Step(network, data).Evaluations);
        Assert.Equal(1, lbfgs.TotalEvaluations);
        float[] expected = whole.Gradients.ToArray(), actual = network.Gradients.ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"gradient {i}: {actual[i]} vs {expected[i]}");
        Assert.InRange(loss, 100f, 2000f);   // a sum over 569 rows of O(1) cross-entropies
    }

    [Fact]
    public void ChunkedEvaluations_TakeASetLargerThanTheNetworksBatch_WithTheSameBits()
    {
        (float[] large, _) = Minimise(threads: 2, ChunkSize, maxBatchSize: Samples);
        (float[] small, _) = Minimise(threads: 2, ChunkSize, maxBatchSize: 1);   // only the replicas hold chunks
        ThreadedTrainingTests.AssertBitwiseEqual(large, small, "a network of MaxBatchSize 1");
    }

    [Fact]
    public void ChunkedSteps_AllocateNothing_OnFourThreads()
    {
        ChunkedLogistic network = Network(1);
        Dataset data = Problem();
        using var lbfgs = new Lbfgs(ChunkedLogistic.ParameterCount, maxIterations: 5, toleranceGrad: 0f, toleranceChange: 0f,
            lineSearch: LbfgsLineSearch.StrongWolfe, threads: 4, chunkSize: ChunkSize);
        for (int i = 0; i < 20; i++)
            lbfgs.Step(network, data);   // replicas and workers made, every path compiled
        // Process-wide: the workers allocate on their own threads.
        Assert.Equal(0, Allocations.InProcess(() =>
        {
            for (int i = 0; i < 10; i++)
                lbfgs.Step(network, data);
        }));
    }

    [Fact]
    public void SmallProblems_AreNotCutByDefault_AndAnUncutSetMustFitTheNetwork()
    {
        // 569 samples × 31 multiply-adds: far below a chunk's worth of work, so evaluated whole, as PyTorch's LBFGS does.
        ChunkedLogistic network = Network(100);
        using var lbfgs = new Lbfgs(ChunkedLogistic.ParameterCount, threads: 4);
        var error = Assert.Throws<ArgumentException>(() => lbfgs.Step(network, Problem()));
        Assert.Equal("data", error.ParamName);
        Assert.Contains("569 samples, but the network's MaxBatchSize is 100", error.Message);
        Assert.Contains("or cut the evaluation into chunks (the chunkSize argument)", error.Message);
    }

    /// <summary>
    /// A network with a batch normalisation, its evaluations cut into chunks of 13 (the last of 8): the chunks meet to
    /// combine the whole set's statistics, and the result, running statistics included, is bitwise the same on 1 to 4 threads.
    /// </summary>
    [Fact]
    public void BatchNormNetwork_IsCut_AndGivesTheSameBits_OnOneToFourThreads()
    {
        var random = new SeededRandom(5);
        var inputs = new float[60 * 2];
        random.FillNormal(inputs);
        var targets = new float[60];
        for (int i = 0; i < 60; i++)
            targets[i] = 3 * inputs[2 * i] - inputs[2 * i + 1] + 10;
        var set = new Dataset(inputs, targets, 2, 1);
        float[]? first = null;
        for (int threads = 1; threads <= 4; threads++)
        {
            var network = new NormalisedPair(13);
            Initializers.HeNormal(network, 3);
            using var lbfgs = new Lbfgs(NormalisedPair.ParameterCount, maxIterations: 20, threads: threads, chunkSize: 13);
            LbfgsReport report = lbfgs.Step(network, set);
            Assert.True(report.Loss < 0.01f * report.InitialLoss, $"{report}");
            float[] result = [.. network.Parameters, .. network.State, network.NBatchesTracked];
            first ??= result;
            ThreadedTrainingTests.AssertBitwiseEqual(first, result, $"{threads} threads");
        }
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        var threads = Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs(3, threads: 0));
        Assert.Equal("threads", threads.ParamName);
        Assert.StartsWith("threads must be at least 1 (the calling thread)", threads.Message);
        var chunk = Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs(3, chunkSize: -1));
        Assert.Equal("chunkSize", chunk.ParamName);

        var disposed = new Lbfgs(ChunkedLogistic.ParameterCount, chunkSize: ChunkSize);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposed.Step(Network(1), Problem()));
    }
}
