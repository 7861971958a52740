using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Benchmarks.Engines;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// `dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- compare`: every workload at every vector width
/// this machine has, one child process per width (the runtime's ISA switches are read at start-up), each child
/// measuring that width's FP32 peak and writing its results as JSON; then one table per width, NetGen across widths,
/// the checks, and the closing summary lines of the widest width. The native engines (libtorch, ONNX Runtime) ignore
/// the .NET switches, so the widest child measures them once and the narrower widths' tables show those rows.
/// </summary>
public static class Compare
{
    public static int Run(string[] args)
    {
        CompareOptions? options = CompareOptions.Parse(args);
        if (options is null)
            return 2;
        if (options.ChildResult is not null)
            return CompareChild.Run(options);
        return RunParent(options);
    }

    private static int RunParent(CompareOptions options)
    {
        if (options.FirstSecondOnly)
            return RunFirstSecond(options);
        if (options.ThreadsOnly)
            return RunThreads(options);
        if (options.OnnxImportOnly)
            return RunOnnxImport(options);
        var clock = Stopwatch.StartNew();
        Console.WriteLine("NetGen side-by-side comparison");
        foreach (string line in Machine.Describe())
            Console.WriteLine(line);
        Console.WriteLine($"load average before the run: {Machine.LoadAverage()}");

        IReadOnlyList<VectorWidth> widths = VectorWidth.Available();
        if (options.Widths is { } wanted)
        {
            string[] unknown = wanted.Where(w => widths.All(v => v.Name != w)).ToArray();
            if (unknown.Length > 0)
            {
                Console.Error.WriteLine($"compare: this machine has no width {string.Join(", ", unknown)}; it has {string.Join(", ", widths.Select(w => w.Name))}");
                return 2;
            }
            widths = widths.Where(w => wanted.Contains(w.Name)).ToList();
        }
        Console.WriteLine($"widths: {string.Join("; ", widths.Select(w => $"{w.Name} (switches: {w.SwitchText})"))}");
        Console.WriteLine();

        bool failed = false;
        var reports = new List<WidthReport>();
        foreach (VectorWidth width in widths)
        {
            bool natives = reports.Count == 0;   // the first child that runs (the widest, unless it failed) runs the native engines
            WidthReport? report = RunChild(width, options, natives, out string problem);
            if (report is null)
            {
                Console.WriteLine($"FAIL  the {width.Name} child: {problem}");
                failed = true;
                continue;
            }
            if (report.Width != width.Name)
            {
                report.Checks.Add(new CheckResult(false, $"asked for {width.Name} with {width.SwitchText}, but the child's widest accelerated width was {report.Width}"));
            }
            reports.Add(report);
            if (report.StoppedBecause is { } reason)
            {
                // An engine disagreed with NetGen: nothing after this is worth timing.
                Console.WriteLine();
                Console.WriteLine(Report.Format(report));
                Console.WriteLine($"STOPPED at {width.Name}: {reason}");
                return 1;
            }
        }
        if (reports.Count == 0)
            return 1;

        WidthReport widest = reports[0];
        foreach (WidthReport report in reports.Skip(1))
            AddNativeRows(report, widest);
        ColdStartResult? cold = null;
        if (options.SelectsSeed)
        {
            Console.WriteLine("--- cold starts: fresh processes of benchmarks/NetGen.ColdStart");
            cold = ColdStart.Measure(options.Quick ? 2 : ColdProcesses, SeedStep(widest));
            widest = reports[0] = widest with { ColdStart = cold };
        }

        Console.WriteLine();
        foreach (WidthReport report in reports)
        {
            Console.WriteLine(Report.Format(report));
            Console.WriteLine();
        }
        Console.WriteLine("=== NetGen at every width (best round; % of that width's measured peak)");
        Console.WriteLine(Report.AcrossWidths(reports));
        failed |= reports.Any(r => r.Checks.Any(c => !c.Ok));
        int failures = reports.Sum(r => r.Checks.Count(c => !c.Ok));
        Console.WriteLine();
        foreach (WidthReport report in reports.Where(r => r.TrainerOverhead is not null))
            Console.WriteLine($"=== The Trainer on the seed MLP ({report.Width}): {CompareChild.TrainerOverheadText(report.TrainerOverhead!)}");
        Console.WriteLine();
        if (cold is not null)
        {
            Console.Write(ColdStart.Format(cold));
            Console.WriteLine();
        }
        Console.WriteLine($"checks: {reports.Sum(r => r.Checks.Count) - failures} ok, {failures} failed");
        Console.WriteLine($"load average after the run: {Machine.LoadAverage()}; the run took {Format.Time(clock.Elapsed.TotalSeconds)}");
        Console.WriteLine();
        if (widest.Width != widths[0].Name)
            Console.WriteLine($"FAIL  the widest width, {widths[0].Name}, did not run: the lines below are {widest.Width}'s");
        Console.Write(Summary.Format(widest));
        // The threads table runs here, in the parent, at the machine's widest width: the Trainer across cores.
        Console.WriteLine();
        ThreadScalingResult threads = ThreadScaling.Run(options);
        Console.WriteLine();
        Console.WriteLine("=== the Trainer and L-BFGS on every core (a Trainer step, or an L-BFGS evaluation with its share of the update; best round; speed-up over one thread uncut)");
        Console.Write(ThreadScalingTable.Format(threads.Rows));
        WriteReduction(threads.Reduction);
        Console.WriteLine();
        Console.WriteLine(ThreadScalingTable.Line(threads.Rows));
        Console.WriteLine(ThreadScalingTable.PeakLine(threads.PeakSpeedup));
        Console.WriteLine(CoreRoundTrip.Line(threads.RoundTripNanoseconds));
        // The imported ONNX models, in the parent too: one engine's generated classes next to ONNX Runtime.
        Console.WriteLine();
        IReadOnlyList<OnnxImportRow> imported = options.SelectsOnnxImport ? OnnxImportComparison.Run(options) : [];
        if (imported.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== imported ONNX models (best round a call; speed-up = ONNX Runtime ÷ NetGen)");
            Console.Write(OnnxImportTable.Format(imported));
            Console.WriteLine();
        }
        Console.WriteLine(OnnxImportTable.Line(imported));
        failed |= imported.Any(r => !r.Agree);
        return failed ? 1 : 0;
    }

