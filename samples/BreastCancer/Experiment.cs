using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace NetGen.Samples.BreastCancer;

/// <summary>One optimiser's run to ‖∇L‖ ≤ 1e−5 and the model it found.</summary>
/// <param name="Iterations">Parameter updates made.</param>
/// <param name="Evaluations">Full-batch forward + backward passes.</param>
/// <param name="LossHistory">L after each iteration, L(0) first.</param>
public sealed record Fit(
    string Optimizer,
    float[] Weights,
    float Bias,
    int Iterations,
    int Evaluations,
    TimeSpan Time,
    float Loss,
    double GradientNorm,
    double WeightNorm,
    double TrainingAccuracy,
    double TestAccuracy,
    double TestRocAuc,
    float[] LossHistory,
    BreastCancerModel Model);

/// <summary>
/// Trains problem H on the breast-cancer data with L-BFGS and with gradient descent, from w = 0, b = 0. Each run is
/// deterministic; <see cref="Warmed"/> runs one twice so that its time is not the JIT's.
/// </summary>
public static class Experiment
{
    public const int MaxGradientDescentIterations = 100_000;

    public static Fit TrainWithLbfgs(Dataset training, Dataset test)
    {
        var model = new BreastCancerModel(maxBatchSize: training.Count);
        // PyTorch's defaults (lr = 1, history 100, no line search) with two changes: the max-norm tolerance 1e−5/√31
        // guarantees ‖∇L‖₂ ≤ 1e−5, and toleranceChange = 0 lets only the gradient end the run (the default 1e−9 also
        // bounds |ΔL|, which float losses of about 39 cannot resolve). The strong-Wolfe line search compares float losses
        // too: it stalls at ‖∇L‖ ≈ 8e−3 here, when the decreases it needs fall below L's float resolution (4e−6).
        using var lbfgs = new Lbfgs(BreastCancerModel.ParameterCount, maxIterations: 1000,
            toleranceGrad: (float)(Problem.GradientNormTarget / Math.Sqrt(BreastCancerModel.ParameterCount)),
            toleranceChange: 0f, historySize: 100, lineSearch: LbfgsLineSearch.None);
        var history = new LossHistory(model.ComputeLoss(training.Inputs, training.Targets, training.Count));

        var stopwatch = Stopwatch.StartNew();
        LbfgsReport report = lbfgs.Step(model, training, history);
        stopwatch.Stop();
        if (report.Stop != LbfgsStop.GradientTolerance)
            throw new InvalidOperationException($"L-BFGS stopped before ‖∇L‖ ≤ {Problem.GradientNormTarget}: {report.Stop} after {report.Iterations} iterations.");

        return Finish("L-BFGS", model, training, test, report.Iterations, report.Evaluations, stopwatch.Elapsed, history.Losses.ToArray());
    }

    public static Fit TrainWithGradientDescent(Dataset training, Dataset test)
    {
        var model = new BreastCancerModel(maxBatchSize: training.Count);
        var sgd = new Sgd(Problem.GradientDescentStep);
        var losses = new List<float>();

        // w ← w − η·∇L(w) on the whole training set, until ‖∇L‖₂ ≤ 1e−5.
        var stopwatch = Stopwatch.StartNew();
        int iterations = 0;
        while (true)
        {
            // Backward returns L and writes ∇L in one pass; the step is taken only if ‖∇L‖ is still above the target.
            losses.Add(model.Backward(training.Inputs, training.Targets, training.Count));
            if (Norm(model.Gradients) <= Problem.GradientNormTarget)
                break;
            if (iterations == MaxGradientDescentIterations)
                throw new InvalidOperationException($"Gradient descent did not reach ‖∇L‖ ≤ {Problem.GradientNormTarget} in {iterations} iterations.");
            sgd.Step(model);
            iterations++;
        }
        stopwatch.Stop();

        return Finish("gradient descent", model, training, test, iterations, iterations + 1, stopwatch.Elapsed, losses.ToArray());
    }

    private static Fit Finish(string optimizer, BreastCancerModel model, Dataset training, Dataset test, int iterations, int evaluations,
        TimeSpan time, float[] losses)
    {
        // The gradient at the final parameters, evaluated afresh (a line search's last trial need not be where it stopped).
        float loss = model.Backward(training.Inputs, training.Targets, training.Count);
        double gradientNorm = Norm(model.Gradients);
        float[] trainingScores = Predict(model, training);
        float[] testScores = Predict(model, test);
        return new Fit(optimizer, model.PWeights.ToArray(), model.PBias[0], iterations, evaluations, time, loss, gradientNorm,
            Norm(model.PWeights),
            ClassificationMetrics.BinaryAccuracy(training.Targets, trainingScores),
            ClassificationMetrics.BinaryAccuracy(test.Targets, testScores),
            ClassificationMetrics.RocAuc(test.Targets, testScores),
            losses, model);
    }

    /// <summary>Runs <paramref name="train"/> once to compile its code, then again, and returns the second (identical) fit.</summary>
    public static Fit Warmed(Func<Dataset, Dataset, Fit> train, Dataset training, Dataset test)
    {
        train(training, test);
        return train(training, test);
    }

    /// <summary>p(benign | x) for every row.</summary>
    public static float[] Predict(BreastCancerModel model, Dataset data)
    {
        var scores = new float[data.Count];
        for (int start = 0; start < data.Count; start += model.MaxBatchSize)
        {
            int count = Math.Min(model.MaxBatchSize, data.Count - start);
            model.Forward(data.InputRows(start, count), scores.AsSpan(start, count), count);
        }
        return scores;
    }

    /// <summary>The largest |aᵢ − bᵢ| over the weights and the bias.</summary>
    public static double MaxDifference(Fit a, Fit b)
    {
        double worst = Math.Abs(a.Bias - b.Bias);
        for (int i = 0; i < a.Weights.Length; i++)
            worst = Math.Max(worst, Math.Abs(a.Weights[i] - b.Weights[i]));
        return worst;
    }

    public static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
            sum += (double)v * v;
        return Math.Sqrt(sum);
    }

    /// <summary>Collects L after every L-BFGS iteration.</summary>
    private sealed class LossHistory : IProgress<LbfgsIteration>
    {
        public LossHistory(float initial) => Losses.Add(initial);

        public List<float> Losses { get; } = new(64);

        public void Report(LbfgsIteration value) => Losses.Add(value.Loss);
    }
}
