using System;
using System.Diagnostics;

namespace NetGen.Samples.Digits;

/// <summary>A trained model and its scores on the test rows.</summary>
public sealed record Result(
    DigitsMlp Model,
    int Epochs,
    int BestEpoch,
    float BestValidationLoss,
    bool StoppedEarly,
    TimeSpan Time,
    double ValidationAccuracy,
    double TestAccuracy,
    double TestLogLoss,
    ConfusionMatrix Confusion,
    int[] TestPredictions);

/// <summary>Adam on shuffled mini-batches with early stopping on the validation rows, then the test scores.</summary>
public static class Experiment
{
    public static Result Run(Split split, ulong seed = Problem.Seed)
    {
        var model = new DigitsMlp(maxBatchSize: 512);
        Initializers.HeNormal(model, seed);
        var trainer = new Trainer(model, new Adam(Problem.LearningRate), new TrainerOptions
        {
            BatchSize = Problem.BatchSize,
            Shuffle = true,
            ShuffleSeed = seed,
            EarlyStopping = new EarlyStopping { Patience = Problem.Patience, RestoreBestParameters = true },
        });

        var stopwatch = Stopwatch.StartNew();
        EpochReport last = trainer.Train(split.Learning, Problem.MaxEpochs, split.Validation);
        stopwatch.Stop();

        int[] validationPredictions = Predict(model, split.Validation);
        int[] testPredictions = Predict(model, split.Test);
        float[] testProbabilities = Probabilities(model, split.Test);
        return new Result(model, last.Epoch, trainer.BestEpoch, trainer.BestValidationLoss ?? float.NaN, trainer.StoppedEarly, stopwatch.Elapsed,
            ClassificationMetrics.Accuracy(split.ValidationLabels, validationPredictions),
            ClassificationMetrics.Accuracy(split.TestLabels, testPredictions),
            ClassificationMetrics.LogLoss(split.TestLabels, testProbabilities, Problem.Classes),
            ConfusionMatrix.FromLabels(split.TestLabels, testPredictions, Problem.Classes),
            testPredictions);
    }

    /// <summary>The class probabilities of every row, [Count, 10].</summary>
    public static float[] Probabilities(DigitsMlp model, Dataset data)
    {
        var outputs = new float[data.Count * Problem.Classes];
        for (int start = 0; start < data.Count; start += model.MaxBatchSize)
        {
            int count = Math.Min(model.MaxBatchSize, data.Count - start);
            model.Forward(data.InputRows(start, count), outputs.AsSpan(start * Problem.Classes, count * Problem.Classes), count);
        }
        return outputs;
    }

    /// <summary>The most probable class of every row.</summary>
    public static int[] Predict(DigitsMlp model, Dataset data)
    {
        var predictions = new int[data.Count];
        ClassificationMetrics.ArgMax(Probabilities(model, data), Problem.Classes, predictions);
        return predictions;
    }
}
