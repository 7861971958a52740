using System;
using System.Diagnostics;

namespace NetGen.Benchmarks.Engines;

/// <summary>What one engine measured on one training workload.</summary>
public sealed record TrainingRun(int Steps, TimeSpan Elapsed, long AllocatedBytes, float FirstLoss, float FinalLoss)
{
    public double SecondsPerStep => Elapsed.TotalSeconds / Steps;
    public double BytesPerStep => (double)AllocatedBytes / Steps;
}

/// <summary>What one engine measured on one inference workload, with the outputs of the first batch for the cross-check.</summary>
public sealed record InferenceRun(long Calls, TimeSpan Elapsed, long AllocatedBytes, float[] FirstOutputs)
{
    public double SecondsPerCall => Elapsed.TotalSeconds / Calls;
    public double BytesPerCall => (double)AllocatedBytes / Calls;
}

/// <summary>An implementation of the workloads: NetGen, the scalar reference, libtorch.</summary>
public interface IEngine
{
    string Name { get; }

    /// <summary>Runs <paramref name="steps"/> SGD steps from the workload's initial parameters, after a warm-up on a separate copy.</summary>
    TrainingRun Train(Workload workload, int steps);

    /// <summary>Forward passes over batches of <paramref name="batch"/> samples for about <paramref name="budget"/>, after a warm-up.</summary>
    InferenceRun Infer(Workload workload, int batch, TimeSpan budget);
}

/// <summary>Timing helpers shared by the engines.</summary>
public static class Timing
{
    /// <summary>How long each engine's code runs before it is timed: the JIT's tiers need about a second to settle.</summary>
    public static TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Calls <paramref name="action"/> until <paramref name="duration"/> has passed (at least <paramref name="minimumCalls"/> times).</summary>
    public static void RunFor(TimeSpan duration, Action action, int minimumCalls = 10)
    {
        var stopwatch = Stopwatch.StartNew();
        for (int calls = 0; calls < minimumCalls || stopwatch.Elapsed < duration; calls++)
            action();
    }

    /// <summary>
    /// Calls <paramref name="call"/> in rounds until <paramref name="budget"/> has passed, then reports calls, time and
    /// bytes allocated on this thread. The clock is read once per round, not per call.
    /// </summary>
    public static (long Calls, TimeSpan Elapsed, long Allocated) Measure(TimeSpan budget, Action<int> call)
    {
        long calls = 0;
        int round = 1;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < budget)
        {
            for (int i = 0; i < round; i++)
                call((int)((calls + i) & int.MaxValue));
            calls += round;
            if (round < 1 << 16)
                round *= 2;
        }
        stopwatch.Stop();
        return (calls, stopwatch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
