using System;
using System.Globalization;

namespace NetGen.Benchmarks.Comparison;

/// <summary>The options of the compare command.</summary>
public sealed record CompareOptions(double PeakGflops, bool Quick, bool Torch, bool FullScalar, string? Python)
{
    public const string Usage = """
        usage: compare [--quick] [--peak <GFLOP/s>] [--no-torch] [--full-scalar] [--python <path>]
          --quick         a tenth of the steps and shorter inference runs (a smoke test, not a measurement)
          --peak          one core's FP32 peak used for '% peak' (default 227: Zen 5, two 512-bit FMA pipes at ~3.5 GHz)
          --no-torch      leave libtorch out
          --full-scalar   run the scalar reference for every step of the wide workloads too (slow)
          --python        the Python interpreter with torch (default: python3, then /usr/bin/python3)
        """;

    public static CompareOptions? Parse(string[] args)
    {
        var options = new CompareOptions(227, false, true, false, null);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": options = options with { Quick = true }; break;
                case "--no-torch": options = options with { Torch = false }; break;
                case "--full-scalar": options = options with { FullScalar = true }; break;
                case "--peak" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double peak) && peak > 0:
                    options = options with { PeakGflops = peak }; i++; break;
                case "--python" when i + 1 < args.Length:
                    options = options with { Python = args[++i] }; break;
                default:
                    Console.Error.WriteLine($"compare: unknown or incomplete option '{args[i]}'");
                    Console.Error.WriteLine(Usage);
                    return null;
            }
        }
        return options;
    }
}
