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

    /// <summary>
    /// The one-sample Forward of a network of unrolled layers (straight-line code, its guard set by plain writes rather
    /// than a compare-exchange) is refused in the same way while another thread's Backward runs.
    /// </summary>
    [Fact]
    public void AStraightLineSample_OnABusyInstance_GetsInvalidOperationException()
    {
        const int batch = 4096;
        LogisticNeuron network = TestData.Network(b => new LogisticNeuron(b), batch, seed: 2);
        float[] inputs = TestData.Normal(2 * batch, 4);
        var targets = new float[batch];
        for (int i = 0; i < batch; i++)
            targets[i] = inputs[2 * i] > 0 ? 1 : 0;
        float expected = network.Backward(inputs, targets, batch);

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
                    catch (InvalidOperationException e) when (e.Message.StartsWith("This LogisticNeuron ", StringComparison.Ordinal))
                    {
                        // Refused by the main thread's Forward, or told as it finished that a Forward slipped in.
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
                network.Forward(inputs.AsSpan(0, 2), output);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("already running Backward", StringComparison.Ordinal))
            {
                error = e;
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith("This LogisticNeuron ran Forward while", StringComparison.Ordinal))
            {
                // The rare overlap caught on the way out: both calls started at once. Try again.
            }
        }
        refused.Set();
        a.Join();

        Assert.Null(inA);
        Assert.NotNull(error);
        Assert.Equal("This LogisticNeuron is already running Backward on another thread. A network instance serves one call at a time " +
            "(its buffers hold the latest batch): give each thread its own instance.", error.Message);
        Assert.Equal(expected, network.Backward(inputs, targets, batch));
        network.Forward(inputs.AsSpan(0, 2), output);
    }

    /// <summary>
    /// The one-sample guard by itself: a busy field refuses the call before it writes anything; a mark that another
    /// call overwrote is reported as the call ends, and the field is freed so that the other call reports it too.
    /// </summary>
    [Fact]
    public void TheOneSampleGuard_RefusesABusyInstance_AndReportsAnOverwrittenMark()
    {
        int field = 3;
        var busy = Assert.Throws<InvalidOperationException>(() => NetworkArguments.EnterOneSample(ref field, "Net"));
        Assert.StartsWith("This Net is already running Backward on another thread.", busy.Message);
        Assert.Equal(3, field);

        field = 0;
        NetworkArguments.EnterOneSample(ref field, "Net");
        Assert.Equal(NetworkArguments.OneSampleForward, field);
        NetworkArguments.CheckStillMarked(ref field, NetworkArguments.OneSampleForward, "Net");
        Assert.Equal(NetworkArguments.OneSampleForward, field);

        field = 2; // a ComputeLoss that started on another thread as this Forward did
        var overlap = Assert.Throws<InvalidOperationException>(() => NetworkArguments.CheckStillMarked(ref field, 1, "Net"));
        Assert.Equal("This Net ran Forward while another thread started ComputeLoss on it, so the results of both may be wrong. " +
            "A network instance serves one call at a time (its buffers hold the latest batch): give each thread its own instance.", overlap.Message);
        Assert.Equal(0, field);
        var other = Assert.Throws<InvalidOperationException>(() => NetworkArguments.CheckStillMarked(ref field, 2, "Net"));
        Assert.StartsWith("This Net ran ComputeLoss while another thread finished a call on it", other.Message);
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

    /// <summary>
    /// A guarded call whose work fails after another thread overwrote its mark (a one-sample Forward that slipped past
    /// the entry check changed the batch size its views read) reports the overlap, with the failure inside, rather than
    /// the failure alone; a failure with the mark intact, and the overlap's own report, pass through the filter.
    /// </summary>
    [Fact]
    public void AFailureAfterTheMarkWasOverwritten_IsReportedAsTheOverlap()
    {
        var failure = new IndexOutOfRangeException();
        int field = NetworkArguments.OneSampleForward;   // Backward (3) marked it; a one-sample Forward wrote 1 over it
        Assert.True(NetworkArguments.Overlapped(ref field, 3, failure));
        InvalidOperationException overlap = NetworkArguments.Overlap(ref field, 3, "LogisticNeuron", failure);
        Assert.Same(failure, overlap.InnerException);
        Assert.StartsWith("This LogisticNeuron ran Backward while another thread started Forward on it", overlap.Message);
        Assert.Contains("The call failed on the other call's buffers (IndexOutOfRangeException", overlap.Message);
        Assert.Equal(0, field);
        Assert.False(NetworkArguments.Overlapped(ref field, 3, overlap));   // the report itself passes
        field = 3;
        Assert.False(NetworkArguments.Overlapped(ref field, 3, failure));   // the call's own failure passes
    }
}
