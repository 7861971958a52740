using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using NetGen.Benchmarks.Comparison;
using NetGen.Samples.BreastCancer;

namespace NetGen.Benchmarks.MlNet;

/// <summary>
/// `dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- mlnet`: samples/BreastCancer's problem trained by
/// NetGen's L-BFGS and by ML.NET's <c>LbfgsLogisticRegression</c>, what a .NET developer would otherwise pick, on the
/// same standardised rows and the same objective.
/// </summary>
/// <remarks>
/// ML.NET's objective, from its source (LbfgsTrainerBase.DifferentiableFunction and
/// LbfgsLogisticRegressionBinaryTrainer.AccumulateOneGradient, Microsoft.ML.StandardTrainers):
/// <code>
/// f(w, b) = (1/W)·[ Σᵢ ωᵢ·ln(1 + e^(−ỹᵢ(wᵀxᵢ + b))) + (L2/2)·‖w‖² ] + (L1/W)·‖w‖₁
/// </code>
/// with ỹ ∈ {−1, 1}, ωᵢ the example weights (1 here) and W = Σ ωᵢ = n: the data term is the natural-log binary
/// cross-entropy summed and then the whole objective, L2 term included, divided by n (a mean), and the bias (its
/// first parameter) is never penalised. Dividing by n does not move the minimiser, so L2 = 2λ and L1 = 0 give exactly
/// NetGen's Σ BCE + λ‖w‖². ML.NET stops when the mean relative improvement of f over the last 5 iterations falls
/// below its OptimizationTolerance (default 1e−7), not on the gradient; here it gets 1e−12 and 10,000 iterations.
/// </remarks>
public static class BreastCancerSideBySide
{
    private const int TimedRuns = 21;

    private sealed class Row
    {
        [VectorType(Problem.Features)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public static int Run(string[] args)
    {
        if (args.Length != 0)
        {
            Console.Error.WriteLine("usage: mlnet (no options)");
            return 2;
        }
        Console.WriteLine("Breast cancer, problem H: NetGen's L-BFGS next to ML.NET's LbfgsLogisticRegression (Microsoft.ML 5.0.1)");
        foreach (string line in Machine.Describe())
            Console.WriteLine(line);
        Console.WriteLine($"load average before the run: {Machine.LoadAverage()}");

        (Dataset training, Dataset test, _) = Problem.Load();
        var ml = new MLContext(seed: 1);
        IDataView trainingView = ml.Data.LoadFromEnumerable(Rows(training));
        IDataView testView = ml.Data.LoadFromEnumerable(Rows(test));
        var options = new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0f,
            L2Regularization = 2 * Problem.Lambda,
            OptimizationTolerance = 1e-12f,
            MaximumNumberOfIterations = 10_000,
            NumberOfThreads = 1,   // NetGen runs on one thread; ML.NET would otherwise split the rows over the cores
        };
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(options);

        TimeSpan netgenTime = Median(() => Experiment.TrainWithLbfgs(training, test), out Fit netgen);
        TimeSpan mlnetTime = Median(() => trainer.Fit(trainingView), out BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> model);

        LinearBinaryModelParameters linear = model.Model.SubModel;
        float[] weights = linear.Weights.ToArray();
        float bias = linear.Bias;
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(testView));

        // NetGen's objective and gradient at ML.NET's solution, and the distance between the two solutions.
        var atMlNet = new BreastCancerModel(maxBatchSize: training.Count);
        weights.CopyTo(atMlNet.PWeights);
        atMlNet.PBias[0] = bias;
        float lossAtMlNet = atMlNet.Backward(training.Inputs, training.Targets, training.Count);
        double gradientAtMlNet = Experiment.Norm(atMlNet.Gradients);
        double largest = Math.Abs(bias - netgen.Bias);
        for (int k = 0; k < weights.Length; k++)
            largest = Math.Max(largest, Math.Abs(weights[k] - netgen.Weights[k]));

        Console.WriteLine();
        Console.WriteLine("objective: NetGen L(w, b) = Σ BCE + λ‖w‖², λ = 1, b free;");
        Console.WriteLine("           ML.NET f(w, b) = (1/n)·[Σ BCE + (L2/2)·‖w‖²], b free (its source: the loss is summed, then everything divided by n),");
        Console.WriteLine($"           so L2Regularization = 2λ = {options.L2Regularization}, L1Regularization = 0: the same minimiser.");
        Console.WriteLine($"training: {training.Count} rows, one thread each; times: median of {TimedRuns} runs after a 1 s warm-up (ML.NET's includes its IDataView pass over the rows).");
        Console.WriteLine();
        Console.WriteLine($"{"",-8} {"time (ms)",9} {"test acc.",9} {"test AUC",8} {"L(w, b)",11} {"‖∇L‖",9} {"‖w‖",8} {"b",8}");
        Console.WriteLine($"{"NetGen",-8} {netgenTime.TotalMilliseconds,9:F3} {netgen.TestAccuracy,9:P2} {netgen.TestRocAuc,8:F4} {netgen.Loss,11:F6} {netgen.GradientNorm,9:E2} {netgen.WeightNorm,8:F5} {netgen.Bias,8:F5}");
        Console.WriteLine($"{"ML.NET",-8} {mlnetTime.TotalMilliseconds,9:F3} {metrics.Accuracy,9:P2} {metrics.AreaUnderRocCurve,8:F4} {lossAtMlNet,11:F6} {gradientAtMlNet,9:E2} {Experiment.Norm(weights),8:F5} {bias,8:F5}");
        Console.WriteLine($"largest |w_ML.NET − w_NetGen| over the 30 weights and the bias: {largest:E2}");
        Console.WriteLine($"load average after the run: {Machine.LoadAverage()}");
        return 0;
    }

    /// <summary>Runs <paramref name="train"/> for about a second to warm the JIT, then <see cref="TimedRuns"/> times, and returns the median time.</summary>
    private static TimeSpan Median<T>(Func<T> train, out T result)
    {
        var warm = Stopwatch.StartNew();
        do
            result = train();
        while (warm.ElapsedMilliseconds < 1000);
        var times = new double[TimedRuns];
        for (int i = 0; i < TimedRuns; i++)
        {
            long start = Stopwatch.GetTimestamp();
            result = train();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return TimeSpan.FromMilliseconds(times[TimedRuns / 2]);
    }

    private static IEnumerable<Row> Rows(Dataset data)
    {
        for (int i = 0; i < data.Count; i++)
            yield return new Row { Features = data.InputRows(i, 1).ToArray(), Label = data.Targets[i] == 1f };
    }
}
