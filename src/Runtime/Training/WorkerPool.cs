using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen;

/// <summary>What a <see cref="WorkerPool"/> runs: every worker and the caller call it once per round, claiming work until none is left.</summary>
internal interface IPoolWork
{
    void Run();
}

/// <summary>
/// Persistent worker threads for the <see cref="Trainer"/>'s chunked steps: started once, woken per round by a semaphore,
/// joined by a countdown and an event, so a round creates no task or thread and allocates nothing. The caller works
/// too: a pool of n threads has n − 1 workers. Which thread runs what does not matter to the results: the work is claimed
/// from counters, and each piece (a chunk, a slice of the reduction) writes only its own buffers.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private IPoolWork? _work;
    private int _pending;
    private Exception? _error;
    private volatile bool _stopping;

    public WorkerPool(int threads)
    {
        _workers = new Thread[threads - 1];
        // ManualResetEventSlim creates its kernel event the first time a wait has to block, which happens only when the
        // workers are slow (a loaded machine) and would then be an allocation inside some training step: create it now.
        _ = _done.WaitHandle;
        for (int i = 0; i < _workers.Length; i++)
        {
            // Background threads: a Trainer that is never disposed does not keep the process alive.
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"NetGen trainer worker {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>Threads that run a round, the caller's included.</summary>
    public int Threads => _workers.Length + 1;

    /// <summary>Runs <paramref name="work"/> on every worker and on the calling thread; returns when all are done, rethrowing the first failure.</summary>
    public void Run(IPoolWork work)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _work = work;
        _error = null;
        _done.Reset();
        Volatile.Write(ref _pending, _workers.Length);
        _wake.Release(_workers.Length);
        Exception? callerError = null;
        try
        {
            work.Run();
        }
        catch (Exception exception)
        {
            callerError = exception;
        }
        _done.Wait();
        _work = null;
        if ((callerError ?? _error) is Exception error)
            ExceptionDispatchInfo.Throw(error);
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _wake.Wait();
            if (_stopping)
                return;
            try
            {
                _work!.Run();
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _error, exception, null);
            }
            if (Interlocked.Decrement(ref _pending) == 0)
                _done.Set();
        }
    }

    /// <summary>Stops the workers (after the round in progress, if any) and waits for them.</summary>
    public void Dispose()
    {
        if (!Stop())
            return;
        foreach (Thread worker in _workers)
            worker.Join();
        _wake.Dispose();
        _done.Dispose();
    }

    /// <summary>Tells the workers to end, without waiting (a finalizer's way); false when they were told already.</summary>
    public bool Stop()
    {
        if (_stopping)
            return false;
        _stopping = true;
        _wake.Release(_workers.Length);
        return true;
    }
}
