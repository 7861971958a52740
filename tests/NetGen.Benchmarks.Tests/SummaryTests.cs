using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Benchmarks.Comparison;
using Xunit;

namespace NetGen.Benchmarks.Tests;

/// <summary>The fifteen closing lines: which rows each ratio takes, and how they print.</summary>
public class SummaryTests
{
    private static EngineResult Row(EngineKind kind, double seconds) => new(kind, kind.ToString(), seconds, seconds * 1.1, 25, 1000, 0);

    private static WorkloadResult Workload(string key, WorkloadKind kind, int batch, double flops, params EngineResult[] rows) =>
        new(key, key + " title", kind, batch, flops, kind == WorkloadKind.Training ? 100 : 0, rows.ToList());

    /// <summary>
    /// Cold starts whose medians are known: first Forward 45 ms, step 4000 260 ms, the 4000 steps 200 ms (tiered), 40 ms
    /// with tiering off (5×), 4000 warm steps of 40 µs = 160 ms (1.25×); NativeAOT must not count.
    /// </summary>
    private static ColdStartResult Cold() => new(
        [
            new ColdConfig("JIT, tiered (default)", [new ColdRun(50, 100, 300, 200), new ColdRun(41.5, 120, 250, 190), new ColdRun(45, 90, 260, 210)]),
            new ColdConfig("JIT, DOTNET_TieredCompilation=0", [new ColdRun(10, 20, 30, 40)]),
            new ColdConfig("NativeAOT", [new ColdRun(1, 2, 3, 4)]),
        ],
        ["a note"], SteadyStepSeconds: 40e-6);

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
            .. Cnn(),
            .. extra,
        ],
        [], [], Overhead(), Cold());

    /// <summary>
    /// CNN workloads whose ratios are known, each below every dense ratio so that a dense line taking one of them shows.
    /// LeNet Adam: 289.78 MFLOP in 5.12 ms = 56.6 GFLOP/s, 62.2 % of 91; 128 ÷ 5.12 ms = 25,000 images a second.
    /// </summary>
    private static WorkloadResult[] Cnn() =>
    [
        Workload("LeNet/train", WorkloadKind.Training, 128, 289_781_760, Row(EngineKind.NetGen, 4e-3), Row(EngineKind.LibTorch, 12e-3)),            // 3
        Workload("LeNet/train-adam", WorkloadKind.Training, 128, 289_781_760, Row(EngineKind.NetGen, 5.12e-3), Row(EngineKind.LibTorch, 10.24e-3)), // 2
        Workload("SignalCnn/train", WorkloadKind.Training, 128, 183_697_408, Row(EngineKind.NetGen, 4e-3), Row(EngineKind.LibTorch, 0.6 * 4e-3)),    // 0.6
        Workload("LeNet/1", WorkloadKind.Inference, 1, 833_040, Row(EngineKind.NetGen, 20e-6), Row(EngineKind.LibTorch, 8e-6),                      // 0.4: one image counts
            Row(EngineKind.OnnxRuntime, 6e-6)),                                                                                                       // 0.3
        Workload("SignalCnn/128", WorkloadKind.Inference, 128, 62_455_808, Row(EngineKind.NetGen, 1e-3), Row(EngineKind.LibTorch, 0.9e-3),
            Row(EngineKind.OnnxRuntime, 0.45e-3)),                                                                                                    // 0.9 and 0.45
    ];

    [Fact]
    public void The_fifteen_lines_take_the_rows_they_promise()
    {
        Assert.Equal(
            [
                "peak-gflops: 91",
                "seed-percent-of-peak: 50",
                "speedup-vs-libtorch: 2.5",
                "worst-speedup-vs-libtorch: 0.7",
                "worst-speedup-vs-onnxruntime: 0.5",
                "neuron-vs-hand: 4",
                "cold-first-forward-ms: 45",
                "cold-4000-steps-ms: 260",
                "trainer-overhead: 1.2",
                "cold-steps-vs-tiering-off: 5",
                "cold-steps-vs-steady-steps: 1.25",
                "lenet-images-per-second: 25000",
                "lenet-percent-of-peak: 62.2",
                "cnn-worst-speedup-vs-libtorch: 0.4",
                "cnn-worst-speedup-vs-onnxruntime: 0.3",
            ],
            Summary.Lines(Report()).Select(l => l.Text));
    }

    [Fact]
    public void The_cnn_lines_name_the_workloads_that_decided_them()
    {
        IReadOnlyList<Summary.Line> lines = Summary.Lines(Report());
        Assert.Equal("LeNet/1 title: LibTorch ÷ NetGen", lines[13].Why);
        Assert.Equal("LeNet/1 title: OnnxRuntime ÷ NetGen", lines[14].Why);
        Assert.Contains("Adam", lines[11].Why);
    }

    [Fact]
    public void The_dense_lines_leave_the_cnn_workloads_out_and_the_cnn_lines_the_dense_ones()
    {
        // A dense workload slower than every CNN ratio moves the dense lines only.
        WidthReport report = Report(Workload("MnistMlp/train2", WorkloadKind.Training, 128, 1e8, Row(EngineKind.NetGen, 1e-3), Row(EngineKind.LibTorch, 0.1e-3)));
        IReadOnlyList<Summary.Line> lines = Summary.Lines(report);
        Assert.Equal("worst-speedup-vs-libtorch: 0.1", lines[3].Text);
        Assert.Equal("cnn-worst-speedup-vs-libtorch: 0.4", lines[13].Text);
        Assert.True(Summary.IsCnn(Cnn()[0]));
        Assert.False(Summary.IsCnn(Report().Workloads[0]));
    }

    [Fact]
    public void The_worst_ratio_names_its_workload()
    {
        var (value, why) = Summary.Worst(Report().Workloads.Where(w => !Summary.IsCnn(w)).Where(Summary.CountsAgainstLibTorch), EngineKind.LibTorch);
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
             "worst-speedup-vs-onnxruntime: n/a", "neuron-vs-hand: n/a", "cold-first-forward-ms: n/a", "cold-4000-steps-ms: n/a", "trainer-overhead: n/a",
             "cold-steps-vs-tiering-off: n/a", "cold-steps-vs-steady-steps: n/a",
             "lenet-images-per-second: n/a", "lenet-percent-of-peak: n/a", "cnn-worst-speedup-vs-libtorch: n/a", "cnn-worst-speedup-vs-onnxruntime: n/a"],
            Summary.Lines(report).Select(l => l.Text));
    }

    [Fact]
    public void The_printed_summary_ends_with_the_fifteen_lines_each_alone_on_its_line()
    {
        string[] lines = Summary.Format(Report()).TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(Summary.Lines(Report()).Select(l => l.Text), lines[^15..]);
        Assert.All(lines[^15..], l => Assert.Matches(@"^[a-z0-9-]+: (\d+(\.\d+)?|n/a)$", l));
    }

    [Fact]
    public void The_output_ends_with_the_four_cnn_lines_in_the_issues_order()
    {
        string[] lines = Summary.Format(Report()).TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^lenet-images-per-second: \d+(\.\d{1,2})?$", lines[^4]);
        Assert.Matches(@"^lenet-percent-of-peak: \d+(\.\d{1,2})?$", lines[^3]);
        Assert.Matches(@"^cnn-worst-speedup-vs-libtorch: \d+(\.\d{1,2})?$", lines[^2]);
        Assert.Matches(@"^cnn-worst-speedup-vs-onnxruntime: \d+(\.\d{1,2})?$", lines[^1]);
    }

    [Fact]
    public void The_first_second_lines_are_present_with_their_keys_in_order()
    {
        string[] lines = Summary.Format(Report()).TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^cold-first-forward-ms: \d+(\.\d{1,2})?$", lines[^9]);
        Assert.Matches(@"^cold-4000-steps-ms: \d+(\.\d{1,2})?$", lines[^8]);
        Assert.Matches(@"^trainer-overhead: \d+(\.\d{1,2})?$", lines[^7]);
        Assert.Matches(@"^cold-steps-vs-tiering-off: \d+(\.\d{1,2})?$", lines[^6]);
        Assert.Matches(@"^cold-steps-vs-steady-steps: \d+(\.\d{1,2})?$", lines[^5]);
        Assert.Equal(Summary.FirstSecondKeys, lines[^9..^4].Select(l => l.Split(':')[0]));
        // Each key once in the whole text's closing block, never twice.
        Assert.Single(lines, l => l.StartsWith("cold-first-forward-ms:", System.StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("trainer-overhead:", System.StringComparison.Ordinal));
    }

    [Fact]
    public void The_cold_lines_read_the_default_jit_only_and_are_na_when_it_never_ran()
    {
        ColdStartResult noTiered = new([new ColdConfig("JIT, tiered (default)", []), new ColdConfig("NativeAOT", [new ColdRun(1, 2, 3, 4)])], [], 40e-6);
        IReadOnlyList<Summary.Line> lines = Summary.Lines(Report() with { ColdStart = noTiered });
        Assert.Equal("cold-first-forward-ms: n/a", lines[6].Text);
        Assert.Equal("cold-4000-steps-ms: n/a", lines[7].Text);
        Assert.Equal("cold-steps-vs-tiering-off: n/a", lines[9].Text);
        Assert.Equal("cold-steps-vs-steady-steps: n/a", lines[10].Text);
    }

    [Fact]
    public void Cold_configs_give_their_best_median_and_worst_per_mark()
    {
        ColdConfig tiered = Cold().Configs[0];
        Assert.Equal(new ColdRun(41.5, 90, 250, 190), tiered.Best);
        Assert.Equal(new ColdRun(45, 100, 260, 200), tiered.Median);
        Assert.Equal(new ColdRun(50, 120, 300, 210), tiered.Worst);
        Assert.Equal(1.2, Overhead().Ratio, 12);
    }

    [Fact]
    public void The_trainers_cost_comes_apart_into_checks_progress_and_validation()
    {
        // Bare 30 µs; the Trainer alone 30.5; with a progress sink 31; the bare loop with the validation loss 34.
        var parts = new TrainerOverheadResult(30e-6, 36e-6, 31e-6, 0, TrainerAloneSeconds: 30.5e-6, BareWithValidationSeconds: 34e-6);
        Assert.Equal(0.5e-6, parts.ChecksSeconds!.Value, 12);
        Assert.Equal(0.5e-6, parts.ProgressSeconds!.Value, 12);
        Assert.Equal(4e-6, parts.ValidationSeconds!.Value, 12);
        // A report from before the parts were measured has none of them.
        Assert.Null(Overhead().ChecksSeconds);
        Assert.Null(Overhead().ValidationSeconds);
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
