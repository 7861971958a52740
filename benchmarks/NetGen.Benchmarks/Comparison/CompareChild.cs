using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using NetGen.Benchmarks.Engines;
using NetGen.Benchmarks.Onnx;
using NetGen.Benchmarks.Torch;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// One child of `compare`: measures the core's peak and every workload at this process's widest vector width, checks
/// the engines against each other, and writes a <see cref="WidthReport"/> as JSON for the parent. The widest child
/// also runs the native engines (libtorch, ONNX Runtime, the seed's PyTorch script) and times the scalar reference;
/// the others check NetGen against the scalar reference without timing it.
/// </summary>
public sealed class CompareChild
{
    private readonly CompareOptions _options;
    private readonly string _width = VectorWidth.Current();
    private readonly List<WorkloadResult> _workloads = [];
    private readonly List<CheckResult> _checks = [];
    private readonly List<string> _notes = [];

    private CompareChild(CompareOptions options) => _options = options;

    public static int Run(CompareOptions options) => new CompareChild(options).Run();

    private int Run()
    {
        Timing.WarmUp = TimeSpan.FromSeconds(_options.Quick ? 0.3 : 1);
        Say($"measuring the FP32 peak (Vector512 {Yes(Vector512.IsHardwareAccelerated)}, Vector256 {Yes(Vector256.IsHardwareAccelerated)}, "
            + $"Vector128 {Yes(Vector128.IsHardwareAccelerated)}, FMA {Yes(Fma.IsSupported || AdvSimd.IsSupported)})");
        Peak.Measurement peak = Peak.Measure(TimeSpan.FromSeconds(_options.Quick ? 0.3 : 1));
        Say($"peak {peak.Gflops:0.#} GFLOP/s ({peak.Method})");

        var netgen = new NetGenEngine();
        var scalar = new ScalarEngine();
        var hand = new HandWrittenNeuron();
        var natives = new List<IEngine>();
        IEngine? torchDefault = null;
        PythonTorch? python = null;
        if (_options.Natives)
        {
            if (_options.Torch)
            {
                IEngine? torch = TorchEngines.TryCreate(threads: 1, out string status);
                _notes.Add($"libtorch: {status}");
                if (torch is not null)
                {
                    natives.Add(torch);
                    torchDefault = TorchEngines.TryCreate(threads: 0, out _);
                }
            }
            if (_options.Onnx)
            {
                IEngine? onnx = OnnxRuntimeEngine.TryCreate(out string status);
                _notes.Add($"onnxruntime: {status}");
                if (onnx is not null)
                    natives.Add(onnx);
            }
            python = PythonTorch.Find(_options.Python);
            _notes.Add($"python3-torch: {python.Status}");
        }
        foreach (string note in _notes)
            Say(note);

        // Narrower children have no native engine to time; ONNX Runtime still checks NetGen's CNN outputs there, untimed.
        IEngine? checker = !_options.Natives && _options.Onnx ? OnnxRuntimeEngine.TryCreate(out _) : null;
        int scale = _options.Quick ? 10 : 1;
        var trainingEngines = new List<IEngine> { netgen };
        trainingEngines.AddRange(natives);
        var inferenceEngines = new List<IEngine> { netgen, hand };
        inferenceEngines.AddRange(natives);
        TimeSpan budget = TimeSpan.FromSeconds(_options.Quick ? 0.2 : 1);
        TrainerOverheadResult? overhead = null;
        string? stopped = null;
        try
        {
            if (_options.SelectsSeed)
                Train(Workload.SeedMlp(4000 / scale), trainingEngines.Concat(torchDefault is null ? [] : [torchDefault]).ToList(), scalar, python);
            foreach (Workload workload in new[] { Workload.WideMlp(400 / scale), Workload.MnistMlp(100 / scale), Workload.SimpleChains(200 / scale) }.Where(_options.Selects))
                Train(workload, trainingEngines, scalar, null);

            foreach ((Workload workload, int batch) in new[]
                {
                    (Workload.LogisticNeuron(), 1), (Workload.SoftmaxClassifier(), 1), (Workload.SoftmaxClassifier(), 128), (Workload.SeedMlp(), 1),
                    (Workload.SeedMlp(), 128), (Workload.WideMlp(1), 1), (Workload.MnistMlp(1), 1), (Workload.MnistMlp(1), 128),
                }.Where(w => _options.Selects(w.Item1)))
                Infer(workload, batch, inferenceEngines, scalar, null, budget);

            // The convolutional networks: LeNet-5 with SGD and with Adam, the 1-D CNN with SGD; inference of one sample and of 128.
            foreach (Workload workload in new[] { Workload.LeNet(OptimizerKind.Sgd, 100 / scale), Workload.LeNet(OptimizerKind.Adam, 100 / scale), Workload.SignalCnn(200 / scale) }.Where(_options.Selects))
                Train(workload, trainingEngines, scalar, null);
            foreach (Workload workload in new[] { Workload.LeNet(OptimizerKind.Sgd, 1), Workload.SignalCnn(1) }.Where(_options.Selects))
            {
                Infer(workload, 1, inferenceEngines, scalar, checker, budget);
                Infer(workload, 128, inferenceEngines, scalar, checker, budget);
            }

            if (_options.SelectsSeed)
            {
                Say("seed MLP: the Trainer (validation every epoch, as the README's main job) next to the bare Backward + Sgd.Step loop");
                overhead = TrainerOverhead.Measure(Workload.SeedMlp(), Timing.WarmUp, _options.Quick ? 10 : 40);
                Say($"  {TrainerOverheadText(overhead)}");
                Check($"seed MLP: the Trainer allocates {Format.Bytes(overhead.BytesPerStep ?? 0)} a step", overhead.BytesPerStep == 0);
            }
        }
        catch (EngineMismatchException mismatch)
        {
            stopped = mismatch.Message;
            Say($"STOP: {mismatch.Message}");
        }

        var report = new WidthReport(_width, Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k.StartsWith("DOTNET_Enable", StringComparison.Ordinal) || k == "DOTNET_PreferredVectorBitWidth").Order()
                .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").DefaultIfEmpty("none").Aggregate((a, b) => $"{a} {b}"),
            Vector512.IsHardwareAccelerated, Vector256.IsHardwareAccelerated, Vector128.IsHardwareAccelerated, Fma.IsSupported || AdvSimd.IsSupported,
            peak.Gflops, peak.Method, $".NET {Environment.Version}", _workloads, _checks, _notes, overhead, StoppedBecause: stopped);
        if (_options.ChildResult is { } path)
            File.WriteAllText(path, ResultsJson.Write(report));
        else
            Console.WriteLine(Report.Format(report));
        return _checks.All(c => c.Ok) ? 0 : 1;
    }

    private bool TimesScalar => _options.Natives;

    /// <summary>
    /// "bare 30 µs a step, Trainer 36 µs (1.2×), without validation 32 µs (1.07×); … divergence checks 0.9 µs (3 %), …":
    /// each share is a difference of best rounds, so a cost within the noise can print as a little below zero.
    /// </summary>
    public static string TrainerOverheadText(TrainerOverheadResult o)
    {
        string text = $"bare Backward + Step {Format.Time(o.BareSeconds)} a step, Trainer {Format.Time(o.TrainerSeconds)} ({Format.Ratio(o.Ratio)}), "
            + $"Trainer without a validation set {Format.Time(o.TrainerWithoutValidationSeconds)} ({Format.Ratio(o.TrainerWithoutValidationSeconds / o.BareSeconds)}); best rounds";
        if (o.ChecksSeconds is { } checks && o.ProgressSeconds is { } progress && o.ValidationSeconds is { } validation)
            text += $"; a step's cost of the divergence checks {Share(checks)}, the progress report {Share(progress)}, the validation loss {Share(validation)}";
        return text;

        string Share(double seconds) => $"{seconds * 1e6:0.00} µs ({100 * seconds / o.BareSeconds:0.0} %)";
    }

    private void Train(Workload workload, List<IEngine> engines, ScalarEngine scalar, PythonTorch? python)
    {
        string optimizer = workload.Optimizer == OptimizerKind.Adam ? "Adam" : "SGD";
        string title = workload.BatchesPerEpoch == 1
            ? $"{workload.Name}: training, {workload.Steps} epochs of {optimizer} on all {workload.BatchSize} samples as one batch"
            : $"{workload.Name}: training, {workload.Steps} {optimizer} steps of B = {workload.BatchSize}";
        Say(title);
        CheckFirstStep(workload, engines.Append(scalar));
        var rows = new List<EngineResult>();
        foreach (IEngine engine in engines)
        {
            if (engine.CreateTrainer(workload) is not { } first)
                continue;
            ITrainer? pending = first;
            // The first trainer made is the warm-up copy; the measured one starts again from the initial parameters.
            EngineResult row = Timing.Train(engine, () => { ITrainer t = pending ?? engine.CreateTrainer(workload)!; pending = null; return t; }, workload.Steps);
            Say($"  {engine.Name}: {Format.Time(row.BestSeconds)} a step (best round), {Format.Bytes(row.BytesPerCall ?? 0)} a step");
            rows.Add(row);
        }
        if (scalar.CreateTrainer(workload) is { } scalarTrainer)
        {
            if (TimesScalar)
            {
                int steps = _options.FullScalar || workload.Network == "SeedMlp" ? workload.Steps : Math.Max(2, workload.Steps / 10);
                ITrainer? pending = scalarTrainer;
                EngineResult row = Timing.Train(scalar, () => { ITrainer t = pending ?? scalar.CreateTrainer(workload)!; pending = null; return t; }, steps);
                Say($"  {scalar.Name}: {Format.Time(row.BestSeconds)} a step ({steps} steps)");
                rows.Add(row);
            }
            else
            {
                using (scalarTrainer)
                {
                    float firstLoss = scalarTrainer.Run(0, 1);
                    CheckClose($"{workload.TrainingKey} first-step loss, NetGen vs {scalar.Name} (untimed here)", rows[0].FirstLoss!.Value, firstLoss, 1e-4);
                }
            }
        }
        if (python is { Available: true } && workload.Network == "SeedMlp")
        {
            Say("  python3 problem_a.py (python3-torch) ...");
            EngineResult? row = python.Train(workload, out string note);
            Say(row is null ? $"  the PyTorch script failed: {note}" : $"  {row.Name}: {Format.Time(row.BestSeconds)} a step");
            if (row is not null)
                rows.Add(row);
        }

        EngineResult netgen = rows[0];
        Check($"{workload.TrainingKey}: NetGen allocates {Format.Bytes(netgen.BytesPerCall ?? 0)} a step", netgen.BytesPerCall == 0);
        foreach (EngineResult row in rows.Skip(1))
        {
            CheckClose($"{workload.TrainingKey} first-step loss, NetGen vs {row.Name}", netgen.FirstLoss!.Value, row.FirstLoss!.Value, 1e-4);
            if (row.Steps == netgen.Steps)
                CheckClose($"{workload.TrainingKey} loss after {workload.Steps} steps, NetGen vs {row.Name}", netgen.FinalLoss!.Value, row.FinalLoss!.Value, workload.FinalLossTolerance);
        }
        _workloads.Add(new WorkloadResult(workload.TrainingKey, title, WorkloadKind.Training, workload.BatchSize, workload.FlopsPerStep, workload.Steps, rows));
    }

    /// <summary>
    /// Before anything is timed: one step from the initial parameters on every engine that trains the workload, its loss
    /// (relative 10⁻⁴) and every updated parameter (absolute 10⁻⁴) against NetGen's. A disagreement stops the run.
    /// </summary>
    private void CheckFirstStep(Workload workload, IEnumerable<IEngine> engines)
    {
        float[]? netgenParameters = null;
        float netgenLoss = 0;
        foreach (IEngine engine in engines)
        {
            using ITrainer? trainer = engine.CreateTrainer(workload);
            if (trainer is null)
                continue;
            float loss = trainer.Run(0, 1);
            var parameters = new float[workload.InitialParameters.Length];
            if (!trainer.TryCopyParameters(parameters))
                continue;
            if (netgenParameters is null)
            {
                (netgenParameters, netgenLoss) = (parameters, loss);   // NetGen's: the first engine
                continue;
            }
            double lossDifference = Math.Abs(loss - netgenLoss) / Math.Max(Math.Abs(netgenLoss), 1e-12);
            int worst = 0;
            for (int i = 1; i < parameters.Length; i++)
                worst = Math.Abs(parameters[i] - netgenParameters[i]) > Math.Abs(parameters[worst] - netgenParameters[worst]) ? i : worst;
            double parameterDifference = Math.Abs(parameters[worst] - netgenParameters[worst]);
            bool ok = lossDifference <= 1e-4 && parameterDifference <= 1e-4;
            string text = $"{workload.TrainingKey}: the first step, NetGen vs {engine.Name}: loss {netgenLoss:G7} vs {loss:G7} (relative difference {lossDifference:G3}, "
                + $"tolerance 1E-04); updated parameters differ by at most {parameterDifference:G3} (parameter {worst}: {netgenParameters[worst]:G7} vs {parameters[worst]:G7}; tolerance 1E-04)";
            Check(text, ok);
            if (!ok)
                throw new EngineMismatchException(text);
        }
    }

    private void Infer(Workload workload, int batch, List<IEngine> engines, ScalarEngine scalar, IEngine? checker, TimeSpan budget)
    {
        string title = $"{workload.Name}: inference, {(batch == 1 ? "one sample" : $"batch of {batch}")}";
        Say(title);
        var rows = new List<EngineResult>();
        float[]? reference = null;
        foreach (IEngine engine in engines)
        {
            using IPredictor? predictor = engine.CreatePredictor(workload, batch);
            if (predictor is null)
                continue;
            float[] outputs = Timing.FirstOutputs(predictor);
            if (reference is null)
                reference = outputs;   // NetGen's: the engines after it are checked against it before they are timed
            else if (!OutputsAgree(workload, batch, engine.Name, reference, outputs))
                throw new EngineMismatchException($"{workload.Name} (batch {batch}): {engine.Name} disagrees with NetGen on the outputs of the first batch");
            EngineResult row = Timing.Infer(engine, predictor, budget);
            Say($"  {engine.Name}: {Format.Time(row.BestSeconds)} a call (best round), {Format.Bytes(row.BytesPerCall ?? 0)} a call");
            if (engine is NetGenEngine or HandWrittenNeuron)
                Check($"{workload.Network} inference (batch {batch}): {engine.Name} allocates {Format.Bytes(row.BytesPerCall ?? 0)} a call", row.BytesPerCall == 0);
            rows.Add(row);
        }
        using (IPredictor? predictor = scalar.CreatePredictor(workload, batch))
        {
            if (predictor is not null)
            {
                float[] outputs = Timing.FirstOutputs(predictor);
                if (!OutputsAgree(workload, batch, scalar.Name + (TimesScalar ? "" : " (untimed here)"), reference!, outputs))
                    throw new EngineMismatchException($"{workload.Name} (batch {batch}): {scalar.Name} disagrees with NetGen on the outputs of the first batch");
                if (TimesScalar)
                    rows.Add(Timing.Infer(scalar, predictor, budget));
            }
        }
        if (checker is not null)
        {
            using IPredictor? predictor = checker.CreatePredictor(workload, batch);
            if (predictor is not null && !OutputsAgree(workload, batch, checker.Name + " (untimed here)", reference!, Timing.FirstOutputs(predictor)))
                throw new EngineMismatchException($"{workload.Name} (batch {batch}): {checker.Name} disagrees with NetGen at {_width} on the outputs of the first batch");
        }
        _workloads.Add(new WorkloadResult($"{workload.Network}/{batch}", title, WorkloadKind.Inference, batch, workload.ForwardFlops(batch), 0, rows));
    }

    private bool OutputsAgree(Workload workload, int batch, string engine, float[] netgen, float[] other)
    {
        double worst = 0;
        for (int i = 0; i < netgen.Length; i++)
            worst = Math.Max(worst, Math.Abs(netgen[i] - other[i]));
        bool ok = netgen.Length == other.Length && worst <= 1e-4;
        Check($"{workload.Network} outputs (batch {batch}), NetGen vs {engine}: largest absolute difference {worst:G3} (tolerance 1E-04)", ok);
        return ok;
    }

    private void CheckClose(string what, double a, double b, double relative)
    {
        double difference = Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-12);
        Check($"{what}: {a:G7} vs {b:G7} (relative difference {difference:G3}, tolerance {relative:G2})", difference <= relative);
    }

    private void Check(string what, bool ok) => _checks.Add(new CheckResult(ok, what));

    private void Say(string line) => Console.WriteLine($"[{_width}] {line}");

    private static string Yes(bool value) => value ? "yes" : "no";
}

/// <summary>An engine disagreed with NetGen before anything was timed: the child stops, with this message as its reason.</summary>
public sealed class EngineMismatchException(string message) : Exception(message);
