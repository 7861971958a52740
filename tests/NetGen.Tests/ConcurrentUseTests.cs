using System;
using System.Diagnostics;
using System.Threading;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// One instance serves one call at a time (README, "Threads"). Two threads on one instance used to give
/// silently wrong outputs; now the second call throws, and the instance works again once the first one is done.
/// </summary>
public class ConcurrentUseTests
{
    [Fact]
    public void ASecondThreadOnOneInstance_GetsInvalidOperationException()
    {
        const int batch = 256;
        var network = new Samples.ThreeLayerMlp.ThreeLayerMlp(batch);
        Initializers.NormalWeightsConstantBias(network, 1);
        float[] inputs = TestData.Normal(batch, 2);
        float[] targets = TestData.Normal(batch, 3);
        float expected = network.Backward(inputs, targets, batch);

        // Thread A trains until the main thread has been refused (or 20 s have passed). Either thread can take the guard
        // first: when the main thread's Forward holds it, A is refused in turn, and it simply tries again.
        using var refused = new ManualResetEventSlim();
        Exception? inA = null;
        var a = new Thread(() =>
        {
            try
            {
                var clock = Stopwatch.StartNew();
                while (!refused.IsSet && clock.Elapsed < TimeSpan.FromSeconds(20))
                {
                    try
                    {
                        network.Backward(inputs, targets, batch);
                    }
                    catch (InvalidOperationException e) when (e.Message == Refusal("Forward"))
                    {
                    }
                }
            }
            catch (Exception e)
            {
                inA = e;
            }
        });
        a.Start();

        InvalidOperationException? error = null;
        var output = new float[1];
        var wait = Stopwatch.StartNew();
        while (error is null && wait.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                network.Forward(inputs.AsSpan(0, 1), output);
            }
            catch (InvalidOperationException e) when (e.Message == Refusal("Backward"))
            {
                error = e;
            }
        }
        refused.Set();
        a.Join();

        Assert.Null(inA);
        Assert.NotNull(error);
        Assert.Equal(Refusal("Backward"), error.Message);
        // The refused call changed nothing, and the instance is free again.
        Assert.Equal(expected, network.Backward(inputs, targets, batch));
        network.Forward(inputs.AsSpan(0, 1), output);
    }

    private static string Refusal(string running) =>
        $"This ThreeLayerMlp is already running {running} on another thread. A network instance serves one call at a time " +
        "(its buffers hold the latest batch): give each thread its own instance.";

    [Fact]
    public void OneInstancePerThread_NeedsNoLocks()
    {
        float[] inputs = TestData.Normal(64, 2);
        float[] targets = TestData.Normal(64, 3);
        var losses = new float[2];
        var threads = new Thread[2];
        for (int t = 0; t < threads.Length; t++)
        {
            int index = t;
            threads[t] = new Thread(() =>
            {
                var network = new Samples.ThreeLayerMlp.ThreeLayerMlp(64);
                Initializers.NormalWeightsConstantBias(network, 1);
                for (int i = 0; i < 200; i++)
                    losses[index] = network.Backward(inputs, targets, 64);
            });
            threads[t].Start();
        }
        foreach (Thread thread in threads)
            thread.Join();
        Assert.Equal(losses[0], losses[1]);
        Assert.True(float.IsFinite(losses[0]));
    }
}
