using System.Linq;
using NetGen.Benchmarks.Comparison;
using Xunit;

namespace NetGen.Benchmarks.Tests;

/// <summary>The per-width tables and the table across widths, as `compare` prints them.</summary>
public class ReportTests
{
    private static WidthReport Width(string name, double peak, double netgenSeconds, params EngineResult[] extra) => new(
        name, "none", false, name != "128-bit", true, name != "128-bit", peak, "12 chains", ".NET 10",
        [new WorkloadResult("SeedMlp/train", "seed MLP 1→64→64→1: training", WorkloadKind.Training, 128, 4.55e6, 4000,
            [new EngineResult(EngineKind.NetGen, "NetGen (generated)", netgenSeconds, netgenSeconds * 1.5, 200, 4000, 0, 4000, 13.2861, 0.0862402), .. extra])],
        [new CheckResult(true, "an ok check"), new CheckResult(false, "a failed check")], ["libtorch: a note"]);

    [Fact]
    public void A_width_prints_what_was_accelerated_its_peak_and_each_row_against_that_peak()
    {
        string text = Report.Format(Width("256-bit", 91, 100e-6,
            new EngineResult(EngineKind.LibTorch, "libtorch, 1 thread", 250e-6, 300e-6, 200, 4000, 8800, 4000, 13.2861, 0.0862408)));
        Assert.Contains("=== 256-bit: switches none; Vector512 no, Vector256 yes, Vector128 yes hardware-accelerated, FMA yes", text);
        Assert.Contains("measured peak: 91 GFLOP/s (12 chains)", text);
        string netgen = text.Split('\n').Single(l => l.StartsWith("NetGen (generated)"));
        // 4.55 MFLOP in 100 µs: 45.5 GFLOP/s, 50 % of 91; 128 samples in 100 µs: 1,280,000 a second; median 150 µs; no
        // allocation; NetGen is the baseline.
        Assert.Equal(["NetGen", "(generated)", "100", "µs", "150", "µs", "1280000", "45.5", "50", "%", "0", "B", "1×", "13.2861", "0.0862402"], netgen.Split(' ', System.StringSplitOptions.RemoveEmptyEntries));
        string torch = text.Split('\n').Single(l => l.StartsWith("libtorch, 1 thread"));
        Assert.Contains("2.5×", torch);
        Assert.Contains("8.6 KB", torch);
        Assert.Contains("  ok    an ok check", text);
        Assert.Contains("  FAIL  a failed check", text);
    }

    [Fact]
    public void A_native_row_from_the_widest_run_is_marked_and_not_held_against_a_narrower_peak()
    {
        var copied = new EngineResult(EngineKind.LibTorch, "libtorch, 1 thread", 250e-6, 300e-6, 200, 4000, 8800, 4000, 13.2861, 0.0862408, MeasuredIn: "256-bit");
        string text = Report.Format(Width("128-bit", 45, 300e-6, copied));
        string torch = text.Split('\n').Single(l => l.StartsWith("libtorch, 1 thread"));
        Assert.StartsWith("libtorch, 1 thread [256-bit run]", torch);
        Assert.DoesNotContain("%", torch);
        Assert.Contains("0.83×", torch);   // 250 µs ÷ 300 µs: against this width's NetGen
    }

    [Fact]
    public void The_table_across_widths_has_one_column_per_width_with_its_peak()
    {
        string[] lines = Report.AcrossWidths([Width("256-bit", 91, 100e-6), Width("128-bit", 45.5, 200e-6)]).TrimEnd().Split('\n');
        Assert.Contains("256-bit (91 GFLOP/s peak)", lines[0]);
        Assert.Contains("128-bit (45.5 GFLOP/s peak)", lines[0]);
        Assert.StartsWith("seed MLP 1→64→64→1, training", lines[1]);
        Assert.Contains("100 µs, 50 %", lines[1]);   // 45.5 GFLOP/s of 91
        Assert.Contains("200 µs, 50 %", lines[1]);   // 22.75 GFLOP/s of 45.5
    }
}
