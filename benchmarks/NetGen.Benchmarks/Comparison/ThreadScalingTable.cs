using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// One training workload's step in the Trainer on 1, 2, … threads, next to the same Trainer uncut on one thread (the
/// step a user had before threads). Times are seconds a step, the best round of each.
/// </summary>
/// <param name="Workload">The workload's name.</param>
/// <param name="Network">The generated class's name (the key of the closing line).</param>
/// <param name="BatchSize">The batch.</param>
/// <param name="ChunkSize">The chunk size measured on every thread count.</param>
/// <param name="AutomaticChunkSize">The Trainer's own choice for the workload (the batch itself when it does not cut it).</param>
/// <param name="UncutSeconds">One thread, <c>ChunkSize = BatchSize</c>.</param>
/// <param name="ByThreads">Automatic chunking on each thread count, in increasing order from 1.</param>
/// <param name="Lbfgs">An L-BFGS row: times are of an evaluation of the full batch (and its share of the update), not of a Trainer step.</param>
public sealed record ThreadScalingRow(string Workload, string Network, int BatchSize, int ChunkSize, int AutomaticChunkSize, double UncutSeconds,
    IReadOnlyList<ThreadTiming> ByThreads, bool Lbfgs = false)
{
    /// <summary>The uncut one-thread step ÷ the step on the most threads: what a user with every core gains.</summary>
    public double AllCoresSpeedup => UncutSeconds / ByThreads[^1].Seconds;
}

/// <summary>
/// The threads table's rows, what the FP32 peak's loop gains on <paramref name="Threads"/> threads at once, the
/// reduction's cost alone by chunk count (empty when the 784-wide network is not selected), and the time a cache line
/// takes from one core to another and back (<see cref="CoreRoundTrip"/>).
/// </summary>
public sealed record ThreadScalingResult(IReadOnlyList<ThreadScalingRow> Rows, int Threads, double PeakSpeedup, IReadOnlyList<ReductionTiming> Reduction,
    double RoundTripNanoseconds);

/// <summary>The reduction of <paramref name="Chunks"/> chunks' gradients on <paramref name="Threads"/> threads: its best time.</summary>
public readonly record struct ReductionTiming(int Chunks, int Threads, double Seconds);

/// <summary>A step's best-round time on <paramref name="Threads"/> threads.</summary>
public readonly record struct ThreadTiming(int Threads, double Seconds);

/// <summary>The threads table and its closing line.</summary>
public static class ThreadScalingTable
{
    /// <summary>The closing line's key; its workload is the 784 → 256 → 128 → 10 network at B = 128.</summary>
    public const string Key = "threads-speedup-mnist";

    public const string MnistNetwork = "MnistMlp";

    /// <summary>The key of the line that bounds the first: the peak's loop on every core at once ÷ on one.</summary>
    public const string PeakKey = "threads-peak-speedup";

    /// <summary>
    /// Rows of: workload, batch, the Trainer's own chunking, the chunking measured, the uncut one-thread step, then per thread count its step and its speed-up over
    /// the uncut step. Every row has the same thread counts.
    /// </summary>
    public static string Format(IReadOnlyList<ThreadScalingRow> rows)
    {
        if (rows.Count == 0)
            return "";
        int[] counts = rows[0].ByThreads.Select(t => t.Threads).ToArray();
        if (rows.Any(r => !r.ByThreads.Select(t => t.Threads).SequenceEqual(counts)))
            throw new ArgumentException("Every row must have the same thread counts.", nameof(rows));
        string[] header = ["workload", "batch", "by default", "chunks", "1 thread, uncut", .. counts.Select(c => $"{c} thread{(c == 1 ? "" : "s")}")];
        var table = new TextTable(header);
        foreach (ThreadScalingRow row in rows)
        {
            table.Add([row.Workload, row.BatchSize.ToString(), Chunks(row.BatchSize, row.AutomaticChunkSize), Chunks(row.BatchSize, row.ChunkSize), Comparison.Format.Time(row.UncutSeconds),
                .. row.ByThreads.Select(t => $"{Comparison.Format.Time(t.Seconds)} ({Comparison.Format.Ratio(row.UncutSeconds / t.Seconds)})")]);
        }
        return table.ToString();
    }

    /// <summary>
    /// Rows of: chunks, then per thread count the reduction's time; empty without timings. Every chunk count must have
    /// the same thread counts.
    /// </summary>
    public static string FormatReduction(IReadOnlyList<ReductionTiming> timings)
    {
        if (timings.Count == 0)
            return "";
        int[] counts = timings.Select(t => t.Threads).Distinct().Order().ToArray();
        var table = new TextTable(["chunks", .. counts.Select(c => $"{c} thread{(c == 1 ? "" : "s")}")]);
        foreach (IGrouping<int, ReductionTiming> chunk in timings.GroupBy(t => t.Chunks))
        {
            if (!chunk.Select(t => t.Threads).Order().SequenceEqual(counts))
                throw new ArgumentException("Every chunk count must have the same thread counts.", nameof(timings));
            table.Add([chunk.Key.ToString(), .. chunk.OrderBy(t => t.Threads).Select(t => Comparison.Format.Time(t.Seconds))]);
        }
        return table.ToString();
    }

    /// <summary>"2 × 64", or "uncut" for a batch in one piece.</summary>
    public static string Chunks(int batchSize, int chunkSize)
    {
        int chunks = (batchSize + chunkSize - 1) / chunkSize;
        return chunks == 1 ? "uncut" : $"{chunks} × {chunkSize}";
    }

    /// <summary>"threads-speedup-mnist: 1.45", or "n/a" when the 784-wide network was not measured.</summary>
    public static string Line(IReadOnlyList<ThreadScalingRow> rows)
    {
        ThreadScalingRow? mnist = rows.FirstOrDefault(r => r.Network == MnistNetwork && !r.Lbfgs);
        return $"{Key}: {(mnist is null ? "n/a" : Summary.Number(mnist.AllCoresSpeedup))}";
    }

    /// <summary>"threads-peak-speedup: 1.98": the ceiling of <see cref="Key"/>'s figure for FMA-bound work on this machine.</summary>
    public static string PeakLine(double peakSpeedup) => $"{PeakKey}: {Summary.Number(peakSpeedup)}";
}
