using System;
using System.Diagnostics;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Engines;

/// <summary>
/// A training run in progress: one network, its optimiser and its data. <see cref="Run"/> takes the steps
/// [<paramref name="firstStep"/>, firstStep + count) in one loop of the engine's own, so that nothing of the harness
/// (no delegate, no clock) sits between two steps.
/// </summary>
public interface ITrainer : IDisposable
{
    /// <summary>Runs the steps and returns the loss of the last one (the loss before its update).</summary>
    float Run(int firstStep, int count);

    /// <summary>
    /// Copies the current parameters, in NetGen's flat layout, into <paramref name="destination"/>; false when this engine
    /// cannot show them (the updated weights are then not compared).
    /// </summary>
    bool TryCopyParameters(Span<float> destination) => false;
}

/// <summary>Inference in progress: forward calls over batch number call % batches of the workload's data.</summary>
public interface IPredictor : IDisposable
{
    void Run(int firstCall, int count);

    /// <summary>The outputs of the latest call, [batch, OutputSize].</summary>
    ReadOnlySpan<float> Outputs { get; }
}

/// <summary>An implementation of the workloads: NetGen, the scalar reference, libtorch, ONNX Runtime, the hand-written neuron.</summary>
public interface IEngine
{
    EngineKind Kind { get; }

    string Name { get; }

    /// <summary>Native engines run the same machine code whatever the .NET runtime's ISA switches say.</summary>
    bool Native { get; }

    /// <summary>A trainer from the workload's initial parameters, or null when this engine does not train this workload.</summary>
    ITrainer? CreateTrainer(Workload workload);

    /// <summary>A predictor with the workload's initial parameters, or null when this engine does not run this workload.</summary>
    IPredictor? CreatePredictor(Workload workload, int batch);
}

/// <summary>
/// The one timing harness every engine goes through: warm-up, then rounds of about <see cref="RoundTarget"/> (at
/// least <see cref="MinimumRounds"/>) timed from outside the engine's loop;
/// the best round is the figure (other processes only ever slow a round down), the median shows the spread, and
/// the bytes this thread allocated across all rounds give the allocations per step or call.
/// </summary>
public static class Timing
{
    /// <summary>How long each engine's code runs before it is timed: the JIT's tiers need about a second to settle.</summary>
    public static TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The fewest rounds a measurement takes.</summary>
    public const int MinimumRounds = 25;

    /// <summary>
    /// How long a round should take. Short rounds give a shared machine's scheduler fewer chances to preempt a round
    /// (its time slices are a few milliseconds when many processes are runnable), so the best round stays clean.
    /// </summary>
    public static TimeSpan RoundTarget { get; set; } = TimeSpan.FromMilliseconds(2);

    private const int MaximumRounds = 1000;

    /// <summary>
    /// Warms a separate trainer up, then runs <paramref name="steps"/> steps on a fresh one from the initial
    /// parameters: step 0 alone (its loss is the first loss), the rest in rounds.
    /// </summary>
    public static EngineResult Train(IEngine engine, Func<ITrainer> create, int steps)
    {
        double estimate;   // seconds a step, from the warm-up's last tenth
        using (ITrainer warm = create())
        {
            var clock = Stopwatch.StartNew();
            // Many short calls, so that Run itself is promoted to optimised code rather than entered through OSR.
            int s = 0;
            for (; s < 30 || clock.Elapsed < WarmUp; s++)
                warm.Run(s, 1);
            clock.Restart();
            warm.Run(s, Math.Max(1, s / 10));
            estimate = clock.Elapsed.TotalSeconds / Math.Max(1, s / 10);
        }
        using ITrainer trainer = create();
        float first = trainer.Run(0, 1), last = first;
        int remaining = Math.Max(0, steps - 1);
        int rounds = Math.Max(1, Math.Min(remaining, Math.Clamp((int)(remaining * estimate / RoundTarget.TotalSeconds), MinimumRounds, MaximumRounds)));
        var perStep = new double[rounds];
        var stopwatch = new Stopwatch();
        int step = 1;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < rounds && remaining > 0; r++)
        {
            int count = remaining / (rounds - r);
            stopwatch.Restart();
            last = trainer.Run(step, count);
            stopwatch.Stop();
            perStep[r] = stopwatch.Elapsed.TotalSeconds / count;
            step += count;
            remaining -= count;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Array.Sort(perStep);
        return new EngineResult(engine.Kind, engine.Name, perStep[0], perStep[rounds / 2], rounds, step,
            step > 1 ? (double)allocated / (step - 1) : 0, step, first, last);
    }

    /// <summary>The outputs of call 0 (for the cross-check, before anything is timed).</summary>
    public static float[] FirstOutputs(IPredictor predictor)
    {
        predictor.Run(0, 1);
        return predictor.Outputs.ToArray();
    }

    /// <summary>Warms the predictor up, sizes rounds to fill <paramref name="budget"/>, then times them.</summary>
    public static EngineResult Infer(IEngine engine, IPredictor predictor, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        for (int c = 0; c < 30 || clock.Elapsed < WarmUp; c++)
            predictor.Run(c, 1);

        // Calls per round: double until a call sequence takes a millisecond, then size rounds of about RoundTarget.
        int calls = 1;
        var stopwatch = Stopwatch.StartNew();
        predictor.Run(0, calls);
        while (stopwatch.Elapsed.TotalMilliseconds < 1 && calls < 1 << 24)
        {
            calls *= 2;
            stopwatch.Restart();
            predictor.Run(0, calls);
        }
        // The median of four runs of that many calls sizes the rounds: one preempted sequence (a loaded machine's time
        // slice is a few milliseconds) would otherwise size every round from a call a thousand times too slow — a round of
        // one call of a 3 ns network then times the Stopwatch, not the network — and one sequence timed far too short
        // would size rounds of up to a billion calls (one run of compare spent 19 minutes in the logistic neuron's
        // inference, where it had taken seconds; a sizing run timed too short would explain it).
        Span<double> sizing = stackalloc double[4];
        sizing[0] = stopwatch.Elapsed.TotalSeconds / calls;
        for (int again = 1; again < sizing.Length; again++)
        {
            stopwatch.Restart();
            predictor.Run(0, calls);
            sizing[again] = stopwatch.Elapsed.TotalSeconds / calls;
        }
        sizing.Sort();
        double perCall = (sizing[1] + sizing[2]) / 2;
        int rounds = Math.Clamp((int)(budget / RoundTarget), MinimumRounds, MaximumRounds);
        int perRound = (int)Math.Clamp(budget.TotalSeconds / rounds / perCall, 1, int.MaxValue / 2);

        var perCallTimes = new double[rounds];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < rounds; r++)
        {
            stopwatch.Restart();
            predictor.Run(r * perRound, perRound);
            stopwatch.Stop();
            perCallTimes[r] = stopwatch.Elapsed.TotalSeconds / perRound;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Array.Sort(perCallTimes);
        long total = (long)perRound * rounds;
        return new EngineResult(engine.Kind, engine.Name, perCallTimes[0], perCallTimes[rounds / 2], rounds, total, (double)allocated / total);
    }
}

/// <summary>Walks the batches of a data set in order, wrapping around, without a division per call.</summary>
public struct BatchCursor
{
    private readonly int _batches;
    private int _index;

    public BatchCursor(int batches, int first)
    {
        _batches = batches;
        _index = (int)((uint)first % (uint)batches);
    }

    public int Index => _index;

    public void Advance()
    {
        if (++_index == _batches)
            _index = 0;
    }
}
