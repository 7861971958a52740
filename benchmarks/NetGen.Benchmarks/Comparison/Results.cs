using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetGen.Benchmarks.Comparison;

// What a compare child measures, as the parent reads it back (JSON): plain records, no engine types, so that the
// summary and its tests need nothing but this file.

/// <summary>The engines a workload can run on. The parent picks rows by kind, never by display name.</summary>
public enum EngineKind { NetGen, LibTorch, LibTorchDefaultThreads, OnnxRuntime, ScalarReference, HandWritten, PyTorchScript }

/// <summary>Training workloads time a step (forward, loss, backward, update); inference workloads time a forward call.</summary>
public enum WorkloadKind { Training, Inference }

/// <summary>
/// What one engine measured on one workload. Times are seconds per step (training) or per call (inference): the best
/// round's and the median round's. <see cref="BytesPerCall"/> is null when the engine runs outside this process.
/// <see cref="MeasuredIn"/> names the width whose child measured a native engine's row when it is shown in another
/// width's table (native code does not see the .NET runtime's ISA switches).
/// </summary>
public sealed record EngineResult(
    EngineKind Engine,
    string Name,
    double BestSeconds,
    double MedianSeconds,
    int Rounds,
    long Calls,
    double? BytesPerCall,
    int Steps = 0,
    double? FirstLoss = null,
    double? FinalLoss = null,
    string? MeasuredIn = null);

/// <summary>
/// One workload's rows. <see cref="Key"/> is the network's name and the batch or "train" (e.g. "SeedMlp/train",
/// "MnistMlp/128"); <see cref="Flops"/> counts the matrix products of one step or one call.
/// </summary>
public sealed record WorkloadResult(string Key, string Title, WorkloadKind Kind, int Batch, double Flops, int Steps, List<EngineResult> Engines);

/// <summary>A cross-check between engines (losses, outputs) or of a promise (no allocations); a failed one fails the run.</summary>
public sealed record CheckResult(bool Ok, string Text);

/// <summary>
/// The Trainer on the seed workload next to the bare loop it runs (Backward, then the optimiser's Step): seconds a step,
/// best round of each, as the README's main job trains (validation every epoch) and without a validation set; then,
/// taking the cost apart, the Trainer with neither a validation set nor a progress sink (its divergence checks and
/// bookkeeping alone), and the bare loop with the validation loss computed after each epoch (the validation alone).
/// </summary>
public sealed record TrainerOverheadResult(double BareSeconds, double TrainerSeconds, double TrainerWithoutValidationSeconds, double? BytesPerStep,
    double? TrainerAloneSeconds = null, double? BareWithValidationSeconds = null)
{
    /// <summary>The Trainer's step (validation included) ÷ the bare step: the closing line's trainer-overhead.</summary>
    public double Ratio => TrainerSeconds / BareSeconds;

    /// <summary>Seconds a step of the divergence checks (loss, gradients, the parameters' copy and scan) and the epoch loop's bookkeeping.</summary>
    public double? ChecksSeconds => TrainerAloneSeconds - BareSeconds;

    /// <summary>Seconds a step of the progress report (one an epoch, to a sink that does nothing).</summary>
    public double? ProgressSeconds => TrainerWithoutValidationSeconds - TrainerAloneSeconds;

    /// <summary>Seconds a step of the validation loss (one forward pass of the validation set an epoch).</summary>
    public double? ValidationSeconds => BareWithValidationSeconds - BareSeconds;
}

/// <summary>
/// One fresh process of the cold-start probe (benchmarks/NetGen.ColdStart): milliseconds from just before the process
/// was started to its first Forward answer and to the end of its 100th and 4000th training steps, and the 4000 steps'
/// own time (Trainer.Train, validation included, as samples/ThreeLayerMlp reports it). The JIT's counters: milliseconds
/// it compiled before the first answer and during the 4000 steps, and the methods it compiled in all (0 under NativeAOT).
/// </summary>
public sealed record ColdRun(double FirstForwardMs, double Step100Ms, double Step4000Ms, double TrainingMs,
    double JitMsToFirstForward = 0, double JitMsInTraining = 0, long JitMethods = 0);

