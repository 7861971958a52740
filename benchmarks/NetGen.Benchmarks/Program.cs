using System;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks;

public static class Program
{
    /// <summary>`-- compare` runs the side-by-side comparison, `-- mlnet` the breast-cancer problem next to ML.NET; anything else goes to BenchmarkDotNet (e.g. `--filter *Seed*`).</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "profile")
            return Profile.Run(args[1..]);
        if (args.Length > 0 && args[0] == "compare")
            return Compare.Run(args[1..]);
        if (args.Length > 0 && args[0] == "mlnet")
            return MlNet.BreastCancerSideBySide.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
