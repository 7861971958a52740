using System;
using NetGen.Samples.ResidualNetwork;

// Problem K: train the residual network, then check its backward pass against the closed forms (a) and (b).
Console.WriteLine($"Problem K: z = σ(W0·x) [{Problem.M}], h = x + σ(W1·z) [{Problem.D}], g = σ(w2·h), L = ½ Σ (g − y)², no biases; " +
    $"{ResidualNetwork.ParameterCount} parameters");
Console.WriteLine($"data: two classes, x ~ N(±½·1, I) in R^{Problem.D}; {Problem.TrainingCount} training, {Problem.TestCount} test samples");
Console.WriteLine($"training: full-batch gradient descent, η = {Problem.LearningRate}, {Problem.Epochs} steps, Xavier-initialised weights");

ExperimentResult result = Experiment.Run(seed: 1);
Console.WriteLine();
Console.WriteLine($"before training: L = {result.LossBefore:F4}, training accuracy {result.AccuracyBefore:P1}");
Console.WriteLine($"after training:  L = {result.LossAfter:F4}, training accuracy {result.TrainingAccuracy:P1}, test accuracy {result.TestAccuracy:P1}");

GradientComparison g = result.Gradients;
Console.WriteLine();
Console.WriteLine($"One sample: x = ({string.Join(", ", Array.ConvertAll(g.Input, v => v.ToString("F3")))}), y = {g.Target}");
Console.WriteLine("(a) ∂L/∂h_j = (g − y)·g(1 − g)·w2[j]");
Console.WriteLine("     j   generated (NetGen)   closed form");
for (int j = 0; j < Problem.D; j++)
    Console.WriteLine($"    {j,2}   {g.GeneratedDLossDH[j],18:0.000000E+0}   {g.ClosedFormDLossDH[j],11:0.000000E+0}");
Console.WriteLine($"    largest |difference| = {Experiment.MaxDifference(g.GeneratedDLossDH, g.ClosedFormDLossDH):E2}");
Console.WriteLine("(b) ∂L/∂W1[d, m] = (g − y)·g(1 − g)·w2[d]·s_d(1 − s_d)·z_m   (rows d, columns m; generated above, closed form below)");
for (int d = 0; d < Problem.D; d++)
{
    Console.WriteLine($"    d = {d}  generated   " + Row(g.GeneratedDLossDW1.AsSpan(d * Problem.M, Problem.M).ToArray()));
    Console.WriteLine($"           closed form " + Row(Array.ConvertAll(g.ClosedFormDLossDW1[(d * Problem.M)..((d + 1) * Problem.M)], v => (float)v)));
}
Console.WriteLine($"    largest |difference| = {Experiment.MaxDifference(g.GeneratedDLossDW1, g.ClosedFormDLossDW1):E2}");

static string Row(float[] values) => string.Join(" ", Array.ConvertAll(values, v => $"{v,9:0.00E+0}"));
