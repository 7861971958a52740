using System.Collections.Generic;

namespace NetGen.Samples.LinearRegression;

/// <summary>What one run of problem J produced.</summary>
/// <param name="LossHistory">(step, mean squared error before that step).</param>
public sealed record ExperimentResult(
    Dataset Data,
    double[] ClosedForm,
    float[] Learned,
    float FinalMse,
    double ClosedFormMse,
    IReadOnlyList<(int Step, float Mse)> LossHistory);

/// <summary>Problem J end to end: full-batch gradient descent on the squared error, and the closed form to compare with.</summary>
public static class Experiment
{
    public static ExperimentResult Run(ulong seed = 1, int steps = Problem.Steps)
    {
        Dataset data = Problem.MakeData(new SeededRandom(seed));
        double[] closedForm = LeastSquares.Solve(data.Inputs, data.Targets, Problem.Features);

        // Gradient descent from w = 0: each step is one Backward over all N samples and w ← w − η·∂L/∂w.
        var model = new LinearModel(maxBatchSize: Problem.Count);
        var gradientDescent = new Sgd(Problem.LearningRate);
        var history = new List<(int, float)>();
        for (int step = 0; step < steps; step++)
        {
            float mse = model.Backward(data.Inputs, data.Targets, Problem.Count);
            if (IsReported(step))
                history.Add((step, mse));
            gradientDescent.Step(model);
        }

        return new ExperimentResult(data, closedForm, model.YWeights.ToArray(),
            model.ComputeLoss(data.Inputs, data.Targets, Problem.Count), MeanSquaredError(data, closedForm), history);
    }

    private static bool IsReported(int step) => step is 0 or 1 or 2 or 5 or 10 or 20 or 50 or 100 or 200;

    /// <summary>The MSE of a weight vector, in double.</summary>
    public static double MeanSquaredError(Dataset data, double[] w)
    {
        double sum = 0;
        for (int n = 0; n < data.Count; n++)
        {
            double prediction = 0;
            for (int k = 0; k < w.Length; k++)
                prediction += w[k] * data.Inputs[n * w.Length + k];
            double error = prediction - data.Targets[n];
            sum += error * error;
        }
        return sum / data.Count;
    }
}
