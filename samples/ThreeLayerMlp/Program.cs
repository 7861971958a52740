using System;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Samples.ThreeLayerMlp;
using Spectre.Console;

// Problem A (and, with --noise 0.5, problem B): train the seed MLP and plot what it learned.
float noise = 0f;
ulong seed = 1;
string output = Path.Combine("out", "ThreeLayerMlp.png");
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--noise" when i + 1 < args.Length && float.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out float n) && n >= 0:
            noise = n; i++; break;
        case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], out ulong s):
            seed = s; i++; break;
        case "--out" when i + 1 < args.Length:
            output = args[++i]; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: ThreeLayerMlp [--noise <std ≥ 0>] [--seed <n>] [--out <file.png>]");
            return 2;
    }
}

Console.WriteLine($"Problem {(noise > 0 ? "B" : "A")}: 1 → 64 → 64 → 1 sigmoid MLP, {ThreeLayerMlp.ParameterCount} parameters, N = {Problem.TrainingCount}" +
    $"{(noise > 0 ? $", label noise σ = {noise}" : "")}; SGD lr {Problem.LearningRate}, batch {Problem.BatchSize}, {Problem.Epochs} epochs, seed {seed}.");

// Next to the plot: the loss curve as CSV (written live, epoch by epoch) and as a PNG, and the trained weights.
string lossCsv = Path.ChangeExtension(output, ".loss.csv");
string lossPng = Path.ChangeExtension(output, ".loss.png");
string weights = Path.ChangeExtension(output, ".safetensors");

ExperimentResult result;
using (CsvLossLog csv = CsvLossLog.Create(lossCsv))
{
    if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
    {
        result = AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("training", maxValue: Problem.Epochs);
                return Experiment.Run(seed, noise, progress: new Reporter(report =>
                {
                    csv.Report(report);
                    task.Value = report.Epoch;
                    task.Description = $"epoch {report.Epoch,4}  train {report.TrainingLoss:F4}  val {report.ValidationLoss:F4}";
                }));
            });
    }
    else
    {
        result = Experiment.Run(seed, noise, progress: new Reporter(report =>
        {
            csv.Report(report);
            if (report.Epoch == 1 || report.Epoch % 100 == 0)
                Console.WriteLine($"epoch {report.Epoch,4}/{report.Epochs}  training MSE {report.TrainingLoss,8:F4}  validation MSE {report.ValidationLoss,8:F4}");
        }));
    }
}

Console.WriteLine($"training MSE   {result.TrainingMse:F4}");
Console.WriteLine($"validation MSE {result.ValidationMse:F4}   (Var(y) of the validation set: {result.ValidationVariance:F4})");
Console.WriteLine($"training time  {result.TrainingTime.TotalMilliseconds:F0} ms for {Problem.Epochs * (Problem.TrainingCount / Problem.BatchSize)} SGD steps (validation included)");
string title = noise > 0 ? $"Problem B: label noise σ = {noise}" : "Problem A: 1 → 64 → 64 → 1 sigmoid MLP";
Plot.Save(result, output, title);
Plot.SaveLossCurve(result.History, lossPng, $"{title}: loss per epoch");
SafeTensors.Save(result.Network, weights);
Console.WriteLine($"plot           {Path.GetFullPath(output)}");
Console.WriteLine($"loss curve     {Path.GetFullPath(lossPng)} and {Path.GetFullPath(lossCsv)}");
Console.WriteLine($"weights        {Path.GetFullPath(weights)} (safetensors: Hidden1.weight [64, 1], …; loads with safetensors.torch.load_file)");
return 0;

/// <summary>Reports synchronously on the training thread.</summary>
file sealed class Reporter(Action<EpochReport> report) : IProgress<EpochReport>
{
    public void Report(EpochReport value) => report(value);
}
