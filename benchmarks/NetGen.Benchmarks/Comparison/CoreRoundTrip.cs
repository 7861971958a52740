using System;
using System.Diagnostics;
using System.Threading;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// How far apart two of the machine's processors are: two threads hand a counter back and forth through one cache
/// line, and the time of a round trip is the time a written line takes to reach the other core and an answer to come
/// back. A cut step moves its gradients and parameters between the cores every step (the reduction reads every
/// chunk's gradients; every chunk reads the parameters the other threads stepped), so the threads' speed-up follows
/// this figure where the FP32 peak's loop, which shares nothing, cannot show it: on the 2-core Zen 5 here the host
/// placed the two virtual processors about 190 ns apart at one time and about 500 ns apart at another.
/// </summary>
public static class CoreRoundTrip
{
    /// <summary>Hand-offs a round: long enough (tens of milliseconds) to hide the threads' start.</summary>
    private const int HandOffs = 100_000;

    /// <summary>The closing line's key.</summary>
    public const string Key = "threads-round-trip-ns";

    /// <summary>
    /// The best of <paramref name="rounds"/> rounds' mean round trip, in nanoseconds; NaN on a machine with one processor,
    /// where the two threads would take turns on it instead of answering each other.
    /// </summary>
    public static double Nanoseconds(int rounds)
    {
        if (Environment.ProcessorCount < 2)
            return double.NaN;
        double best = double.MaxValue;
        for (int r = 0; r < rounds; r++)
            best = Math.Min(best, Round());
        return best;
    }

    /// <summary>One round: the caller writes odd values, the other thread answers each with the next even one.</summary>
    private static double Round()
    {
        // The counter is element 16 of 32: whatever the array's alignment, the cache line it sits on holds nothing else.
        var line = new int[32];
        var answerer = new Thread(() =>
        {
            for (int i = 0; i < HandOffs; i++)
            {
                while (Volatile.Read(ref line[16]) != 2 * i + 1)
                    Thread.SpinWait(1);
                Volatile.Write(ref line[16], 2 * i + 2);
            }
        }) { IsBackground = true, Name = "round trip" };
        answerer.Start();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < HandOffs; i++)
        {
            Volatile.Write(ref line[16], 2 * i + 1);
            while (Volatile.Read(ref line[16]) != 2 * i + 2)
                Thread.SpinWait(1);
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        answerer.Join();
        return seconds / HandOffs * 1e9;
    }

    /// <summary>"threads-round-trip-ns: 190", or "n/a" with one processor.</summary>
    public static string Line(double nanoseconds) => $"{Key}: {(double.IsNaN(nanoseconds) ? "n/a" : Summary.Number(Math.Round(nanoseconds)))}";
}
