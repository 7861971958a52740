using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NetGen;

/// <summary>Argument checks shared by every generated network; the throwing paths live here to keep generated methods small.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkArguments
{
    /// <summary>Checks a batch size and the lengths of the spans that go with it.</summary>
    /// <remarks>
    /// Inlined into every generated call, whose sizes are constants: one combined test and one branch on the path that
    /// passes (a one-sample Forward of a tiny network costs a few nanoseconds, so three branches and a call show), and
    /// the search for what is wrong, with its messages, in a helper that is never inlined.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(int batchSize, int maxBatchSize, int inputLength, int inputSize, int otherLength, int otherSize, string otherName)
    {
        // (uint)(batchSize − 1) ≥ maxBatchSize is batchSize < 1 or batchSize > maxBatchSize (maxBatchSize ≥ 1); '|', not
        // '||', so that the three tests make one branch. A product that overflows only happens with a batch size already refused.
        if ((uint)(batchSize - 1) >= (uint)maxBatchSize | inputLength != batchSize * inputSize | otherLength != batchSize * otherSize)
            ThrowUnfit(batchSize, maxBatchSize, inputLength, inputSize, otherLength, otherSize, otherName);
    }

    /// <summary>Finds which of Check's arguments is wrong, in the order Check states them, and throws its exception.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnfit(int batchSize, int maxBatchSize, int inputLength, int inputSize, int otherLength, int otherSize, string otherName)
    {
        if (batchSize < 1 || batchSize > maxBatchSize)
            ThrowBatchSize(batchSize, maxBatchSize);
        if (inputLength != batchSize * inputSize)
            ThrowLength("inputs", inputLength, batchSize, inputSize);
        ThrowLength(otherName, otherLength, batchSize, otherSize);
    }

    /// <summary>Checks the chunk index a replica is made for (<see cref="INetwork.CreateReplica"/>).</summary>
    public static void CheckChunkIndex(int chunkIndex)
    {
        if (chunkIndex < 0)
            throw new ArgumentOutOfRangeException(nameof(chunkIndex), chunkIndex, "A chunk index counts the chunks of a batch from 0.");
    }

    /// <summary>Checks an optional span (empty means "not wanted").</summary>
    public static void CheckOptional(int length, int batchSize, int size, string name)
    {
        if (length != 0 && length != batchSize * size)
            ThrowLength(name, length, batchSize, size);
    }

    /// <summary>Checks binary cross-entropy targets: every value in [0, 1].</summary>
    public static void CheckBinaryTargets(ReadOnlySpan<float> targets, int size, string name)
    {
        if (TargetChecks.BinaryProblem(targets, size, name) is string problem)
            ThrowTargets(problem, name);
    }

    /// <summary>Checks softmax cross-entropy targets: each row of <paramref name="size"/> a probability distribution.</summary>
    public static void CheckDistributionTargets(ReadOnlySpan<float> targets, int size, string name)
    {
        if (TargetChecks.DistributionProblem(targets, size, name) is string problem)
            ThrowTargets(problem, name);
    }

    /// <summary>Checks class labels: each an index in [0, <paramref name="classCount"/>).</summary>
    public static void CheckLabels(ReadOnlySpan<int> labels, int classCount, string name)
    {
        if (TargetChecks.LabelProblem(labels, classCount, name) is string problem)
            ThrowTargets(problem, name);
    }

    /// <summary>For the generated INetwork.DescribeInvalidTargets: the problem binary cross-entropy has with the targets, or null.</summary>
    public static string? DescribeBinaryTargets(ReadOnlySpan<float> targets, int size, string name) => TargetChecks.BinaryProblem(targets, size, name);

    /// <summary>For the generated INetwork.DescribeInvalidTargets: the problem softmax cross-entropy has with the targets, or null.</summary>
    public static string? DescribeDistributionTargets(ReadOnlySpan<float> targets, int size, string name) => TargetChecks.DistributionProblem(targets, size, name);

    /// <summary>
    /// Checks that a training batch gives a batch normalisation more than one value per statistic: a vector node's
    /// statistics are over the batch alone, so a batch of 1 would normalise every value to 0 (PyTorch raises
    /// "Expected more than 1 value per channel when training").
    /// </summary>
    public static void CheckBatchStatistics(int batchSize, int valuesPerSample, string node)
    {
        if ((long)batchSize * valuesPerSample < 2)
            ThrowBatchStatistics(batchSize, node);
    }

    [DoesNotReturn]
    private static void ThrowBatchStatistics(int batchSize, string node) =>
        throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
            $"'{node}' is a BatchNorm over each value of a vector, whose statistics in training come from the batch alone: a batch of {batchSize} has " +
            "one value per statistic, so its variance is 0 and every output would be β (PyTorch raises \"Expected more than 1 value per channel when training\"). " +
            "Train on batches of 2 or more; Forward and ComputeLoss, which use the running statistics, take any batch.");

    [DoesNotReturn]
    private static void ThrowTargets(string problem, string name) => throw new ArgumentException(problem, name);

    [DoesNotReturn]
    private static void ThrowBatchSize(int batchSize, int maxBatchSize) =>
        throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
            $"The batch size must be between 1 and {maxBatchSize}, the maxBatchSize given to the network's constructor.");

    [DoesNotReturn]
    private static void ThrowLength(string name, int length, int batchSize, int size) =>
        throw new ArgumentException(
            $"'{name}' holds {length} values, but a batch of {batchSize} needs {batchSize} × {size} = {batchSize * size}.", name);

    /// <summary>
    /// Checks the maximum batch size given to a constructor, whose activation and delta buffers each hold
    /// <paramref name="maxBatchSize"/> × <paramref name="floatsPerSample"/> floats: at least one sample, and no more
    /// than one array can hold.
    /// </summary>
    public static int CheckMaxBatchSize(int maxBatchSize, int floatsPerSample)
    {
        if (maxBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, "A network needs room for at least one sample.");
        int limit = Array.MaxLength / Math.Max(floatsPerSample, 1);
        if (maxBatchSize > limit)
            throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize,
                $"This network keeps {floatsPerSample} activations per sample, so a batch of {maxBatchSize} needs more floats than an array holds ({Array.MaxLength}): " +
                $"the largest maxBatchSize is {limit} (and every sample of it costs {8L * floatsPerSample} bytes of memory).");
        return maxBatchSize;
    }

    /// <summary>
    /// Marks the instance busy for a one-sample Forward (<paramref name="callInProgress"/>: the network's guard field),
    /// or throws when a call is running on it. Two plain writes of the field instead of a compare-exchange: a locked
    /// instruction costs a one-sample call of a tiny network more than its arithmetic (it waits for every store before it).
    /// </summary>
    /// <remarks>
    /// A call that is running when this one starts is always seen. What a compare-exchange would also catch and this
    /// may not is two calls that start within the same few nanoseconds on two threads: both may read the field free.
    /// <see cref="CheckStillMarked"/>, as the calls end, catches that case too, unless both are one-sample Forwards (they write the same mark).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnterOneSample(ref int callInProgress, string network)
    {
        int running = Volatile.Read(ref callInProgress);
        if (running != 0)
            ThrowConcurrentUse(network, running);
        Volatile.Write(ref callInProgress, OneSampleForward);
    }

    /// <summary>The mark of a one-sample Forward in the guard field: a Forward's (1), as the messages name it.</summary>
    public const int OneSampleForward = 1;

    /// <summary>
    /// Checks, as a call that marked the instance with <paramref name="call"/> finishes, that its mark is still there:
    /// another thread's call that slipped past the entry check (<see cref="EnterOneSample"/>) has overwritten it, and
    /// then both calls may have computed from each other's activations. Throws <see cref="InvalidOperationException"/>
    /// in that case, after freeing the field (so the other call, finding it changed too, throws as well).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckStillMarked(ref int callInProgress, int call, string network)
    {
        int mark = Volatile.Read(ref callInProgress);
        if (mark != call)
            ThrowOverlappingUse(ref callInProgress, network, call, mark);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlappingUse(ref int callInProgress, string network, int call, int mark)
    {
        Volatile.Write(ref callInProgress, 0);
        throw OverlappingUse(network, call, mark, null);
    }

    private static InvalidOperationException OverlappingUse(string network, int call, int mark, Exception? cause)
    {
        var overlap = new InvalidOperationException($"This {network} ran {CallName(call)} while another thread {(mark == 0 ? "finished a call" : "started " + CallName(mark))} on it, so the results of both may be wrong. " +
            "A network instance serves one call at a time (its buffers hold the latest batch): give each thread its own instance." +
            (cause is null ? "" : $" The call failed on the other call's buffers ({cause.GetType().Name}; see the inner exception)."), cause);
        overlap.Data[OverlapKey] = true;   // so that the guard's filter lets its own report through
        return overlap;
    }

    /// <summary>
    /// The filter of a guarded call's catch: whether <paramref name="exception"/>, thrown by the call's work, came from
    /// another thread's call overwriting this one's mark (a one-sample Forward that slipped past the entry check
    /// changes the batch size the views read, and an index then falls outside a buffer) rather than from the call
    /// itself. False for the overlap's own report.
    /// </summary>
    public static bool Overlapped(ref int callInProgress, int call, Exception exception) =>
        !exception.Data.Contains(OverlapKey) && Volatile.Read(ref callInProgress) != call;

    /// <summary>
    /// The report of a call whose work failed after another thread's call overwrote its mark (<see cref="Overlapped"/>):
    /// the overlap it is, with the failure as the inner exception, for the generated catch to throw; frees the field.
    /// </summary>
    public static InvalidOperationException Overlap(ref int callInProgress, int call, string network, Exception exception)
    {
        int mark = Volatile.Read(ref callInProgress);
        Volatile.Write(ref callInProgress, 0);
        return OverlappingUse(network, call, mark, exception);
    }

    /// <summary>The key in <see cref="Exception.Data"/> that marks the report of an overlap, which the guard's filter recognises as its own.</summary>
    private const string OverlapKey = "NetGen.OverlappingUse";

    private static string CallName(int call) => call switch { 1 => "Forward", 2 => "ComputeLoss", 3 => "Backward", 4 => "ComputeLossOnLabels", _ => "BackwardOnLabels" };

    /// <summary>
    /// Thrown by a generated network's Forward, ComputeLoss or Backward when another of these calls is still running on
    /// the same instance: two threads would overwrite each other's activations and gradients.
    /// </summary>
    /// <param name="network">The network class.</param>
    /// <param name="running">The call in progress: 1 Forward, 2 ComputeLoss, 3 Backward, 4 ComputeLossOnLabels, 5 BackwardOnLabels.</param>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowConcurrentUse(string network, int running) =>
        throw new InvalidOperationException(
            $"This {network} is already running {CallName(running)} on another thread. " +
            "A network instance serves one call at a time (its buffers hold the latest batch): give each thread its own instance.");
}
