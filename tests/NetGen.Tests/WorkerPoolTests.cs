using System;
using System.Linq;
using System.Threading;
using Xunit;
using NetGen.Testing;

namespace NetGen.Tests;

/// <summary>
/// The Trainer's worker pool on its own: every thread runs each round exactly once, rounds started back to back and
/// after the workers have gone idle both run, a failure on any thread reaches the caller and leaves the pool usable, and
/// a round allocates nothing.
/// </summary>
public class WorkerPoolTests
{
    /// <summary>
    /// Counts the runs of the rounds, those on a thread other than the one that made it (the pool's caller), the runs of
    /// each thread index, and the runs whose index was not the one its thread had before (or was 0 off the caller).
    /// </summary>
    private sealed class CountingWork(int threads = 4) : IPoolWork
    {
        private readonly int _caller = Environment.CurrentManagedThreadId;
        private readonly int[] _threadOfIndex = new int[threads];
        public int Runs;
        public int RunsElsewhere;
        public readonly int[] RunsByIndex = new int[threads];
        public int WrongIndices;

        public void Run(int thread)
        {
            Interlocked.Increment(ref Runs);
            int id = Environment.CurrentManagedThreadId;
            if (id != _caller)
                Interlocked.Increment(ref RunsElsewhere);
            Interlocked.Increment(ref RunsByIndex[thread]);
            int first = Interlocked.CompareExchange(ref _threadOfIndex[thread], id, 0);
            if ((first != 0 && first != id) || (thread == 0) != (id == _caller))
                Interlocked.Increment(ref WrongIndices);
        }
    }

    private sealed class FailingWork(int failOnRun) : IPoolWork
    {
        private int _runs;

        public void Run(int thread)
        {
            if (Interlocked.Increment(ref _runs) == failOnRun)
                throw new InvalidOperationException("work failed");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryThread_RunsEachRoundOnce_BackToBack(int threads)
    {
        using var pool = new WorkerPool(threads);
        var work = new CountingWork();
        for (int round = 1; round <= 20_000; round++)
        {
            pool.Run(work);
            Assert.Equal(round * threads, Volatile.Read(ref work.Runs));
        }
        Assert.Equal(20_000 * (threads - 1), work.RunsElsewhere);
        // Each index once a round, always on the same thread, 0 on the caller: what lets the work keep a thread on its own pieces.
        Assert.Equal(Enumerable.Repeat(20_000, threads), work.RunsByIndex.Take(threads));
        Assert.Equal(0, work.WrongIndices);
    }

    [Fact]
    public void ARound_AfterTheWorkersWentIdle_StillRunsOnEveryThread()
    {
        using var pool = new WorkerPool(2);
        var work = new CountingWork();
        for (int round = 1; round <= 5; round++)
        {
            Thread.Sleep(20);   // longer than any spin: the workers block, and the round must wake them
            pool.Run(work);
            Assert.Equal(round * 2, Volatile.Read(ref work.Runs));
        }
    }

    [Fact]
    public void AFailure_OnAnyThread_ReachesTheCaller_AndThePoolGoesOn()
    {
        using var pool = new WorkerPool(2);
        for (int failing = 1; failing <= 2; failing++)
        {
            var e = Assert.Throws<InvalidOperationException>(() => pool.Run(new FailingWork(failing)));
            Assert.Equal("work failed", e.Message);
        }
        var work = new CountingWork();
        pool.Run(work);
        Assert.Equal(2, work.Runs);
    }

    [Fact]
    public void Rounds_AllocateNothing()
    {
        using var pool = new WorkerPool(2);
        var work = new CountingWork();
        for (int i = 0; i < 1000; i++)
            pool.Run(work);
        Thread.Sleep(20);
        pool.Run(work);   // the blocking path once too
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 1000; i++)
                pool.Run(work);
            Thread.Sleep(20);
            pool.Run(work);
        }));
    }

    [Fact]
    public void ADisposedPool_RefusesARound()
    {
        var pool = new WorkerPool(2);
        pool.Dispose();
        pool.Dispose();   // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => pool.Run(new CountingWork()));
    }
}