/// <summary>
/// The fresh processes of one way to run the probe: "tiered" (the default JIT), "TieredCompilation=0", "NativeAOT".
/// Each of <see cref="Best"/>, <see cref="Median"/> and <see cref="Worst"/> is taken mark by mark, so its fields may
/// come from different processes; best to worst is the spread.
/// </summary>
public sealed record ColdConfig(string Name, List<ColdRun> Runs)
{
    public ColdRun Best => Of(Enumerable.Min);

    public ColdRun Median => Of(MedianOf);

    public ColdRun Worst => Of(Enumerable.Max);

    private ColdRun Of(Func<IEnumerable<double>, double> statistic) => new(
        statistic(Runs.Select(r => r.FirstForwardMs)), statistic(Runs.Select(r => r.Step100Ms)), statistic(Runs.Select(r => r.Step4000Ms)),
        statistic(Runs.Select(r => r.TrainingMs)), statistic(Runs.Select(r => r.JitMsToFirstForward)), statistic(Runs.Select(r => r.JitMsInTraining)),
        (long)Math.Round(statistic(Runs.Select(r => (double)r.JitMethods))));

    private static double MedianOf(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// Everything the cold-start benchmark measured; the first config is the default JIT's, the one the closing lines read.
/// <see cref="SteadyStepSeconds"/> is the benchmark's warm training step (Backward + Step, best round) that the cold
/// 4000 steps are held against.
/// </summary>
public sealed record ColdStartResult(List<ColdConfig> Configs, List<string> Notes, double? SteadyStepSeconds = null)
{
    /// <summary>The ways the probe runs, in the order they alternate; the first is what a user's `dotnet run` gets.</summary>
    public const string Tiered = "JIT, tiered (default)", TieredOff = "JIT, DOTNET_TieredCompilation=0", NativeAot = "NativeAOT";

    /// <summary>The configuration of that name when it ran at least once.</summary>
    public ColdConfig? Ran(string name) => Configs.FirstOrDefault(c => c.Name == name && c.Runs.Count > 0);

    /// <summary>The 4000 steps' own time with the default JIT ÷ with tiered compilation off, medians (the target: ≤ 1.3).</summary>
    public double? TieredOverTieringOff =>
        Ran(Tiered) is { } tiered && Ran(TieredOff) is { } off ? tiered.Median.TrainingMs / off.Median.TrainingMs : null;

    /// <summary>The 4000 steps' own time with the default JIT (median) ÷ 4000 warm benchmark steps (the target: ≤ 1.5).</summary>
    public double? TieredOverSteadySteps =>
        Ran(Tiered) is { } tiered && SteadyStepSeconds is > 0 and { } step ? tiered.Median.TrainingMs / (4000 * step * 1e3) : null;
}

/// <summary>
/// Everything one child process measured at one vector width (and, on the widest, what the parent adds: the cold
/// starts). <see cref="StoppedBecause"/> says why the child stopped early (an engine disagreed with NetGen before
/// anything of it was timed); null when it ran every workload.
/// </summary>
public sealed record WidthReport(
    string Width,
    string Switches,
    bool Vector512,
    bool Vector256,
    bool Vector128,
    bool Fma,
    double PeakGflops,
    string PeakMethod,
    string Runtime,
    List<WorkloadResult> Workloads,
    List<CheckResult> Checks,
    List<string> Notes,
    TrainerOverheadResult? TrainerOverhead = null,
    ColdStartResult? ColdStart = null,
    string? StoppedBecause = null);

/// <summary>How a child hands its <see cref="WidthReport"/> to the parent: indented JSON, enums by name.</summary>
public static class ResultsJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write(WidthReport report) => JsonSerializer.Serialize(report, s_options);

    public static WidthReport? Read(string json) => JsonSerializer.Deserialize<WidthReport>(json, s_options);
}
