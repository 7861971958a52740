using System;
using System.Diagnostics;

namespace NetGen.Samples.Waveforms;

/// <summary>A trained model, how its training went, and its scores on the held-out test signals.</summary>
public sealed record Result(
    WaveformNet Model,
    int Epochs,
    int BestEpoch,
    float BestValidationLoss,
    bool StoppedEarly,
    TimeSpan Time,
    double ValidationAccuracy,
    double TestAccuracy,
    ConfusionMatrix Confusion,
    int[] TestPredictions);

/// <summary>Adam on shuffled mini-batches of class labels, early stopping on the validation signals, then the test scores.</summary>
public static class Experiment
{
    public static Result Run(Split split, ulong seed = Problem.Seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        var model = new WaveformNet(maxBatchSize: 250);
        Initializers.PyTorchLinearDefault(model, seed);   // nn.Conv1d's and nn.Linear's own initialisation
        var trainer = new Trainer(model, new Adam(Problem.LearningRate), new TrainerOptions
        {
            BatchSize = Problem.BatchSize,
            Shuffle = true,
            ShuffleSeed = seed,
            EarlyStopping = new EarlyStopping { Patience = Problem.Patience, RestoreBestParameters = true },
        });

        var stopwatch = Stopwatch.StartNew();
        EpochReport last = trainer.Train(split.Training, Problem.MaxEpochs, split.Validation);
        stopwatch.Stop();

        int[] testPredictions = Predict(model, split.Test);
        return new Result(model, last.Epoch, trainer.BestEpoch, trainer.BestValidationLoss ?? float.NaN, trainer.StoppedEarly, stopwatch.Elapsed,
            ClassificationMetrics.Accuracy(split.Validation.Labels, Predict(model, split.Validation)),
            ClassificationMetrics.Accuracy(split.Test.Labels, testPredictions),
            ConfusionMatrix.FromLabels(split.Test.Labels, testPredictions, Problem.Classes),
            testPredictions);
    }

    /// <summary>The most probable shape of every signal.</summary>
    public static int[] Predict(WaveformNet model, LabelDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var outputs = new float[data.Count * Problem.Classes];
        for (int start = 0; start < data.Count; start += model.MaxBatchSize)
        {
            int count = Math.Min(model.MaxBatchSize, data.Count - start);
            model.Forward(data.InputRows(start, count), outputs.AsSpan(start * Problem.Classes, count * Problem.Classes), count);
        }
        var predictions = new int[data.Count];
        ClassificationMetrics.ArgMax(outputs, Problem.Classes, predictions);
        return predictions;
    }
}
