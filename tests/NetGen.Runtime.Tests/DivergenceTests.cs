using System;
using System.Collections.Generic;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Training never carries a NaN or an infinity on: the trainer stops with a <see cref="TrainingDivergedException"/>
/// naming the epoch and batch, and the parameters are the finite ones from before the failing step.
/// </summary>
public class DivergenceTests
{
    private const int Samples = 32;
    private const int BatchSize = 8;

    private static Dataset Data(ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[Samples * 2];
        var targets = new float[Samples];
        random.FillNormal(inputs);
        random.FillNormal(targets);
        return new Dataset(inputs, targets, 2, 1);
    }

    private static TinyNetwork Network()
    {
        var network = new TinyNetwork(maxBatchSize: BatchSize);
        Initializers.GlorotUniform(network, 3);
        return network;
    }

    /// <summary>Keeps the parameters before and after every step of the optimiser it wraps.</summary>
    private sealed class RecordingOptimizer(IOptimizer inner) : IOptimizer
    {
        public List<float[]> Before { get; } = [];
        public List<float[]> After { get; } = [];

        public void Step(INetwork network)
        {
            Before.Add(network.Parameters.ToArray());
            inner.Step(network);
            After.Add(network.Parameters.ToArray());
        }
    }

    [Fact]
    public void NaNPutIntoTheDataAfterConstruction_StopsAtItsBatch_BeforeTheStep()
    {
        TinyNetwork network = Network();
        Dataset data = Data(1);
        var optimizer = new RecordingOptimizer(new Sgd(0.05f));
        var trainer = new Trainer(network, optimizer, new TrainerOptions { BatchSize = BatchSize });
        // After epoch 1, a target of batch 3 (samples 16–23) becomes NaN.
        var progress = new Progress(report => { if (report.Epoch == 1) data.Targets[19] = float.NaN; });

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data, epochs: 5, progress: progress));
        Assert.Equal((2, 3, DivergedValue.Loss), (e.Epoch, e.Batch, e.Value));
        Assert.StartsWith("Training stopped at epoch 2, batch 3: the batch's loss is NaN. The optimiser did not step: the parameters are as they were before this batch.", e.Message);
        Assert.Equal(4 + 2, optimizer.After.Count);                          // epoch 1's four steps and epoch 2's first two
        Assert.Equal(optimizer.After[^1], network.Parameters.ToArray());
    }

    [Fact]
    public void NaNInput_StopsAtTheFirstBatch_WithTheParametersUntouched()
    {
        TinyNetwork network = Network();
        float[] initial = network.Parameters.ToArray();
        Dataset data = Data(1);
        data.Inputs[3] = float.NaN; // sample 1, batch 1
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize }).Train(data, 1));
        Assert.Equal((1, 1, DivergedValue.Loss), (e.Epoch, e.Batch, e.Value));
        Assert.Equal(initial, network.Parameters.ToArray());
    }

    /// <summary>tanh(∞) = 1 keeps the loss finite, but ∂L/∂W = δ·∞ is not: the loss alone would let it through.</summary>
    [Fact]
    public void InfiniteInput_GivesAFiniteLossAndNonFiniteGradients_AndStopsBeforeTheStep()
    {
        TinyNetwork network = Network();
        float[] initial = network.Parameters.ToArray();
        Dataset data = Data(1);
        data.Inputs[3] = float.PositiveInfinity; // sample 1, value 1
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize }).Train(data, 1));
        Assert.Equal((1, 1, DivergedValue.Gradients), (e.Epoch, e.Batch, e.Value));
        Assert.Matches(@"^Training stopped at epoch 1, batch 1: the loss is finite \([^)]+\) but the gradient of parameter 1 \(Hidden\.weight\[0, 1\]\) is ", e.Message);
        Assert.Equal(initial, network.Parameters.ToArray());
    }

    /// <summary>A network whose backward pass returns a finite loss but writes a NaN gradient, as an overflow inside it would.</summary>
    private sealed class NaNGradientNetwork(INetwork inner, int poisonedStep, int index) : INetwork
    {
        private int _steps;
        public int InputSize => inner.InputSize;
        public int OutputSize => inner.OutputSize;
        public int ParameterCount => inner.ParameterCount;
        public int MaxBatchSize => inner.MaxBatchSize;
        public LossReduction LossReduction => inner.LossReduction;
        public Span<float> Parameters => inner.Parameters;
        public Span<float> Gradients => inner.Gradients;
        public IReadOnlyList<ParameterTensor> ParameterTensors => inner.ParameterTensors;
        public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
        public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) => inner.ComputeLoss(inputs, targets, batchSize);

        public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Span<float> inputGradients = default)
        {
            float loss = inner.Backward(inputs, targets, batchSize, inputGradients);
            if (++_steps == poisonedStep)
                inner.Gradients[index] = float.NaN;
            return loss;
        }
    }

    [Fact]
    public void FiniteLossWithANaNGradient_StopsBeforeTheStep()
    {
        TinyNetwork tiny = Network();
        // TinyNetwork: Hidden.weight [3, 2] at 0, Hidden.bias [3] at 6, Output.weight [1, 3] at 9, Output.bias [1] at 12.
        var network = new NaNGradientNetwork(tiny, poisonedStep: 6, index: 10);
        var optimizer = new RecordingOptimizer(new Adam(0.01f));
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, optimizer, new TrainerOptions { BatchSize = BatchSize }).Train(Data(1), 3));
        Assert.Equal((2, 2, DivergedValue.Gradients), (e.Epoch, e.Batch, e.Value));
        Assert.Matches(@"^Training stopped at epoch 2, batch 2: the loss is finite \([^)]+\) but the gradient of parameter 10 \(Output\.weight\[0, 1\]\) is NaN\. The optimiser did not step", e.Message);
        Assert.Equal(5, optimizer.After.Count);
        Assert.Equal(optimizer.After[^1], tiny.Parameters.ToArray());
    }

    /// <summary>An optimiser whose step writes an infinity into one parameter.</summary>
    private sealed class InfinityOptimizer(int index) : IOptimizer
    {
        public void Step(INetwork network)
        {
            network.Parameters[0] += 1f;
            network.Parameters[index] = float.NegativeInfinity;
        }
    }

    [Fact]
    public void AStepThatMakesAParameterInfinite_IsUndone()
    {
        TinyNetwork network = Network();
        float[] initial = network.Parameters.ToArray();
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, new InfinityOptimizer(7), new TrainerOptions { BatchSize = BatchSize }).Train(Data(1), 1));
        Assert.Equal((1, 1, DivergedValue.Parameters), (e.Epoch, e.Batch, e.Value));
        Assert.StartsWith("Training stopped at epoch 1, batch 1: the optimiser's step made parameter 7 (Hidden.bias[1]) −∞ from finite gradients. The step was undone", e.Message);
        Assert.Equal(initial, network.Parameters.ToArray()); // parameter 0's +1 is undone too
    }

    /// <summary>The issue's case: plain SGD at η = 10⁶ blows the weights up within a few steps.</summary>
    [Fact]
    public void SgdAtAHugeLearningRate_StopsWithFiniteParameters_FromJustBeforeTheFailingStep()
    {
        TinyNetwork network = Network();
        var optimizer = new RecordingOptimizer(new Sgd(1e6f));
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, optimizer, new TrainerOptions { BatchSize = BatchSize }).Train(Data(1), 100));
        float[] parameters = network.Parameters.ToArray();
        Assert.All(parameters, p => Assert.True(float.IsFinite(p)));
        // Stopped before a step (the loss or a gradient): the parameters are those after the last step taken;
        // stopped after one: those from before it.
        Assert.Equal(e.Value == DivergedValue.Parameters ? optimizer.Before[^1] : optimizer.After[^1], parameters);
        Assert.Equal(optimizer.Before.Count, (e.Epoch - 1) * (Samples / BatchSize) + e.Batch - (e.Value == DivergedValue.Parameters ? 0 : 1));
    }

    /// <summary>Huge but finite inputs: the gradients are finite (about 10³⁶) and η·g overflows, so it is the step that fails.</summary>
    [Fact]
    public void SgdStepOverflowing_IsCaughtAfterTheStep_AndUndone()
    {
        var network = new NoBiasNetwork(maxBatchSize: 2);
        Initializers.GlorotUniform(network, 1);
        float[] initial = network.Parameters.ToArray();
        var data = new Dataset([1e18f, -1e18f, 2e18f, 1e18f], [0f, 0f, 0f, 0f], 2, 2);
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, new Sgd(1e6f), new TrainerOptions { BatchSize = 2 }).Train(data, 1));
        Assert.Equal((1, 1, DivergedValue.Parameters), (e.Epoch, e.Batch, e.Value));
        Assert.Equal(initial, network.Parameters.ToArray());
    }

    [Fact]
    public void NonFiniteValidationLoss_StopsAfterTheEpoch()
    {
        TinyNetwork network = Network();
        Dataset validation = Data(2);
        validation.Inputs[0] = float.NaN;
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = BatchSize }).Train(Data(1), 3, validation));
        Assert.Equal((1, 0, DivergedValue.ValidationLoss), (e.Epoch, e.Batch, e.Value));
        Assert.StartsWith("Training stopped after epoch 1: the validation loss is NaN while every parameter is finite.", e.Message);
    }

    private sealed class Progress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