    /// <summary>`compare --onnx-import`: only the imported ONNX models next to ONNX Runtime, at this process's widest width.</summary>
    private static int RunOnnxImport(CompareOptions options)
    {
        Console.WriteLine("NetGen: imported ONNX models next to ONNX Runtime (compare --onnx-import)");
        foreach (string line in Machine.Describe())
            Console.WriteLine(line);
        Console.WriteLine($"load average before the run: {Machine.LoadAverage()}; width: {VectorWidth.Current()}");
        IReadOnlyList<OnnxImportRow> rows = OnnxImportComparison.Run(options);
        Console.WriteLine();
        Console.Write(OnnxImportTable.Format(rows));
        Console.WriteLine($"load average after the run: {Machine.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine(OnnxImportTable.Line(rows));
        return rows.Count > 0 && rows.All(r => r.Agree) ? 0 : 1;
    }

    /// <summary>The reduction's cost alone by chunk count, under its own heading (nothing when it was not measured).</summary>
    private static void WriteReduction(IReadOnlyList<ReductionTiming> reduction)
    {
        if (reduction.Count == 0)
            return;
        Console.WriteLine();
        Console.WriteLine("=== the reduction alone (784 → 256 → 128 → 10, 235,146 parameters: the chunks' gradients weighed, added, checked; best round)");
        Console.Write(ThreadScalingTable.FormatReduction(reduction));
    }

    /// <summary>`compare --threads`: only the threads table and its closing line, at this process's widest width.</summary>
    private static int RunThreads(CompareOptions options)
    {
        Console.WriteLine("NetGen: the Trainer and L-BFGS on every core (compare --threads)");
        foreach (string line in Machine.Describe())
            Console.WriteLine(line);
        Console.WriteLine($"load average before the run: {Machine.LoadAverage()}; width: {VectorWidth.Current()}");
        ThreadScalingResult result = ThreadScaling.Run(options);
        Console.WriteLine();
        Console.Write(ThreadScalingTable.Format(result.Rows));
        WriteReduction(result.Reduction);
        Console.WriteLine($"load average after the run: {Machine.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine(ThreadScalingTable.Line(result.Rows));
        Console.WriteLine(ThreadScalingTable.PeakLine(result.PeakSpeedup));
        Console.WriteLine(CoreRoundTrip.Line(result.RoundTripNanoseconds));
        return result.Rows.Count > 0 ? 0 : 1;
    }

    /// <summary>Fresh processes per way of running the cold-start probe (alternating); their median is the figure.</summary>
    private const int ColdProcesses = 7;

    /// <summary>NetGen's best-round seed MLP training step at this width, the benchmark's step.</summary>
    private static double? SeedStep(WidthReport report) =>
        report.Workloads.FirstOrDefault(w => w.Key == Summary.SeedTraining)?.Engines.FirstOrDefault(e => e.Engine == EngineKind.NetGen)?.BestSeconds;

    /// <summary>
    /// `compare --first-second`: only the first second, at this process's widest width and without the other engines:
    /// the Trainer next to the bare loop (in this process), the bare step, and the cold starts; then the three closing
    /// lines that measure them.
    /// </summary>
    private static int RunFirstSecond(CompareOptions options)
    {
        Console.WriteLine("NetGen: the first second (compare --first-second)");
        foreach (string line in Machine.Describe())
            Console.WriteLine(line);
        Console.WriteLine($"load average before the run: {Machine.LoadAverage()}; width: {VectorWidth.Current()}");
        Timing.WarmUp = TimeSpan.FromSeconds(options.Quick ? 0.3 : 1);
        Workload seed = Workload.SeedMlp(options.Quick ? 400 : 4000);
        var netgen = new Engines.NetGenEngine();
        ITrainer? pending = netgen.CreateTrainer(seed);
        EngineResult step = Timing.Train(netgen, () => { ITrainer t = pending ?? netgen.CreateTrainer(seed)!; pending = null; return t; }, seed.Steps);
        Console.WriteLine($"seed MLP training step (Backward + Step, the benchmark's): {Format.Time(step.BestSeconds)} best round, {Format.Time(step.MedianSeconds)} median");
        TrainerOverheadResult overhead = TrainerOverhead.Measure(seed, Timing.WarmUp, options.Quick ? 10 : 40);
        Console.WriteLine($"the Trainer: {CompareChild.TrainerOverheadText(overhead)}; {Format.Bytes(overhead.BytesPerStep ?? 0)} allocated a step");
        ColdStartResult cold = ColdStart.Measure(options.Quick ? 2 : ColdProcesses, step.BestSeconds);
        Console.Write(ColdStart.Format(cold));
        Console.WriteLine($"load average after the run: {Machine.LoadAverage()}");
        var report = new WidthReport(VectorWidth.Current(), "", false, false, false, false, 0, "", "", [], [], [], overhead, cold);
        Console.WriteLine();
        foreach (Summary.Line line in Summary.Lines(report).Where(l => Summary.FirstSecondKeys.Contains(l.Key)))
            Console.WriteLine(line.Text);
        return cold.Configs[0].Runs.Count > 0 ? 0 : 1;
    }

    /// <summary>
    /// Starts this program again as `compare --child &lt;file&gt;` with the width's switches in its environment, its
    /// output going straight to ours, and reads the report it leaves in the file.
    /// </summary>
    private static WidthReport? RunChild(VectorWidth width, CompareOptions options, bool natives, out string problem)
    {
        string file = Path.Combine(Path.GetTempPath(), $"netgen-compare-{Environment.ProcessId}-{width.Name}.json");
        var start = new ProcessStartInfo { UseShellExecute = false };
        string host = Environment.ProcessPath ?? "dotnet";
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")   // run as `dotnet NetGen.Benchmarks.dll`
            start.ArgumentList.Add(typeof(Compare).Assembly.Location);
        foreach (string argument in new[] { "compare", "--child", file }.Concat(natives ? [] : ["--no-native"]).Concat(options.ChildArguments()))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in width.Switches)
            start.Environment[name] = value;
        Console.WriteLine($"--- {width.Name}: {string.Join(" ", width.Switches.Select(s => $"{s.Key}={s.Value}").Append(Path.GetFileName(host)).Concat(start.ArgumentList.Select(Path.GetFileName)))}");
        try
        {
            using Process child = Process.Start(start)!;
            child.WaitForExit();
            if (!File.Exists(file))
            {
                problem = $"exited with code {child.ExitCode} without writing its results";
                return null;
            }
            WidthReport? report = ResultsJson.Read(File.ReadAllText(file));
            problem = report is null ? "its results file was empty" : "";
            return report;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or IOException)
        {
            problem = e.Message;
            return null;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The widest child's native rows, marked as measured there, into a narrower width's tables.</summary>
    private static void AddNativeRows(WidthReport report, WidthReport widest)
    {
        foreach (WorkloadResult workload in report.Workloads)
        {
            WorkloadResult? source = widest.Workloads.FirstOrDefault(w => w.Key == workload.Key);
            if (source is null)
                continue;
            foreach (EngineResult row in source.Engines.Where(e => e.Engine is EngineKind.LibTorch or EngineKind.LibTorchDefaultThreads or EngineKind.OnnxRuntime or EngineKind.PyTorchScript))
                workload.Engines.Add(row with { MeasuredIn = widest.Width });
        }
    }
}
