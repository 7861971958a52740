using System;
using System.Collections.Generic;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>Two features read straight from the input and normalised: small enough to work its running statistics by hand.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class BatchNormPair
{
    [Input(2)] public partial Node X { get; }
    [BatchNorm] public partial Node N { get; }
    [Dense(1)] public partial Node Y { get; }
}

/// <summary>
/// Batch normalisation in networks: gradients against finite differences of the training loss, both passes against
/// PyTorch's definition, the running statistics worked by hand, its state apart from the parameters, and a CNN that learns.
/// </summary>
public class BatchNormTests
{
    public static IEnumerable<object[]> GradientCases()
    {
        foreach (string name in new[] { "batch-norm-vector", "batch-norm-signal", "batch-norm-image", "batch-norm-one-channel" })
            foreach (int batch in new[] { 2, 3, 8, 13 })
                yield return [name, batch];
    }

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Backward_MatchesFiniteDifferencesOfTheTrainingLoss(string name, int batch)
    {
        INetwork network = GradientTests.Create(name, batch, (ulong)batch);
        float[] inputs = TestData.Normal(batch * network.InputSize, (ulong)batch + 100);
        float[] targets = TestData.Normal(batch * network.OutputSize, (ulong)batch + 200);
        float[] state = network.State.ToArray();

        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, batch);

