using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Benchmarks.Comparison;
using Xunit;

namespace NetGen.Benchmarks.Tests;

/// <summary>The nine closing lines: which rows each ratio takes, and how they print.</summary>
public class SummaryTests
{
    private static EngineResult Row(EngineKind kind, double seconds) => new(kind, kind.ToString(), seconds, seconds * 1.1, 25, 1000, 0);

    private static WorkloadResult Workload(string key, WorkloadKind kind, int batch, double flops, params EngineResult[] rows) =>
        new(key, key + " title", kind, batch, flops, kind == WorkloadKind.Training ? 100 : 0, rows.ToList());

    /// <summary>Cold starts whose best figures are known: first Forward 41.5 ms, step 4000 250 ms (tiered); the other configs must not count.</summary>
    private static ColdStartResult Cold() => new(
        [
            new ColdConfig("JIT, tiered (default)", [new ColdRun(50, 100, 300, 200), new ColdRun(41.5, 120, 250, 190), new ColdRun(45, 90, 260, 210)]),
            new ColdConfig("JIT, DOTNET_TieredCompilation=0", [new ColdRun(10, 20, 30, 40)]),
            new ColdConfig("NativeAOT", [new ColdRun(1, 2, 3, 4)]),
        ],
        ["a note"]);

    /// <summary>The Trainer at 36 µs a step against 30 µs bare: 1.2.</summary>
    private static TrainerOverheadResult Overhead() => new(30e-6, 36e-6, 31e-6, 0);

    /// <summary>A widest-width report whose every ratio is known: see each row's comment.</summary>
    private static WidthReport Report(params WorkloadResult[] extra) => new(
        "256-bit", "none", false, true, true, true, PeakGflops: 91, "12 chains", ".NET 10",
        [
            // 4.55 MFLOP in 100 µs = 45.5 GFLOP/s = 50 % of 91; libtorch 250 µs: 2.5×.
            Workload("SeedMlp/train", WorkloadKind.Training, 128, 4.55e6, Row(EngineKind.NetGen, 100e-6), Row(EngineKind.LibTorch, 250e-6),
                Row(EngineKind.LibTorchDefaultThreads, 10e-6), Row(EngineKind.OnnxRuntime, 1e-9)),   // neither counts in a worst ratio
            Workload("MnistMlp/train", WorkloadKind.Training, 128, 1e8, Row(EngineKind.NetGen, 1e-3), Row(EngineKind.LibTorch, 0.8e-3)),       // 0.8
            Workload("MnistMlp/128", WorkloadKind.Inference, 128, 6e7, Row(EngineKind.NetGen, 1e-3), Row(EngineKind.LibTorch, 0.7e-3),
                Row(EngineKind.OnnxRuntime, 0.5e-3)),                                                                                        // 0.7 and 0.5
            Workload("MnistMlp/1", WorkloadKind.Inference, 1, 4.7e5, Row(EngineKind.NetGen, 30e-6), Row(EngineKind.LibTorch, 3e-6),          // 0.1: one sample, not counted
                Row(EngineKind.OnnxRuntime, 24e-6)),                                                                                         // 0.8
            Workload("LogisticNeuron/1", WorkloadKind.Inference, 1, 4, Row(EngineKind.NetGen, 40e-9), Row(EngineKind.HandWritten, 10e-9),
                Row(EngineKind.OnnxRuntime, 2e-6)),                                                                                          // 4 and 50
            .. extra,
        ],
        [], [], Overhead(), Cold());

    [Fact]
    public void The_nine_lines_take_the_rows_they_promise()
    {
        Assert.Equal(
            [
                "peak-gflops: 91",
                "seed-percent-of-peak: 50",
                "speedup-vs-libtorch: 2.5",
                "worst-speedup-vs-libtorch: 0.7",
                "worst-speedup-vs-onnxruntime: 0.5",
                "neuron-vs-hand: 4",
                "cold-first-forward-ms: 41.5",
                "cold-4000-steps-ms: 250",
                "trainer-overhead: 1.2",
            ],
            Summary.Lines(Report()).Select(l => l.Text));
    }

    [Fact]
    public void The_worst_ratio_names_its_workload()
    {
        var (value, why) = Summary.Worst(Report().Workloads.Where(Summary.CountsAgainstLibTorch), EngineKind.LibTorch);
        Assert.Equal(0.7, value!.Value, 12);
        Assert.StartsWith("MnistMlp/128 title", why);
    }

