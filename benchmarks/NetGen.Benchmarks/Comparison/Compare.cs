using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using NetGen.Benchmarks.Engines;
using NetGen.Benchmarks.Torch;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// `dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- compare`: the same workloads, from the same
/// initial weights, in one process, through every engine that can run here; a cross-check of the losses and
/// outputs; a table; and, last, the line <c>speedup-vs-libtorch: x</c> for the seed MLP's 4000 training steps.
/// </summary>
public sealed class Compare
{
    private readonly CompareOptions _options;
    private readonly List<string> _checks = [];
    private bool _failed;

    private Compare(CompareOptions options) => _options = options;

    public static int Run(string[] args)
    {
        CompareOptions? options = CompareOptions.Parse(args);
        if (options is null)
            return 2;
        return new Compare(options).Run();
    }

    private int Run()
    {
        Console.WriteLine("NetGen side-by-side comparison");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Machine.CpuName()}; .NET {Environment.Version}; "
            + $"Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}");
        Console.WriteLine($"peak used for '% peak': {_options.PeakGflops:0} GFLOP/s (one core's FP32 FMA peak; --peak changes it)");
        Console.WriteLine($"load average before the run: {Machine.LoadAverage()}");
        Console.WriteLine();

        var engines = new List<IEngine> { new NetGenEngine() };
        string torchStatus = "skipped (--no-torch)";
        IEngine? torch = _options.Torch ? TorchEngines.TryCreate(threads: 1, out torchStatus) : null;
        IEngine? torchDefault = torch is null ? null : TorchEngines.TryCreate(threads: 0, out _);
        Console.WriteLine($"libtorch: {torchStatus}");
        if (torch is not null)
            engines.Add(torch);
        engines.Add(new ScalarEngine());
        PythonTorch python = PythonTorch.Find(_options.Python);
        Console.WriteLine($"python3-torch: {python.Status}");
        Console.WriteLine();

        double seedSpeedup = double.NaN;
        foreach (Workload workload in TrainingWorkloads())
        {
            var extra = new List<IEngine>();
            if (workload.Network == "SeedMlp" && torchDefault is not null)
                extra.Add(torchDefault);
            double speedup = RunTraining(workload, engines.Concat(extra).ToList(), workload.Network == "SeedMlp" ? python : null);
            if (workload.Network == "SeedMlp")
                seedSpeedup = speedup;
        }
        foreach (var (workload, batch) in InferenceWorkloads())
            RunInference(workload, batch, engines);

        Console.WriteLine("checks:");
        foreach (string check in _checks)
            Console.WriteLine("  " + check);
        Console.WriteLine($"load average after the run: {Machine.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine(double.IsFinite(seedSpeedup)
            ? $"speedup-vs-libtorch: {seedSpeedup:0.##}"
            : $"speedup-vs-libtorch: n/a ({torchStatus})");
        return _failed ? 1 : 0;
    }

    private IEnumerable<Workload> TrainingWorkloads()
    {
        int scale = _options.Quick ? 10 : 1;
        yield return Workload.SeedMlp(4000 / scale);
        yield return Workload.WideMlp(400 / scale);
        yield return Workload.MnistMlp(100 / scale);
    }

    private static IEnumerable<(Workload, int)> InferenceWorkloads()
    {
        yield return (Workload.SeedMlp(), 1);
        yield return (Workload.SeedMlp(), 128);
        yield return (Workload.WideMlp(1), 1);
        yield return (Workload.MnistMlp(1), 1);
        yield return (Workload.MnistMlp(1), 128);
    }

    /// <summary>Runs one training workload through every engine; returns NetGen's speed-up over one-thread libtorch.</summary>
    private double RunTraining(Workload workload, List<IEngine> engines, PythonTorch? python)
    {
        Console.WriteLine($"== {workload.Name}: training, {workload.Steps} SGD steps of B = {workload.BatchSize} "
            + $"({workload.FlopsPerStep / 1e6:0.##} MFLOP of matrix products a step, {workload.FlopsPerStep * workload.Steps / 1e9:0.##} GFLOP in all)");
        var runs = new List<(string Name, TrainingRun Run)>();
        foreach (IEngine engine in engines)
        {
            int steps = engine is ScalarEngine && !_options.FullScalar ? Math.Max(2, workload.Steps / ScalarDivisor(workload)) : workload.Steps;
            Console.Write($"   {engine.Name} ...");
            TrainingRun run = engine.Train(workload, steps);
            Console.WriteLine($" {Format.Time(run.Elapsed.TotalSeconds)}");
            runs.Add((engine.Name, run));
        }
        if (python is not null && python.Available)
        {
            Console.Write("   python3 problem_a.py (python3-torch) ...");
            TrainingRun? run = python.Train(workload, out string note);
            Console.WriteLine(run is null ? $" failed: {note}" : $" {Format.Time(run.Elapsed.TotalSeconds)} ({note})");
            if (run is not null)
                runs.Add(($"seed's PyTorch script ({note})", run));
        }

        TrainingRun netgen = runs[0].Run;
        TrainingRun? torch = runs.FirstOrDefault(r => r.Name == TorchEngines.OneThreadName).Run;
        var table = new TextTable("engine", "time/step", $"{workload.Steps} steps", "GFLOP/s", "% peak", "alloc/step", "NetGen speed-up", "first loss", "final loss");
        foreach (var (name, run) in runs)
        {
            double gflops = workload.FlopsPerStep / run.SecondsPerStep / 1e9;
            table.Add(name, Format.Time(run.SecondsPerStep), Format.Time(run.SecondsPerStep * workload.Steps), $"{gflops:0.#}",
                $"{100 * gflops / _options.PeakGflops:0.#} %", run.AllocatedBytes < 0 ? "–" : Format.Bytes(run.BytesPerStep),
                Format.Ratio(run.SecondsPerStep / netgen.SecondsPerStep), $"{run.FirstLoss:G6}",
                run.Steps == netgen.Steps ? $"{run.FinalLoss:G6}" : $"(ran {run.Steps} steps)");
        }
        Console.WriteLine(table);

        foreach (var (name, run) in runs.Skip(1))
        {
            CheckClose($"{workload.Network} first-step loss, NetGen vs {name}", netgen.FirstLoss, run.FirstLoss, 1e-4);
            if (run.Steps == netgen.Steps)
                CheckClose($"{workload.Network} loss after {workload.Steps} steps, NetGen vs {name}", netgen.FinalLoss, run.FinalLoss, 2e-2);
        }
        return torch is null ? double.NaN : torch.SecondsPerStep / netgen.SecondsPerStep;
    }

    /// <summary>The scalar reference is slow: on the wide networks it runs a fraction of the steps (its per-step time is what is compared).</summary>
    private static int ScalarDivisor(Workload workload) => workload.Network == "SeedMlp" ? 1 : 10;

    private void RunInference(Workload workload, int batch, List<IEngine> engines)
    {
        TimeSpan budget = TimeSpan.FromSeconds(_options.Quick ? 0.2 : 1);
        double flops = workload.ForwardFlops(batch);
        Console.WriteLine($"== {workload.Name}: inference, batch of {batch} ({flops / 1e3:0.#} kFLOP a call)");
        var runs = new List<(string Name, InferenceRun Run)>();
        foreach (IEngine engine in engines)
            runs.Add((engine.Name, engine.Infer(workload, batch, budget)));
        InferenceRun netgen = runs[0].Run;
        var table = new TextTable("engine", "time/call", "time/sample", "GFLOP/s", "% peak", "alloc/call", "NetGen speed-up");
        foreach (var (name, run) in runs)
        {
            double gflops = flops / run.SecondsPerCall / 1e9;
            table.Add(name, Format.Time(run.SecondsPerCall), Format.Time(run.SecondsPerCall / batch), $"{gflops:0.#}",
                $"{100 * gflops / _options.PeakGflops:0.#} %", Format.Bytes(run.BytesPerCall), Format.Ratio(run.SecondsPerCall / netgen.SecondsPerCall));
        }
        Console.WriteLine(table);
        foreach (var (name, run) in runs.Skip(1))
        {
            double worst = 0;
            for (int i = 0; i < netgen.FirstOutputs.Length; i++)
                worst = Math.Max(worst, Math.Abs(netgen.FirstOutputs[i] - run.FirstOutputs[i]) / (1 + Math.Abs(run.FirstOutputs[i])));
            Check($"{workload.Network} outputs (batch {batch}), NetGen vs {name}: largest difference {worst:G3}", worst <= 1e-4);
        }
    }

    private void CheckClose(string what, double a, double b, double relative)
    {
        double difference = Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-12);
        Check($"{what}: {a:G7} vs {b:G7} (relative difference {difference:G3}, tolerance {relative:G2})", difference <= relative);
    }

    private void Check(string what, bool ok)
    {
        _checks.Add((ok ? "ok    " : "FAIL  ") + what);
        _failed |= !ok;
    }
}
