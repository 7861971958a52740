using System.Collections.Generic;
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

/// <summary>Everything one child process measured at one vector width.</summary>
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
    List<string> Notes);

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
