using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// One core's FP32 peak at the widest vector width this process has, measured: twelve independent accumulator
/// chains (more than FMA latency × FMA pipes on any current core, so the pipes, not the latency, bound the loop),
/// in a method of their own that is timed from outside. With the clock read inside the loop's method the JIT keeps
/// the twelve vectors on the stack across the call and the same loop reads about 4× low. Without FMA (x86 with
/// AVX2 switched off, or no intrinsics at all) the chains are six multiplications and six additions, the best such
/// code can do.
/// </summary>
public static class Peak
{
    public sealed record Measurement(double Gflops, string Method);

    private const int Chains = 12;

    public static Measurement Measure(TimeSpan budget)
    {
        (Func<long, float, float, float> kernel, double flopsPerIteration, string method) = Kernel();
        long iterations = Calibrate(kernel);
        var stopwatch = new Stopwatch();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        int calls = 0;
        for (; calls < 20 || total.Elapsed < budget; calls++)
        {
            stopwatch.Restart();
            kernel(iterations, A, B);
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }
        return new Measurement(iterations * flopsPerIteration / best / 1e9,
            $"{Chains} independent {method} chains in a method of their own, timed from outside: best of {calls} calls of {Format.Time(best)}");
    }

    /// <summary>
    /// The peak of <paramref name="threads"/> threads at once over one: every thread runs the same calls of the peak's
    /// loop, started together, and the figure is all their FLOPs over the time until the last one ends, next to one
    /// thread's same calls alone (best of <paramref name="rounds"/> each). Two threads on two cores give 2; two threads
    /// on the two hyper-threads of one core give what that core has left over one thread: about 1 where one thread
    /// already keeps the FMA pipes full. This bounds what any FMA-bound work gains from threads on the machine.
    /// </summary>
    public static double ConcurrentSpeedup(int threads, int rounds)
    {
        (Func<long, float, float, float> kernel, _, _) = Kernel();
        long iterations = Calibrate(kernel);
        const int Calls = 10;   // about 20 ms a thread a round
        void Work()
        {
            for (int c = 0; c < Calls; c++)
                kernel(iterations, A, B);
        }
        double alone = double.MaxValue, together = double.MaxValue;
        using var start = new Barrier(threads + 1);
        using var end = new Barrier(threads + 1);
        bool stop = false;
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                while (true)
                {
                    start.SignalAndWait();
                    if (Volatile.Read(ref stop))
                        return;
                    Work();
                    end.SignalAndWait();
                }
            }) { IsBackground = true, Name = $"peak {t}" };
            workers[t].Start();
        }
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                long before = Stopwatch.GetTimestamp();
                Work();
                alone = Math.Min(alone, Stopwatch.GetElapsedTime(before).TotalSeconds);
                before = Stopwatch.GetTimestamp();
                start.SignalAndWait();
                end.SignalAndWait();
                together = Math.Min(together, Stopwatch.GetElapsedTime(before).TotalSeconds);
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            start.SignalAndWait();
            foreach (Thread worker in workers)
                worker.Join();
        }
        return threads * alone / together;
    }

    // a = 1 keeps every value finite and normal however long the loop runs; passing it in keeps the JIT from folding it.
    private const float A = 1f, B = 1e-7f;

    /// <summary>The loop of the widest width this process has, its FLOPs an iteration, and its name.</summary>
    private static (Func<long, float, float, float> Kernel, double FlopsPerIteration, string Method) Kernel()
    {
        bool fma = Fma.IsSupported || AdvSimd.IsSupported;
        return true switch
        {
            _ when Vector512.IsHardwareAccelerated => (Fma512, Chains * 16 * 2.0, "Vector512 FMA"),
            _ when Vector256.IsHardwareAccelerated && fma => (Fma256, Chains * 8 * 2.0, "Vector256 FMA"),
            _ when Vector256.IsHardwareAccelerated => (MulAdd256, Chains * 8.0, "Vector256 multiply + add"),
            _ when Vector128.IsHardwareAccelerated && fma => (Fma128, Chains * 4 * 2.0, "Vector128 FMA"),
            _ when Vector128.IsHardwareAccelerated => (MulAdd128, Chains * 4.0, "Vector128 multiply + add"),
            _ => ((Func<long, float, float, float>)MulAddScalar, Chains * 1.0, "scalar float multiply + add"),
        };
    }

    /// <summary>
    /// Iterations for calls of about 2 ms: doubled until the fastest of three calls takes that long (one call preempted
    /// by another process must not end the doubling early). Short calls, many of them: on a busy machine a call longer
    /// than the scheduler's slice of a few milliseconds is almost never left to run alone.
    /// </summary>
    private static long Calibrate(Func<long, float, float, float> kernel)
    {
        kernel(1000, A, B);
        long iterations = 1000;
        var stopwatch = new Stopwatch();
        while (true)
        {
            double fastest = double.MaxValue;
            for (int i = 0; i < 3; i++)
            {
                stopwatch.Restart();
                kernel(iterations, A, B);
                fastest = Math.Min(fastest, stopwatch.Elapsed.TotalMilliseconds);
            }
            if (fastest >= 2 || iterations >= 1L << 40)
                return iterations;
            iterations *= 2;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma512(long iterations, float scalarA, float scalarB)
    {
        Vector512<float> a = Vector512.Create(scalarA), b = Vector512.Create(scalarB);
        Vector512<float> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma256(long iterations, float scalarA, float scalarB)
    {
        Vector256<float> a = Vector256.Create(scalarA), b = Vector256.Create(scalarB);
        Vector256<float> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma128(long iterations, float scalarA, float scalarB)
    {
        Vector128<float> a = Vector128.Create(scalarA), b = Vector128.Create(scalarB);
        Vector128<float> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector128.FusedMultiplyAdd(c0, a, b); c1 = Vector128.FusedMultiplyAdd(c1, a, b);
            c2 = Vector128.FusedMultiplyAdd(c2, a, b); c3 = Vector128.FusedMultiplyAdd(c3, a, b);
            c4 = Vector128.FusedMultiplyAdd(c4, a, b); c5 = Vector128.FusedMultiplyAdd(c5, a, b);
            c6 = Vector128.FusedMultiplyAdd(c6, a, b); c7 = Vector128.FusedMultiplyAdd(c7, a, b);
            c8 = Vector128.FusedMultiplyAdd(c8, a, b); c9 = Vector128.FusedMultiplyAdd(c9, a, b);
            c10 = Vector128.FusedMultiplyAdd(c10, a, b); c11 = Vector128.FusedMultiplyAdd(c11, a, b);
        }
        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    // Without FMA: six chains of products (x·1) and six of sums (y + b), 1 FLOP per instruction.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float MulAdd256(long iterations, float scalarA, float scalarB)
    {
        Vector256<float> a = Vector256.Create(scalarA), b = Vector256.Create(scalarB);
        Vector256<float> m0 = b, m1 = b, m2 = b, m3 = b, m4 = b, m5 = b, s0 = b, s1 = b, s2 = b, s3 = b, s4 = b, s5 = b;
        for (long i = 0; i < iterations; i++)
        {
            m0 *= a; m1 *= a; m2 *= a; m3 *= a; m4 *= a; m5 *= a;
            s0 += b; s1 += b; s2 += b; s3 += b; s4 += b; s5 += b;
        }
        return Vector256.Sum(m0 + m1 + m2 + m3 + m4 + m5 + s0 + s1 + s2 + s3 + s4 + s5);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float MulAdd128(long iterations, float scalarA, float scalarB)
    {
        Vector128<float> a = Vector128.Create(scalarA), b = Vector128.Create(scalarB);
        Vector128<float> m0 = b, m1 = b, m2 = b, m3 = b, m4 = b, m5 = b, s0 = b, s1 = b, s2 = b, s3 = b, s4 = b, s5 = b;
        for (long i = 0; i < iterations; i++)
        {
            m0 *= a; m1 *= a; m2 *= a; m3 *= a; m4 *= a; m5 *= a;
            s0 += b; s1 += b; s2 += b; s3 += b; s4 += b; s5 += b;
        }
        return Vector128.Sum(m0 + m1 + m2 + m3 + m4 + m5 + s0 + s1 + s2 + s3 + s4 + s5);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float MulAddScalar(long iterations, float a, float b)
    {
        float m0 = b, m1 = b, m2 = b, m3 = b, m4 = b, m5 = b, s0 = b, s1 = b, s2 = b, s3 = b, s4 = b, s5 = b;
        for (long i = 0; i < iterations; i++)
        {
            m0 *= a; m1 *= a; m2 *= a; m3 *= a; m4 *= a; m5 *= a;
            s0 += b; s1 += b; s2 += b; s3 += b; s4 += b; s5 += b;
        }
        return m0 + m1 + m2 + m3 + m4 + m5 + s0 + s1 + s2 + s3 + s4 + s5;
    }
}
