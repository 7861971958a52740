using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen;

/// <summary>What a <see cref="WorkerPool"/> runs: every worker and the caller call it once per round, claiming work until none is left.</summary>
internal interface IPoolWork
{
    /// <summary>One thread's share of a round: <paramref name="thread"/> is 0 on the caller and 1 … n − 1 on the workers, the same thread in every round.</summary>
    void Run(int thread);
}

/// <summary>
/// Persistent worker threads for the <see cref="Trainer"/>'s chunked steps: started once, so a round creates no task or
/// thread and allocates nothing. The caller works too: a pool of n threads has n − 1 workers. Which thread runs what
/// does not matter to the results: the work is claimed from counters, and each piece (a chunk, a slice of the
/// reduction) writes only its own buffers.
/// </summary>
/// <remarks>
/// A step is three rounds (the chunks, the reduction, the optimiser's slices) a few microseconds to a millisecond long,
/// one right after the other, and an L-BFGS evaluation is a round or two apart from the next, so how fast a round starts
/// and ends is part of every step. A worker that has finished a round therefore spins on the round counter for
/// <see cref="SpinLimit"/> before it blocks, and the caller spins as long for the workers to finish; only a pool left
/// idle longer blocks, and the next round wakes it through a monitor. Both waits check the other side's flag after
/// publishing their own (each write an interlocked one, so a full fence), so a wake-up is never lost. Measured with
/// empty rounds on the 2-core Zen 5, quiet: a round trip took 0.1–0.8 µs, against 0.9–2.4 µs when the workers waited on a
/// semaphore and the caller on an event, and 0–3 µs after a pause of 56 µs, against 6–28 µs (the workers had blocked).
/// A pool with more threads than the machine has processors never spins: a spinning thread would hold a processor that
/// the thread it waits for needs (20 epochs on 4 threads of 2 processors took 10 times as long). The loops are compiled
/// optimised from the start (no tier-0 code with on-stack replacement in a wait that thousands of steps run).
/// </remarks>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>
    /// How long a worker waits for the next round, and the caller for the workers, spinning before it blocks: 1 ms, longer
    /// than the serial work between two rounds of any step measured here (an L-BFGS iteration's update of 235 k parameters
    /// takes about 0.3 ms), because a wake-up from a block costs more than the spin. A spinning thread pauses between
    /// polls and yields its processor every <see cref="PollsPerYield"/> polls, so other threads lose little to it.
    /// </summary>
    internal static readonly long SpinLimit = Stopwatch.Frequency / 1_000;

    /// <summary>Polls between two yields of a spin, so that a thread of another process waiting for this processor gets it within about a microsecond.</summary>
    private const int PollsPerYield = 16;

    /// <summary>
    /// Pause instructions between two reads of the flag a spin waits on: a constant few, not SpinWait's growing backoff
    /// and yields, with which a worker answered a round 5–8 µs late after a pause of 5 µs (measured while a build ran).
    /// </summary>
    private const int PausesPerPoll = 4;

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private IPoolWork? _work;
    private int _round;            // rounds started; a worker runs each once
    private int _pending;          // workers still in the current round
    private int _blockedWorkers;   // workers blocked on the gate, waiting for a round
    private int _callerBlocked;    // 1 while the caller is blocked on the gate, waiting for the workers
    private Exception? _error;
    private volatile bool _stopping;

    // SpinLimit, or 0 (block at once) when the pool has more threads than the machine has processors (see the remarks).
    private readonly long _spinTicks;

    public WorkerPool(int threads)
    {
        _spinTicks = threads <= Environment.ProcessorCount ? SpinLimit : 0;
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            // Background threads: a Trainer that is never disposed does not keep the process alive.
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"NetGen trainer worker {i + 1}" };
            _workers[i].Start(i + 1);
        }
    }

    /// <summary>Threads that run a round, the caller's included.</summary>
    public int Threads => _workers.Length + 1;

    /// <summary>Runs <paramref name="work"/> on every worker and on the calling thread; returns when all are done, rethrowing the first failure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(IPoolWork work)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _work = work;
        _error = null;
        Volatile.Write(ref _pending, _workers.Length);
        Interlocked.Increment(ref _round);   // publishes the work and the count before any worker can see the round
        if (Volatile.Read(ref _blockedWorkers) != 0)
        {
            lock (_gate)
                Monitor.PulseAll(_gate);
        }
        Exception? callerError = null;
        try
        {
            work.Run(0);
        }
        catch (Exception exception)
        {
            callerError = exception;
        }
        WaitForWorkers();
        _work = null;
        if ((callerError ?? _error) is Exception error)
            ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Spins until every worker has finished the round, then blocks on the gate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WaitForWorkers()
    {
        long start = Stopwatch.GetTimestamp();
        int polls = 0;
        while (Volatile.Read(ref _pending) != 0)
        {
            if (Stopwatch.GetTimestamp() - start >= _spinTicks)
            {
                lock (_gate)
                {
                    Interlocked.Exchange(ref _callerBlocked, 1);   // before the check: a worker that ends after it sees the flag
                    while (Volatile.Read(ref _pending) != 0)
                        Monitor.Wait(_gate);
                    _callerBlocked = 0;
                }
                return;
            }
            Pause(ref polls);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WorkerLoop(object? index)
    {
        int thread = (int)index!, seen = 0;
        while (true)
        {
            WaitForRound(seen);
            if (_stopping)
                return;
            seen++;   // the caller starts a round only when every worker has ended the last one: this is it
            try
            {
                _work!.Run(thread);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _error, exception, null);
            }
            if (Interlocked.Decrement(ref _pending) == 0 && Volatile.Read(ref _callerBlocked) != 0)
            {
                lock (_gate)
                    Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Spins until a round after <paramref name="seen"/> starts (or the pool stops), then blocks on the gate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WaitForRound(int seen)
    {
        long start = Stopwatch.GetTimestamp();
        int polls = 0;
        while (Volatile.Read(ref _round) == seen && !_stopping)
        {
            if (Stopwatch.GetTimestamp() - start >= _spinTicks)
            {
                lock (_gate)
                {
                    Interlocked.Increment(ref _blockedWorkers);   // before the check: a round started after it sees the count
                    while (Volatile.Read(ref _round) == seen && !_stopping)
                        Monitor.Wait(_gate);
                    Interlocked.Decrement(ref _blockedWorkers);
                }
                return;
            }
            Pause(ref polls);
        }
    }

    /// <summary>A few pause instructions between two polls of a spin, and a yield of the processor every <see cref="PollsPerYield"/> polls.</summary>
    private static void Pause(ref int polls)
    {
        if (++polls % PollsPerYield == 0)
            Thread.Yield();
        else
            Thread.SpinWait(PausesPerPoll);
    }

    /// <summary>Stops the workers (after the round in progress, if any) and waits for them.</summary>
    public void Dispose()
    {
        if (!Stop())
            return;
        foreach (Thread worker in _workers)
            worker.Join();
    }

    /// <summary>Tells the workers to end, without waiting (a finalizer's way); false when they were told already.</summary>
    public bool Stop()
    {
        if (_stopping)
            return false;
        _stopping = true;
        lock (_gate)
            Monitor.PulseAll(_gate);
        return true;
    }
}
