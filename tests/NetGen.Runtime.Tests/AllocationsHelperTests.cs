using System;
using System.Threading;
using NetGen.Testing;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>The allocation counter every allocation test relies on sees an allocation that recurs.</summary>
public class AllocationsHelperTests
{
    [Fact]
    public void AnAllocationInEveryWindow_IsCounted()
    {
        Assert.InRange(Allocations.OnThisThread(() => GC.KeepAlive(new byte[1000])), 1000, 2000);
        Assert.InRange(Allocations.InProcess(() => GC.KeepAlive(new byte[1000])), 1000, long.MaxValue);
    }

    [Fact]
    public void AllocationsOnAnotherThread_AreCountedOnlyInProcess()
    {
        void OnAnotherThread()
        {
            var thread = new Thread(() => GC.KeepAlive(new byte[100_000]));
            thread.Start();
            thread.Join();
        }

        OnAnotherThread();
        Assert.InRange(Allocations.InProcess(OnAnotherThread), 100_000, long.MaxValue);
        Assert.InRange(Allocations.OnThisThread(OnAnotherThread), 0, 99_999);
    }
}
