using System;
using NetGen.Samples.LinearRegression;

// Problem J: gradient descent on the squared error converges to the maximum-likelihood (least-squares) weights.
ExperimentResult result = Experiment.Run(seed: 1);

Console.WriteLine($"Problem J: linear regression, N = {Problem.Count}, x = (1, x1, x2, x3), y = w_true·x + ε, ε ~ N(0, {Problem.NoiseStd}²)");
Console.WriteLine($"gradient descent on the mean squared error: {Problem.Steps} full-batch steps, η = {Problem.LearningRate}, from w = 0");
Console.WriteLine();
Console.WriteLine(" step   MSE");
foreach ((int step, float mse) in result.LossHistory)
    Console.WriteLine($"{step,5}   {mse:F6}");
Console.WriteLine($"{Problem.Steps,5}   {result.FinalMse:F6}   (closed form: {result.ClosedFormMse:F6})");
Console.WriteLine();
Console.WriteLine($"{"",-30} {"w0 (intercept)",14}  {"w1",10}  {"w2",10}  {"w3",10}");
Console.WriteLine($"{"true weights",-30} {Row(Array.ConvertAll(Problem.TrueWeights, v => (double)v))}");
Console.WriteLine($"{"closed form (XᵀX)⁻¹Xᵀy",-30} {Row(result.ClosedForm)}");
Console.WriteLine($"{"gradient descent (NetGen)",-30} {Row(Array.ConvertAll(result.Learned, v => (double)v))}");
double worst = 0;
for (int k = 0; k < Problem.Features; k++)
    worst = Math.Max(worst, Math.Abs(result.Learned[k] - result.ClosedForm[k]));
Console.WriteLine($"largest |gradient descent − closed form| = {worst:E2}");

static string Row(double[] w) => $"{w[0],14:F6}  " + string.Join("  ", Array.ConvertAll(w[1..], v => $"{v,10:F6}"));
