using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The fifteen lines `compare` ends with, for the widest width: each "key: value" alone on its line, so that scripts
/// can grep them. Ratios are of best-round times; a ratio above 1 means NetGen is faster, except neuron-vs-hand, which
/// is NetGen's time over the hand-written expression's (lower is better, 1 is parity). The first six are the dense
/// workloads'. The next five are the first second: the cold-start probe's median fresh process (default JIT) to its
/// first Forward answer and to its 4000th step, in milliseconds from the process's start; the Trainer's step over the
/// bare Backward + Step loop; and the two ratios the issue's targets are stated in, the 4000 steps' median time over the
/// same with tiered compilation off and over 4000 warm benchmark steps. The last four are the convolutional networks':
/// <list type="bullet">
/// <item><c>lenet-images-per-second</c>: LeNet-5's training step with Adam at B = 128 (NetGen, best round), as images a
/// second on one core: 128 ÷ the step's time. Adam, because SimpleChains.jl's published LeNet-5 rate, the issue's
/// yardstick, trains with Adam.</item>
/// <item><c>lenet-percent-of-peak</c>: that step's FLOPs (<see cref="Flops.TrainingStep"/>) a second as a percentage of
/// the width's measured peak.</item>
/// <item><c>cnn-worst-speedup-vs-libtorch</c>: the smallest one-thread-libtorch ÷ NetGen time over every CNN workload
/// (training and inference, one sample included).</item>
/// <item><c>cnn-worst-speedup-vs-onnxruntime</c>: the smallest ONNX Runtime ÷ NetGen time over the CNN inference workloads.</item>
/// </list>
/// </summary>
public static class Summary
{
    public const string SeedTraining = "SeedMlp/train", Neuron = "LogisticNeuron/1", LeNetTraining = "LeNet/train-adam";

    /// <summary>The networks whose workloads are the CNN lines'; every other workload is the dense lines'.</summary>
    public static readonly string[] CnnNetworks = ["LeNet", "SignalCnn"];

    /// <summary>The keys of the first second's five lines (`compare --first-second` prints only these).</summary>
    public static readonly string[] FirstSecondKeys =
        ["cold-first-forward-ms", "cold-4000-steps-ms", "trainer-overhead", "cold-steps-vs-tiering-off", "cold-steps-vs-steady-steps"];

    public static bool IsCnn(WorkloadResult workload) => CnnNetworks.Any(n => workload.Key.StartsWith(n + "/", StringComparison.Ordinal));

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
        IEnumerable<WorkloadResult> dense = widest.Workloads.Where(w => !IsCnn(w)), cnn = widest.Workloads.Where(IsCnn);
        var (worstTorch, worstTorchWhy) = Worst(dense.Where(CountsAgainstLibTorch), EngineKind.LibTorch);
        var (worstOnnx, worstOnnxWhy) = Worst(dense.Where(w => w.Kind == WorkloadKind.Inference), EngineKind.OnnxRuntime);
        var (cnnTorch, cnnTorchWhy) = Worst(cnn, EngineKind.LibTorch);
        var (cnnOnnx, cnnOnnxWhy) = Worst(cnn.Where(w => w.Kind == WorkloadKind.Inference), EngineKind.OnnxRuntime);
        WorkloadResult? lenet = widest.Workloads.FirstOrDefault(w => w.Key == LeNetTraining);
        EngineResult? lenetNetGen = lenet is null ? null : Row(lenet, EngineKind.NetGen);
        WorkloadResult? neuron = widest.Workloads.FirstOrDefault(w => w.Key == Neuron);
        ColdConfig? cold = widest.ColdStart?.Ran(ColdStartResult.Tiered);
        return
        [
            new("peak-gflops", widest.PeakGflops > 0 ? widest.PeakGflops : null, widest.PeakMethod),
            new("seed-percent-of-peak", seedPercent, "seed MLP training step, best round"),
            new("speedup-vs-libtorch", seed is null ? null : Speedup(seed, EngineKind.LibTorch), "seed MLP training: libtorch (1 thread) ÷ NetGen"),
            new("worst-speedup-vs-libtorch", worstTorch, worstTorchWhy),
            new("worst-speedup-vs-onnxruntime", worstOnnx, worstOnnxWhy),
            new("neuron-vs-hand", neuron is null ? null : TimeOver(neuron, EngineKind.NetGen, EngineKind.HandWritten), "logistic neuron, one sample: NetGen ÷ hand-written"),
            new("cold-first-forward-ms", cold?.Median.FirstForwardMs, $"fresh process ({cold?.Name ?? "not run"}, median of {cold?.Runs.Count ?? 0}): start to the first Forward answer"),
            new("cold-4000-steps-ms", cold?.Median.Step4000Ms, $"fresh process ({cold?.Name ?? "not run"}, median of {cold?.Runs.Count ?? 0}): start to the 4000th seed MLP step"),
            new("trainer-overhead", widest.TrainerOverhead?.Ratio, "seed MLP: Trainer step (validation every epoch) ÷ bare Backward + Step"),
            new("cold-steps-vs-tiering-off", widest.ColdStart?.TieredOverTieringOff, "the cold 4000 steps' own time, tiered ÷ DOTNET_TieredCompilation=0 (medians; target ≤ 1.3)"),
            new("cold-steps-vs-steady-steps", widest.ColdStart?.TieredOverSteadySteps, "the cold 4000 steps' own time (median) ÷ 4000 × the benchmark's warm step (target ≤ 1.5)"),
            new("lenet-images-per-second", lenet is not null && lenetNetGen is not null ? lenet.Batch / lenetNetGen.BestSeconds : null,
                "LeNet-5 training, Adam, B = 128 (NetGen, best round): 128 ÷ the step's time"),
            new("lenet-percent-of-peak", lenet is not null && lenetNetGen is not null && widest.PeakGflops > 0
                ? 100 * lenet.Flops / lenetNetGen.BestSeconds / 1e9 / widest.PeakGflops : null, "LeNet-5 training, Adam, B = 128: GFLOP/s of its convolutions and products ÷ the peak"),
            new("cnn-worst-speedup-vs-libtorch", cnnTorch, cnnTorchWhy),
            new("cnn-worst-speedup-vs-onnxruntime", cnnOnnx, cnnOnnxWhy),
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

    /// <summary>The lines as printed: an explanation of each, then the fifteen "key: value" lines.</summary>
    public static string Format(WidthReport widest)
    {
        IReadOnlyList<Line> lines = Lines(widest);
        var text = new System.Text.StringBuilder();
        text.AppendLine($"summary for the widest width ({widest.Width}):");
        foreach (Line line in lines)
            text.AppendLine($"  {line.Key,-33} {line.Why}");
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
