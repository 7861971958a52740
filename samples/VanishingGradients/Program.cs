using System;
using System.Collections.Generic;
using System.IO;
using NetGen.Samples.VanishingGradients;

// Problem M: vanishing gradients in a deep sigmoid chain, and what the scale of the initial weights does to them.
string output = args.Length == 2 && args[0] == "--out" ? args[1] : Path.Combine("out", "VanishingGradients.png");

Console.WriteLine("Problem M, scalar chain: a_i = σ(w_i·a_(i−1)), y = a_6, ∂y/∂x = Π w_i·σ′(w_i·a_(i−1)), σ′ ≤ 1/4");
ScalarChainResult scalar = Experiment.ScalarChain([1f, -1f, 0.8f, 1f, -0.5f, 1f], x: 0.5f);
Console.WriteLine($"w = ({string.Join(", ", scalar.Weights)}), x = {scalar.X}");
Console.WriteLine($"∂y/∂x: generated {scalar.Generated:E4}, product formula {scalar.Product:E4}, bound Π|w_i|/4 = {scalar.Bound:E4}");

Console.WriteLine();
Console.WriteLine($"Deep chains: {Problem.Width} inputs, 10 layers of {Problem.Width} units, 1 output unit, no biases, L = ½ Σ (y − t)²;");
Console.WriteLine($"‖∂L/∂W_i‖ per layer (1 = next to the input, 11 = output layer), mean over {Problem.Draws} draws of the weights");
Console.WriteLine($"and of a batch of {Problem.Batch} (x ~ N(0, I), t ∈ {{0, 1}}). Xavier: N(0, 1/n_in); Glorot: N(0, 2/(n_in + n_out)).");
var sigmoid = new Dictionary<Initialization, ChainMeasurement>();
var tanh = new Dictionary<Initialization, ChainMeasurement>();
foreach (Initialization initialization in Experiment.Initializations)
{
    sigmoid[initialization] = Experiment.Measure(initialization);
    tanh[initialization] = Experiment.Measure(initialization, tanh: true);
}

Console.WriteLine();
Console.WriteLine($"{"",-12}{"sigmoid chain",-33}   {"tanh chain",-33}");
Console.WriteLine($"{"layer",-12}{Columns(i => Plot.ShortLabel(i))}   {Columns(i => Plot.ShortLabel(i))}");
int layers = sigmoid[Initialization.Xavier].GradientNorms.Length;
for (int l = 0; l < layers; l++)
    Console.WriteLine($"{l + 1,-12}{Columns(i => sigmoid[i].GradientNorms[l].ToString("0.00E+0"))}   {Columns(i => tanh[i].GradientNorms[l].ToString("0.00E+0"))}");
Console.WriteLine($"{"shrink/layer",-12}{Columns(i => sigmoid[i].ShrinkPerLayer.ToString("F2"))}   {Columns(i => tanh[i].ShrinkPerLayer.ToString("F2"))}");
Console.WriteLine($"{"mean f′",-12}{Columns(i => sigmoid[i].MeanSlope.ToString("F3"))}   {Columns(i => tanh[i].MeanSlope.ToString("F3"))}");
Console.WriteLine("(shrink/layer: geometric mean of ‖∂L/∂W_(i+1)‖ / ‖∂L/∂W_i‖, below 1 means the gradient grows toward the input;");
Console.WriteLine(" mean f′: the hidden units' mean slope, σ′ ≤ 1/4 and tanh′ ≤ 1; Xavier and Glorot draw the same square 32 × 32 layers");
Console.WriteLine(" and differ only in the 32 → 1 output layer)");

Plot.Save(sigmoid, tanh, output);
Console.WriteLine($"plot: {Path.GetFullPath(output)}");

static string Columns(Func<Initialization, string> cell) =>
    string.Join(" ", Array.ConvertAll(Experiment.Initializations, i => $"{cell(i),10}"));