    [Fact]
    public void Single_sample_workloads_do_not_count_against_libtorch_but_do_against_onnxruntime()
    {
        WidthReport report = Report(Workload("SeedMlp/1", WorkloadKind.Inference, 1, 8e3, Row(EngineKind.NetGen, 1e-6), Row(EngineKind.LibTorch, 0.01e-6),
            Row(EngineKind.OnnxRuntime, 0.25e-6)));
        IReadOnlyList<Summary.Line> lines = Summary.Lines(report);
        Assert.Equal("worst-speedup-vs-libtorch: 0.7", lines[3].Text);
        Assert.Equal("worst-speedup-vs-onnxruntime: 0.25", lines[4].Text);
    }

    [Fact]
    public void A_missing_engine_prints_na_instead_of_a_number()
    {
        var report = new WidthReport("128-bit", "DOTNET_EnableAVX2=0", false, false, true, false, 0, "", ".NET 10",
            [Workload("SeedMlp/train", WorkloadKind.Training, 128, 4.55e6, Row(EngineKind.NetGen, 100e-6))], [], []);
        Assert.Equal(
            ["peak-gflops: n/a", "seed-percent-of-peak: n/a", "speedup-vs-libtorch: n/a", "worst-speedup-vs-libtorch: n/a",
             "worst-speedup-vs-onnxruntime: n/a", "neuron-vs-hand: n/a", "cold-first-forward-ms: n/a", "cold-4000-steps-ms: n/a", "trainer-overhead: n/a"],
            Summary.Lines(report).Select(l => l.Text));
    }

    [Fact]
    public void The_printed_summary_ends_with_the_nine_lines_each_alone_on_its_line()
    {
        string[] lines = Summary.Format(Report()).TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(Summary.Lines(Report()).Select(l => l.Text), lines[^9..]);
        Assert.All(lines[^9..], l => Assert.Matches(@"^[a-z0-9-]+: (\d+(\.\d+)?|n/a)$", l));
    }

    [Fact]
    public void The_first_second_lines_are_present_with_their_keys_in_order()
    {
        string[] lines = Summary.Format(Report()).TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^cold-first-forward-ms: \d+(\.\d{1,2})?$", lines[^3]);
        Assert.Matches(@"^cold-4000-steps-ms: \d+(\.\d{1,2})?$", lines[^2]);
        Assert.Matches(@"^trainer-overhead: \d+(\.\d{1,2})?$", lines[^1]);
        // Each key once in the whole text's closing block, never twice.
        Assert.Single(lines, l => l.StartsWith("cold-first-forward-ms:", System.StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("trainer-overhead:", System.StringComparison.Ordinal));
    }

    [Fact]
    public void The_cold_lines_read_the_default_jit_only_and_are_na_when_it_never_ran()
    {
        ColdStartResult noTiered = new([new ColdConfig("JIT, tiered (default)", []), new ColdConfig("NativeAOT", [new ColdRun(1, 2, 3, 4)])], []);
        IReadOnlyList<Summary.Line> lines = Summary.Lines(Report() with { ColdStart = noTiered });
        Assert.Equal("cold-first-forward-ms: n/a", lines[6].Text);
        Assert.Equal("cold-4000-steps-ms: n/a", lines[7].Text);
    }

    [Fact]
    public void Cold_configs_give_their_best_and_median_per_mark()
    {
        ColdConfig tiered = Cold().Configs[0];
        Assert.Equal(new ColdRun(41.5, 90, 250, 190), tiered.Best);
        Assert.Equal(new ColdRun(45, 100, 260, 200), tiered.Median);
        Assert.Equal(1.2, Overhead().Ratio, 12);
    }

    [Fact]
    public void Numbers_print_the_same_in_every_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("speedup-vs-libtorch: 2.5", Summary.Lines(Report())[2].Text);
            Assert.Equal("1234.57", Summary.Number(1234.5678));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void A_report_survives_the_trip_from_child_to_parent()
    {
        WidthReport report = Report() with { Checks = [new CheckResult(false, "a failed check")], Notes = ["a note"] };
        report.Workloads[0].Engines.Add(new EngineResult(EngineKind.PyTorchScript, "script", 1e-3, 1e-3, 1, 4000, null, 4000, 13.2861, 0.0862));
        WidthReport back = ResultsJson.Read(ResultsJson.Write(report))!;
        Assert.Equal(ResultsJson.Write(report), ResultsJson.Write(back));
        Assert.Null(back.Workloads[0].Engines[^1].BytesPerCall);
        Assert.Equal(EngineKind.PyTorchScript, back.Workloads[0].Engines[^1].Engine);
        Assert.Contains("\"PyTorchScript\"", ResultsJson.Write(report));
        Assert.Equal(Summary.Lines(report).Select(l => l.Text), Summary.Lines(back).Select(l => l.Text));
    }
}
