using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Benchmarks.Comparison;

/// <summary>The tables of one width's results, and the table of NetGen across widths, as plain text.</summary>
public static class Report
{
    /// <summary>One width: what was accelerated, the measured peak, a table per workload, the checks.</summary>
    public static string Format(WidthReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"=== {report.Width}: switches {report.Switches}; Vector512 {Yes(report.Vector512)}, Vector256 {Yes(report.Vector256)}, "
            + $"Vector128 {Yes(report.Vector128)} hardware-accelerated, FMA {Yes(report.Fma)}; {report.Runtime}");
        text.AppendLine($"measured peak: {report.PeakGflops:0.#} GFLOP/s ({report.PeakMethod}); '% peak' below is of this figure");
        foreach (string note in report.Notes)
            text.AppendLine(note);
        text.AppendLine();
        foreach (WorkloadResult workload in report.Workloads)
        {
            text.AppendLine(workload.Kind == WorkloadKind.Training
                ? $"== {workload.Title} ({workload.Flops / 1e6:0.##} MFLOP of convolutions and matrix products a step)"
                : $"== {workload.Title} ({Comparison.Format.Flops(workload.Flops)} a call)");
            text.Append(workload.Kind == WorkloadKind.Training ? TrainingTable(workload, report.PeakGflops) : InferenceTable(workload, report.PeakGflops));
            text.AppendLine();
        }
        text.AppendLine($"checks ({report.Width}):");
        foreach (CheckResult check in report.Checks)
            text.AppendLine((check.Ok ? "  ok    " : "  FAIL  ") + check.Text);
        return text.ToString();
    }

    private static string TrainingTable(WorkloadResult workload, double peak)
    {
        EngineResult? netgen = workload.Engines.FirstOrDefault(e => e.Engine == EngineKind.NetGen);
        var table = new TextTable("engine", "best/step", "median/step", "samples/s", "GFLOP/s", "% peak", "alloc/step", "NetGen speed-up", "first loss", "final loss");
        foreach (EngineResult row in workload.Engines)
        {
            double gflops = workload.Flops / row.BestSeconds / 1e9;
            table.Add(Name(row), Comparison.Format.Time(row.BestSeconds), Comparison.Format.Time(row.MedianSeconds), SamplesPerSecond(workload, row),
                $"{gflops:0.#}", Percent(gflops, peak, row),
                row.BytesPerCall is { } bytes ? Comparison.Format.Bytes(bytes) : "–",
                netgen is null ? "–" : Comparison.Format.Ratio(row.BestSeconds / netgen.BestSeconds),
                row.FirstLoss is { } first ? $"{first:G6}" : "–",
                row.FinalLoss is { } final ? (row.Steps == workload.Steps ? $"{final:G6}" : $"(ran {row.Steps} steps)") : "–");
        }
        return table.ToString();
    }

    private static string InferenceTable(WorkloadResult workload, double peak)
    {
        EngineResult? netgen = workload.Engines.FirstOrDefault(e => e.Engine == EngineKind.NetGen);
        var table = new TextTable("engine", "best/call", "median/call", "per sample", "samples/s", "GFLOP/s", "% peak", "alloc/call", "NetGen speed-up");
        foreach (EngineResult row in workload.Engines)
        {
            double gflops = workload.Flops / row.BestSeconds / 1e9;
            table.Add(Name(row), Comparison.Format.Time(row.BestSeconds), Comparison.Format.Time(row.MedianSeconds),
                Comparison.Format.Time(row.BestSeconds / workload.Batch), SamplesPerSecond(workload, row), $"{gflops:0.#}", Percent(gflops, peak, row),
                row.BytesPerCall is { } bytes ? Comparison.Format.Bytes(bytes) : "–",
                netgen is null ? "–" : Comparison.Format.Ratio(row.BestSeconds / netgen.BestSeconds));
        }
        return table.ToString();
    }

    /// <summary>NetGen's best time for every workload at every width, with the fraction of that width's peak.</summary>
    public static string AcrossWidths(IReadOnlyList<WidthReport> reports)
    {
        if (reports.Count == 0)
            return "";
        var header = new List<string> { "NetGen, best round" };
        header.AddRange(reports.Select(r => $"{r.Width} ({r.PeakGflops:0.#} GFLOP/s peak)"));
        var table = new TextTable(header.ToArray());
        foreach (WorkloadResult workload in reports[0].Workloads)
        {
            var cells = new List<string> { workload.Title.Split(':')[0] + (workload.Kind == WorkloadKind.Training ? ", training" : $", inference B = {workload.Batch}") };
            foreach (WidthReport report in reports)
            {
                EngineResult? row = report.Workloads.FirstOrDefault(w => w.Key == workload.Key)?.Engines.FirstOrDefault(e => e.Engine == EngineKind.NetGen);
                cells.Add(row is null ? "–" : $"{Comparison.Format.Time(row.BestSeconds)}, {Percent(workload.Flops / row.BestSeconds / 1e9, report.PeakGflops)}");
            }
            table.Add(cells.ToArray());
        }
        return table.ToString();
    }

    /// <summary>Samples (images, signals) a second on one core, best round: the batch ÷ the step's or call's time.</summary>
    private static string SamplesPerSecond(WorkloadResult workload, EngineResult row) => $"{workload.Batch / row.BestSeconds:0}";

    private static string Name(EngineResult row) => row.MeasuredIn is null ? row.Name : $"{row.Name} [{row.MeasuredIn} run]";

    private static string Percent(double gflops, double peak) => peak > 0 ? $"{100 * gflops / peak:0.#} %" : "–";

    /// <summary>A native row copied from the widest run is not held against a narrower width's peak.</summary>
    private static string Percent(double gflops, double peak, EngineResult row) => row.MeasuredIn is null ? Percent(gflops, peak) : "–";

    private static string Yes(bool value) => value ? "yes" : "no";
}
