using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The nine lines `compare` ends with, for the widest width: each "key: value" alone on its line, so that scripts can
/// grep them. Ratios are of best-round times; a ratio above 1 means NetGen is faster, except neuron-vs-hand, which is
/// NetGen's time over the hand-written expression's (lower is better, 1 is parity). The last three are the first
/// second: the cold-start probe's best fresh process (default JIT) to its first Forward answer and to its 4000th step,
/// in milliseconds from the process's start, and the Trainer's step over the bare Backward + Step loop.
/// </summary>
public static class Summary
{
    public const string SeedTraining = "SeedMlp/train", Neuron = "LogisticNeuron/1";

    /// <summary>One summary line's key, its value (null when it cannot be computed) and which workload decided it.</summary>
    public sealed record Line(string Key, double? Value, string Why)
    {
        public string Text => $"{Key}: {(Value is { } v ? Number(v) : "n/a")}";
    }

    public static IReadOnlyList<Line> Lines(WidthReport widest)
    {
        WorkloadResult? seed = widest.Workloads.FirstOrDefault(w => w.Key == SeedTraining);
        EngineResult? seedNetGen = seed is null ? null : Row(seed, EngineKind.NetGen);
        double? seedPercent = seed is not null && seedNetGen is not null && widest.PeakGflops > 0
            ? 100 * seed.Flops / seedNetGen.BestSeconds / 1e9 / widest.PeakGflops
            : null;
        var (worstTorch, worstTorchWhy) = Worst(widest.Workloads.Where(CountsAgainstLibTorch), EngineKind.LibTorch);
        var (worstOnnx, worstOnnxWhy) = Worst(widest.Workloads.Where(w => w.Kind == WorkloadKind.Inference), EngineKind.OnnxRuntime);
        WorkloadResult? neuron = widest.Workloads.FirstOrDefault(w => w.Key == Neuron);
        ColdConfig? cold = widest.ColdStart?.Configs.FirstOrDefault() is { Runs.Count: > 0 } first ? first : null;
        return
        [
            new("peak-gflops", widest.PeakGflops > 0 ? widest.PeakGflops : null, widest.PeakMethod),
            new("seed-percent-of-peak", seedPercent, "seed MLP training step, best round"),
            new("speedup-vs-libtorch", seed is null ? null : Speedup(seed, EngineKind.LibTorch), "seed MLP training: libtorch (1 thread) ÷ NetGen"),
            new("worst-speedup-vs-libtorch", worstTorch, worstTorchWhy),
            new("worst-speedup-vs-onnxruntime", worstOnnx, worstOnnxWhy),
            new("neuron-vs-hand", neuron is null ? null : TimeOver(neuron, EngineKind.NetGen, EngineKind.HandWritten), "logistic neuron, one sample: NetGen ÷ hand-written"),
            new("cold-first-forward-ms", cold?.Best.FirstForwardMs, $"fresh process ({cold?.Name ?? "not run"}, best of {cold?.Runs.Count ?? 0}): start to the first Forward answer"),
            new("cold-4000-steps-ms", cold?.Best.Step4000Ms, $"fresh process ({cold?.Name ?? "not run"}, best of {cold?.Runs.Count ?? 0}): start to the 4000th seed MLP step"),
            new("trainer-overhead", widest.TrainerOverhead?.Ratio, "seed MLP: Trainer step (validation every epoch) ÷ bare Backward + Step"),
        ];
    }

    /// <summary>Training workloads and batched inference (B &gt; 1): where libtorch's per-call overhead does not decide the race.</summary>
    public static bool CountsAgainstLibTorch(WorkloadResult workload) =>
        workload.Kind == WorkloadKind.Training || (workload.Kind == WorkloadKind.Inference && workload.Batch > 1);

    /// <summary>The other engine's best time ÷ NetGen's best time on one workload (null when either row is missing).</summary>
    public static double? Speedup(WorkloadResult workload, EngineKind other) => TimeOver(workload, other, EngineKind.NetGen);

    /// <summary>The smallest <see cref="Speedup"/> over the workloads that have both rows, and which workload it was.</summary>
    public static (double? Value, string Why) Worst(IEnumerable<WorkloadResult> workloads, EngineKind other)
    {
        double? worst = null;
        string why = $"no workload ran on both NetGen and {other}";
        foreach (WorkloadResult workload in workloads)
        {
            if (Speedup(workload, other) is { } ratio && (worst is null || ratio < worst))
            {
                worst = ratio;
                why = $"{workload.Title}: {Row(workload, other)!.Name} ÷ NetGen";
            }
        }
        return (worst, why);
    }

    /// <summary>The lines as printed: an explanation of each, then the nine "key: value" lines.</summary>
    public static string Format(WidthReport widest)
    {
        IReadOnlyList<Line> lines = Lines(widest);
        var text = new System.Text.StringBuilder();
        text.AppendLine($"summary for the widest width ({widest.Width}):");
        foreach (Line line in lines)
            text.AppendLine($"  {line.Key,-29} {line.Why}");
        text.AppendLine();
        foreach (Line line in lines)
            text.AppendLine(line.Text);
        return text.ToString();
    }

    /// <summary>Two decimals, invariant culture, no thousands separator: "2.58", "91.2", "0.5".</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double? TimeOver(WorkloadResult workload, EngineKind numerator, EngineKind denominator)
    {
        EngineResult? top = Row(workload, numerator), bottom = Row(workload, denominator);
        if (top is null || bottom is null || !(bottom.BestSeconds > 0) || !double.IsFinite(top.BestSeconds))
            return null;
        return top.BestSeconds / bottom.BestSeconds;
    }

    private static EngineResult? Row(WorkloadResult workload, EngineKind kind) => workload.Engines.FirstOrDefault(e => e.Engine == kind);
}
