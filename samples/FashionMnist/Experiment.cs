using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace NetGen.Samples.FashionMnist;

/// <summary>A trained model, how its training went, and its scores on the test images.</summary>
public sealed record Result(
    LeNet Model,
    IReadOnlyList<EpochReport> History,
    int BestEpoch,
    float BestValidationLoss,
    bool StoppedEarly,
    TimeSpan Time,
    double ValidationAccuracy,
    double TestAccuracy,
    double TestLogLoss,
    ConfusionMatrix Confusion,
    int[] TestPredictions)
{
    /// <summary>Epochs trained (the last one reported).</summary>
    public int Epochs => History.Count;
}

/// <summary>Adam on shuffled mini-batches of class labels, early stopping on the validation images, then the test scores.</summary>
public static class Experiment
{
    /// <param name="maxEpochs">The most epochs to train; early stopping may end it sooner.</param>
    /// <param name="progress">Told after every epoch, on the training thread.</param>
    public static Result Run(Split split, int maxEpochs, ulong seed = Problem.Seed, IProgress<EpochReport>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        var model = new LeNet(maxBatchSize: Problem.EvaluationBatchSize);
        Initializers.PyTorchLinearDefault(model, seed);   // nn.Conv2d's and nn.Linear's own initialisation
        var trainer = new Trainer(model, new Adam(Problem.LearningRate), new TrainerOptions
        {
            BatchSize = Problem.BatchSize,
            Shuffle = true,
            ShuffleSeed = seed,
            EarlyStopping = new EarlyStopping { Patience = Problem.Patience, RestoreBestParameters = true },
        });

        var history = new List<EpochReport>();
        var stopwatch = Stopwatch.StartNew();
        trainer.Train(split.Learning, maxEpochs, split.Validation, new Recorder(history, progress));
        stopwatch.Stop();

        float[] testProbabilities = Probabilities(model, split.Test);
        var testPredictions = new int[split.Test.Count];
        ClassificationMetrics.ArgMax(testProbabilities, Problem.Classes, testPredictions);
        return new Result(model, history, trainer.BestEpoch, trainer.BestValidationLoss ?? float.NaN, trainer.StoppedEarly, stopwatch.Elapsed,
            ClassificationMetrics.Accuracy(split.Validation.Labels, Predict(model, split.Validation)),
            ClassificationMetrics.Accuracy(split.Test.Labels, testPredictions),
            ClassificationMetrics.LogLoss(split.Test.Labels, testProbabilities, Problem.Classes),
            ConfusionMatrix.FromLabels(split.Test.Labels, testPredictions, Problem.Classes),
            testPredictions);
    }

    /// <summary>The class probabilities of every image, [Count, 10].</summary>
    public static float[] Probabilities(LeNet model, LabelDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var outputs = new float[data.Count * Problem.Classes];
        for (int start = 0; start < data.Count; start += model.MaxBatchSize)
        {
            int count = Math.Min(model.MaxBatchSize, data.Count - start);
            model.Forward(data.InputRows(start, count), outputs.AsSpan(start * Problem.Classes, count * Problem.Classes), count);
        }
        return outputs;
    }

    /// <summary>The most probable class of every image.</summary>
    public static int[] Predict(LeNet model, LabelDataset data)
    {
        var predictions = new int[data.Count];
        ClassificationMetrics.ArgMax(Probabilities(model, data), Problem.Classes, predictions);
        return predictions;
    }

    /// <summary>Keeps every epoch's report and passes it on, synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder(List<EpochReport> history, IProgress<EpochReport>? next) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            history.Add(value);
            next?.Report(value);
        }
    }
}
