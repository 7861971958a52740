using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>The options of the compare command.</summary>
public sealed record CompareOptions(
    bool Quick = false,
    bool Torch = true,
    bool Onnx = true,
    bool FullScalar = false,
    string? Python = null,
    IReadOnlyList<string>? Widths = null,
    string? ChildResult = null,
    bool Natives = true,
    bool FirstSecondOnly = false,
    IReadOnlyList<string>? Workloads = null,
    bool ThreadsOnly = false,
    bool OnnxImportOnly = false)
{
    public const string Usage = """
        usage: compare [--quick] [--widths <list>] [--workloads <list>] [--no-torch] [--no-onnx] [--full-scalar] [--python <path>]
          --quick         a tenth of the steps, shorter warm-up and inference runs (a smoke test, not a measurement)
          --widths        the vector widths to measure, e.g. 256-bit,128-bit (default: every width this machine has, and scalar)
          --workloads     the workloads to run: groups (dense, cnn) and networks (SeedMlp, WideMlp, MnistMlp,
                          SimpleChainsMlp, LogisticNeuron, SoftmaxClassifier, LeNet, SignalCnn; LeNetBatchNorm and
                          BreastCancerModel in the threads table) and OnnxImport (the imported ONNX models), e.g. cnn
                          or LeNet,SeedMlp (default: all). The cold starts and the Trainer's overhead run with SeedMlp
          --no-torch      leave libtorch out
          --no-onnx       leave ONNX Runtime out
          --full-scalar   run the scalar reference for every step of the wide workloads too (slow)
          --python        the Python interpreter with torch (default: python3, then /usr/bin/python3)
          --first-second  only the first second: the Trainer's overhead, the bare step and the cold starts (fresh
                          processes of benchmarks/NetGen.ColdStart, JIT and NativeAOT, the latter published once per
                          change of its inputs), and the five closing lines that measure them
          --threads       only the threads table: the Trainer on 1, 2, … cores next to one thread uncut, for the
                          selected training workloads, and its closing line threads-speedup-mnist
          --onnx-import   only the imported ONNX models: each model the benchmark compiles with [OnnxNetwork] next to
                          ONNX Runtime on the same file, one sample and 128, and the closing line
                          onnx-import-worst-speedup-vs-onnxruntime
        internal (the parent starts one child per width with these):
          --child <file>  measure at this process's widest width and write the results to <file> as JSON
          --no-native     leave out the native engines (libtorch, ONNX Runtime, python), measured once in the widest child
        """;

    /// <summary>The names `--workloads` takes: the two groups, then the networks.</summary>
    public static readonly string[] WorkloadNames =
        [Workload.Dense, Workload.Cnn, "SeedMlp", "WideMlp", "MnistMlp", "SimpleChainsMlp", "LogisticNeuron", "SoftmaxClassifier", "LeNet", "LeNetBatchNorm", "SignalCnn", OnnxImport, BreastCancerLbfgs];

    /// <summary>The `--workloads` name of the breast-cancer model's L-BFGS row of the threads table.</summary>
    public const string BreastCancerLbfgs = "BreastCancerModel";

    /// <summary>The `--workloads` name of the imported ONNX models' comparison (which needs ONNX Runtime).</summary>
    public const string OnnxImport = "OnnxImport";

    /// <summary>Whether the imported ONNX models are compared: ONNX Runtime is in and `--workloads` selects them.</summary>
    public bool SelectsOnnxImport => Onnx && Selects(OnnxImport, OnnxImport);

    /// <summary>Whether `--workloads` (or its absence) selects the network <paramref name="network"/> of the group <paramref name="family"/>.</summary>
    public bool Selects(string family, string network) =>
        Workloads is null || Workloads.Any(w => string.Equals(w, family, StringComparison.OrdinalIgnoreCase) || string.Equals(w, network, StringComparison.OrdinalIgnoreCase));

    public bool Selects(Workload workload) => Selects(workload.Family, workload.Network);

    /// <summary>The seed MLP's extras (the cold starts, the Trainer's overhead) run when the seed MLP does.</summary>
    public bool SelectsSeed => Selects(Workload.Dense, "SeedMlp");

    /// <summary>The options the parent passes on to every child.</summary>
    public IEnumerable<string> ChildArguments()
    {
        if (Workloads is not null)
        {
            yield return "--workloads";
            yield return string.Join(",", Workloads);
        }
        if (Quick) yield return "--quick";
        if (!Torch) yield return "--no-torch";
        if (!Onnx) yield return "--no-onnx";
        if (FullScalar) yield return "--full-scalar";
        if (Python is not null)
        {
            yield return "--python";
            yield return Python;
        }
    }

    public static CompareOptions? Parse(string[] args)
    {
        var options = new CompareOptions();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": options = options with { Quick = true }; break;
                case "--no-torch": options = options with { Torch = false }; break;
                case "--no-onnx": options = options with { Onnx = false }; break;
                case "--full-scalar": options = options with { FullScalar = true }; break;
                case "--no-native": options = options with { Natives = false }; break;
                case "--first-second": options = options with { FirstSecondOnly = true }; break;
                case "--threads": options = options with { ThreadsOnly = true }; break;
                case "--onnx-import": options = options with { OnnxImportOnly = true }; break;
                case "--python" when i + 1 < args.Length:
                    options = options with { Python = args[++i] }; break;
                case "--child" when i + 1 < args.Length:
                    options = options with { ChildResult = args[++i] }; break;
                case "--workloads" when i + 1 < args.Length:
                    string[] names = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    string[] unknown = names.Where(n => !WorkloadNames.Contains(n, StringComparer.OrdinalIgnoreCase)).ToArray();
                    if (names.Length == 0 || unknown.Length > 0)
                    {
                        Console.Error.WriteLine($"compare: no workload named {string.Join(", ", unknown.DefaultIfEmpty("(none)"))}; --workloads takes {string.Join(", ", WorkloadNames)}");
                        return null;
                    }
                    options = options with { Workloads = names }; break;
                case "--widths" when i + 1 < args.Length:
                    options = options with { Widths = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() }; break;
                default:
                    Console.Error.WriteLine($"compare: unknown or incomplete option '{args[i]}'");
                    Console.Error.WriteLine(Usage);
                    return null;
            }
        }
        return options;
    }
}
