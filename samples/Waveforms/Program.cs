using System;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Samples.Waveforms;

// A 1-D CNN telling four noisy waveforms apart. Options (README, "Waveforms"): --noise <σ ≥ 0>, --seed <n>, --out <folder>.
double noise = Problem.DefaultNoise;
ulong seed = Problem.Seed;
string folder = "out";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--noise" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0 && double.IsFinite(n):
            noise = n; i++; break;
        case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong s):
            seed = s; i++; break;
        case "--out" when i + 1 < args.Length:
            folder = args[++i]; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: Waveforms [--noise <σ ≥ 0>] [--seed <n>] [--out <folder>]");
            return 2;
    }
}

Split split = Problem.Make(seed, noise);
Console.WriteLine($"Waveforms: sine, square, sawtooth and triangle waves of {Problem.Length} samples, each with its own frequency ({Problem.MinCycles}–{Problem.MaxCycles} cycles),");
Console.WriteLine($"phase, amplitude ({Problem.MinAmplitude}–{Problem.MaxAmplitude}) and offset (±{Problem.MaxOffset}), plus Gaussian noise of σ = {noise.ToString(CultureInfo.InvariantCulture)} on every sample (seed {seed});");
Console.WriteLine($"{split.Training.Count:N0} to train on, {split.Validation.Count:N0} to validate with, {split.Test.Count:N0} held out for the test.");
Console.WriteLine($"Model: [1 × {Problem.Length}] → Conv1D(16, 7, ReLU, padding 3) → MaxPool1D(2) → Conv1D(32, 5, ReLU, padding 2) → MaxPool1D(2) → Dense(64, ReLU) → Dense(4, softmax),");
Console.WriteLine($"{WaveformNet.ParameterCount:N0} parameters; Adam η = {Problem.LearningRate}, shuffled batches of {Problem.BatchSize}, early stopping after {Problem.Patience} epochs without a lower validation loss.");

Result result = Experiment.Run(split, seed);
Console.WriteLine();
Console.WriteLine($"epochs: {result.Epochs} (best {result.BestEpoch}, validation loss {result.BestValidationLoss:F4}), {result.Time.TotalSeconds:F1} s");
Console.WriteLine($"validation accuracy: {result.ValidationAccuracy:P2}");
Console.WriteLine($"test accuracy: {result.TestAccuracy:P2} ({Correct(result):N0} of {result.Confusion.Total:N0} held-out signals)");
Console.WriteLine();
Console.WriteLine($"{"true \\ predicted",-16} {"Sine",8} {"Square",8} {"Sawtooth",8} {"Triangle",8} {"F1",7}");
for (int c = 0; c < Problem.Classes; c++)
    Console.WriteLine($"{(Shape)c,-16} {result.Confusion[c, 0],8} {result.Confusion[c, 1],8} {result.Confusion[c, 2],8} {result.Confusion[c, 3],8} {result.Confusion.F1(c),7:F4}");

string picture = Path.Combine(folder, "Waveforms.png");
Plot.SaveExamples(split, result, picture);
Console.WriteLine();
Console.WriteLine($"plot: {Path.GetFullPath(picture)}");
return 0;

static long Correct(Result result)
{
    long right = 0;
    for (int c = 0; c < Problem.Classes; c++)
        right += result.Confusion[c, c];
    return right;
}
