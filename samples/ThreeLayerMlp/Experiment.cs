using System;
using System.Diagnostics;

namespace NetGen.Samples.ThreeLayerMlp;

/// <summary>What one run of problem A (or B) produced.</summary>
public sealed record ExperimentResult(
    ThreeLayerMlp Network,
    Dataset Training,
    Dataset Validation,
    float TrainingMse,
    float ValidationMse,
    double ValidationVariance,
    TimeSpan TrainingTime,
    EpochReport[] History);

/// <summary>Problem A end to end: data, the seed initialisation, SGD with mini-batches, evaluation.</summary>
public static class Experiment
{
    public static ExperimentResult Run(ulong seed, float noise = 0f, int epochs = Problem.Epochs, IProgress<EpochReport>? progress = null)
    {
        var random = new SeededRandom(seed);
        Dataset training = Problem.MakeData(Problem.TrainingCount, random, noise);
        // Validation measures how well f_true is learned, so its targets carry no noise.
        Dataset validation = Problem.MakeData(Problem.ValidationCount, random);

        var network = new ThreeLayerMlp(maxBatchSize: Problem.BatchSize);
        Initializers.NormalWeightsConstantBias(network, seed + 1, weightStd: 1f, bias: Problem.InitialBias);
        var trainer = new Trainer(network, new Sgd(Problem.LearningRate), new TrainerOptions { BatchSize = Problem.BatchSize });

        var history = new EpochReport[epochs];
        var recorder = new HistoryRecorder(history, progress);
        var stopwatch = Stopwatch.StartNew();
        trainer.Train(training, epochs, validation, recorder);
        stopwatch.Stop();

        return new ExperimentResult(network, training, validation,
            trainer.Evaluate(training), trainer.Evaluate(validation), Problem.TargetVariance(validation),
            stopwatch.Elapsed, history);
    }

    /// <summary>Keeps every epoch's report and passes it on, synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class HistoryRecorder(EpochReport[] history, IProgress<EpochReport>? next) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            history[value.Epoch - 1] = value;
            next?.Report(value);
        }
    }
}
