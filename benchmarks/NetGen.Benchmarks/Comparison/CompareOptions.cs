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
    bool FirstSecondOnly = false)
{
    public const string Usage = """
        usage: compare [--quick] [--widths <list>] [--no-torch] [--no-onnx] [--full-scalar] [--python <path>]
          --quick         a tenth of the steps, shorter warm-up and inference runs (a smoke test, not a measurement)
          --widths        the vector widths to measure, e.g. 256-bit,128-bit (default: every width this machine has, and scalar)
          --no-torch      leave libtorch out
          --no-onnx       leave ONNX Runtime out
          --full-scalar   run the scalar reference for every step of the wide workloads too (slow)
          --python        the Python interpreter with torch (default: python3, then /usr/bin/python3)
          --first-second  only the first second: the Trainer's overhead, the bare step and the cold starts (fresh
                          processes of benchmarks/NetGen.ColdStart, and its NativeAOT build when published), and
                          the three closing lines that measure them
        internal (the parent starts one child per width with these):
          --child <file>  measure at this process's widest width and write the results to <file> as JSON
          --no-native     leave out the native engines (libtorch, ONNX Runtime, python), measured once in the widest child
        """;

    /// <summary>The options the parent passes on to every child.</summary>
    public IEnumerable<string> ChildArguments()
    {
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
                case "--python" when i + 1 < args.Length:
                    options = options with { Python = args[++i] }; break;
                case "--child" when i + 1 < args.Length:
                    options = options with { ChildResult = args[++i] }; break;
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