        Assert.Equal(network.ParameterCount + inputs.Length, result.Checked);
        Assert.True(result.Passed, result.ToString());
        // The check puts back the state its training passes moved.
        Assert.Equal(state, network.State.ToArray());
        Assert.Equal(0, network.StateCounts[0]);
    }

    [Fact]
    public void RunningStatistics_MoveAsPyTorchsOverSeveralSteps_WorkedByHand()
    {
        var network = new BatchNormPair(3);
        Initializers.XavierNormal(network, 1);   // γ = 1, β = 0

        // Samples (1, 2) and (3, 6): feature 0 has mean 2, biased variance 1, unbiased 2; feature 1 mean 4, variances 4 and 8.
        network.Backward([1f, 2f, 3f, 6f], [0f, 0f], 2);
        AssertState(network, [0.2f, 0.4f], [1.1f, 1.7f], 1);
        // x̂ = (x − μ)/√(σ² + ε): ±1/√(1 + ε) for feature 0, ±2/√(4 + ε) for feature 1.
        float first = 1f / MathF.Sqrt(1f + 1e-5f), second = 2f / MathF.Sqrt(4f + 1e-5f);
        Assert.Equal([-first, -second, first, second], network.N.Values.ToArray(), new Tolerance(1e-6));

        network.Backward([1f, 2f, 3f, 6f], [0f, 0f], 2);
        AssertState(network, [0.38f, 0.76f], [1.19f, 2.33f], 2);

        // (0, 1), (1, 1), (2, 4): means 1 and 2, unbiased variances 1 and 3.
        network.Backward([0f, 1f, 1f, 1f, 2f, 4f], [0f, 0f, 0f], 3);
        AssertState(network, [0.442f, 0.884f], [1.171f, 2.397f], 3);

        // Evaluation normalises with those, whatever the batch.
        var output = new float[1];
        network.Forward([1f, 2f], output);
        float[] normalized = network.N.Values.ToArray();
        Assert.Equal((1 - 0.442) / Math.Sqrt(1.171 + 1e-5), normalized[0], 5);
        Assert.Equal((2 - 0.884) / Math.Sqrt(2.397 + 1e-5), normalized[1], 5);
        AssertState(network, [0.442f, 0.884f], [1.171f, 2.397f], 3);
    }

    private static void AssertState(BatchNormPair network, float[] mean, float[] variance, long tracked)
    {
        Assert.Equal(mean, network.NRunningMean.ToArray(), new Tolerance(1e-6));
        Assert.Equal(variance, network.NRunningVariance.ToArray(), new Tolerance(1e-6));
        Assert.Equal(tracked, network.NBatchesTracked);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(13)]
    public void BothPasses_MatchTheDefinition_PerChannelOverTheBatchAndTheImage(int batch)
    {
        var network = TestData.Network(b => new BatchNormImage(b), 13, 5, std: 0.3);
        float[] inputs = TestData.Normal(batch * BatchNormImage.InputSize, 6);
        network.Backward(inputs, new float[batch * 2], batch);

        // Training: each of the 5 channels over the batch and its 7 × 9 values, biased variance; momentum 0.5 from (0, 1).
        float[] c = network.C.Values.ToArray(), normalized = network.N.Values.ToArray();
        float[] gamma = network.NWeights.ToArray(), beta = network.NBias.ToArray();
        for (int channel = 0; channel < 5; channel++)
        {
            double[] values = Enumerable.Range(0, batch).SelectMany(n => c.Skip((n * 5 + channel) * 63).Take(63)).Select(v => (double)v).ToArray();
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            Assert.Equal(0.5 * mean, network.NRunningMean[channel], 5);
            Assert.Equal(0.5 + 0.5 * variance * values.Length / (values.Length - 1), network.NRunningVariance[channel], 5);
            for (int n = 0; n < batch; n++)
                for (int i = 0; i < 63; i++)
                {
                    int at = (n * 5 + channel) * 63 + i;
                    Close((c[at] - mean) / Math.Sqrt(variance + 1e-5) * gamma[channel] + beta[channel], normalized[at]);
                }
        }

        // Evaluation: the running statistics, for any batch (one sample here).
        var output = new float[2];
        network.Forward(inputs.AsSpan(0, BatchNormImage.InputSize), output);
        c = network.C.Values.ToArray();
        normalized = network.N.Values.ToArray();
        for (int at = 0; at < c.Length; at++)
        {
            int channel = at / 63;
            double expected = (c[at] - network.NRunningMean[channel]) / Math.Sqrt(network.NRunningVariance[channel] + 1e-5) * gamma[channel] + beta[channel];
            Close(expected, normalized[at]);
        }
    }

    [Fact]
    public void TrainingOnOneSample_OfAVectorNode_Throws_AndChangesNothing()
    {
        var network = TestData.Network(b => new BatchNormVector(b), 4, 1);
        float[] state = network.State.ToArray();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.Backward(new float[5], new float[3], 1));
        Assert.Contains("'N0' is a BatchNorm over each value of a vector", error.Message);
        Assert.Contains("Expected more than 1 value per channel when training", error.Message);
        Assert.Equal(state, network.State.ToArray());
        Assert.Equal(0, network.N0BatchesTracked);

        // Evaluation takes one sample, and a shaped node has values enough in one sample to train on.
        network.Forward(new float[5], new float[3], 1);
        var signal = TestData.Network(b => new BatchNormSignal(b), 1, 1, std: 0.3);
        Assert.True(float.IsFinite(signal.Backward(TestData.Normal(BatchNormSignal.InputSize, 2), [0f, 1f], 1)));
        Assert.Equal(1, signal.NBatchesTracked);
    }

    [Fact]
    public void State_IsNotAParameter_AndNoOptimiserTouchesIt()
    {
        var network = TestData.Network(b => new BatchNormImage(b), 4, 1, std: 0.3);
        Assert.Equal(2 * 5 * 9 + 5 + 5 + 5 + 2 * 315 + 2, BatchNormImage.ParameterCount);
        Assert.Equal(["C.weight", "C.bias", "N.weight", "N.bias", "Y.weight", "Y.bias"], network.ParameterTensors.Select(t => t.Name));
        Assert.Equal(["N.running_mean [5] 0", "N.running_var [5] 5", "N.num_batches_tracked [] 0"], network.StateTensors.Select(t => $"{t.Name} {t.Shape} {t.Offset}"));
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f], network.State.ToArray());

        float[] inputs = TestData.Normal(4 * BatchNormImage.InputSize, 2), targets = TestData.Normal(8, 3);
        network.Backward(inputs, targets, 4);
        float[] state = network.State.ToArray();
        foreach (IOptimizer optimizer in new IOptimizer[] { new Sgd(0.1f, momentum: 0.9f, weightDecay: 0.1f), new Adam(0.1f), new AdamW(0.1f) })
            optimizer.Step(network);
        Assert.Equal(state, network.State.ToArray());
        Assert.Equal(1, network.NBatchesTracked);

        // Initialisers make the state fresh, as PyTorch's reset_parameters.
        Initializers.HeNormal(network, 1);
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f], network.State.ToArray());
        Assert.Equal(0, network.NBatchesTracked);
        Assert.All(network.NWeights.ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Cnn_WithBatchNorm_Learns()
    {
        // Three classes of noisy 8 × 8 two-channel images: a bar across channel 0, a bar down channel 0, a bar across channel 1.
        const int count = 192;
        var random = new SeededRandom(4);
        float[] images = new float[count * BatchNormCnn.InputSize];
        random.FillNormal(images, 0, 0.3);
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % 3;
            int at = 1 + n / 3 % 6;
            for (int k = 0; k < 8; k++)
                images[n * BatchNormCnn.InputSize + (labels[n] == 2 ? 64 : 0) + (labels[n] == 1 ? k * 8 + at : at * 8 + k)] += 1.5f;
        }
        var training = new LabelDataset(images[..(160 * BatchNormCnn.InputSize)], labels[..160], BatchNormCnn.InputSize, 3);
        var test = new LabelDataset(images[(160 * BatchNormCnn.InputSize)..], labels[160..], BatchNormCnn.InputSize, 3);
        var network = new BatchNormCnn(32);
        Initializers.PyTorchLinearDefault(network, 2);
        var trainer = new Trainer(network, new Adam(1e-2f), new TrainerOptions { BatchSize = 16, Shuffle = true, ShuffleSeed = 3 });

        float before = trainer.Evaluate(training);
        trainer.Train(training, epochs: 15);
        float after = trainer.Evaluate(training);

        Assert.True(after < 0.25f * before, $"loss {before} → {after}");
        Assert.Equal(15 * 10, network.N1BatchesTracked);
        var probabilities = new float[32 * 3];
        var predicted = new int[32];
        network.Forward(test.Inputs, probabilities, 32);
        ClassificationMetrics.ArgMax(probabilities, 3, predicted);
        Assert.True(ClassificationMetrics.Accuracy(test.Labels, predicted) > 0.9, $"test accuracy {ClassificationMetrics.Accuracy(test.Labels, predicted)}");
    }

    [Fact]
    public void EarlyStopping_RestoresTheBestEpochsRunningStatistics_WithItsParameters()
    {
        // Noise to fit: the validation loss is best early and worsens while the training loss falls, so early stopping
        // ends the run and puts back the best epoch, whose running statistics must come back with its parameters.
        const int count = 96, features = BatchNormVector.InputSize, outputs = BatchNormVector.OutputSize;
        float[] x = TestData.Normal(count * features, 21), y = TestData.Normal(count * outputs, 22);
        var training = new Dataset(x[..(64 * features)], y[..(64 * outputs)], features, outputs);
        var validation = new Dataset(x[(64 * features)..], y[(64 * outputs)..], features, outputs);
        var network = new BatchNormVector(16);
        Initializers.PyTorchLinearDefault(network, 3);
        var epochs = new List<(float[] Parameters, float[] State, long[] Counts)>();
        var trainer = new Trainer(network, new Adam(0.05f), new TrainerOptions { BatchSize = 16, EarlyStopping = new EarlyStopping { Patience = 3 } });

        trainer.Train(training, epochs: 40, validation, new Snapshots(network, epochs));

        Assert.True(trainer.StoppedEarly, "the noise should stop the run early");
        Assert.True(trainer.BestEpoch < epochs.Count, $"best epoch {trainer.BestEpoch} of {epochs.Count}");
        var best = epochs[trainer.BestEpoch - 1];
        var last = epochs[^1];
        Assert.NotEqual(best.State, last.State); // else the test could not tell a restore from no restore
        Assert.Equal(best.Parameters, network.Parameters.ToArray());
        Assert.Equal(best.State, network.State.ToArray());
        Assert.Equal(best.Counts, network.StateCounts.ToArray());
    }

    /// <summary>Copies the parameters and state after each epoch (the Trainer reports on its own thread, synchronously).</summary>
    private sealed class Snapshots(INetwork network, List<(float[], float[], long[])> epochs) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => epochs.Add((network.Parameters.ToArray(), network.State.ToArray(), network.StateCounts.ToArray()));
    }

    private static void Close(double expected, float actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 + 1e-5 * Math.Abs(expected), $"{actual} vs {expected}");

    /// <summary>Floats equal within an absolute tolerance, for Assert.Equal on arrays.</summary>
    private sealed class Tolerance(double tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}
