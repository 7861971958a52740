using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// The pieces of a round (chunks, slices of the parameters, pieces of a data set) cut into one contiguous range per
/// pool thread: thread t of T owns pieces [⌊t·P/T⌋, ⌊(t + 1)·P/T⌋), claims them first, in order, and then takes what
/// is left in the others' ranges, so that a thread that starts late is not waited for. Which thread runs a piece
/// never changes what the piece computes; the ranges only keep a thread on the same parameters from one round to the
/// next (the slices it summed in the reduction are the ones it steps, while they are in its cache) and on the same
/// chunk from one step to the next.
/// </summary>
/// <remarks>
/// Measured on the 2-core Zen 5 in a placement where a cache line took about 500 ns to go from one core to the other
/// and back (a ping-pong of two pinned threads): with one shared counter, the threads' slices of the 784-wide
/// network's reduction interleaved, and the reduction took 90–97 µs a step on two threads against 70 µs on one; with
/// owned ranges, 60–68 µs. The network's Trainer step (B = 128, two chunks on two threads) went from 586–598 to
/// 554–574 µs in three alternating pairs of runs. Each range's counter has a cache line of its own, so that two
/// threads claiming in their own ranges do not contend for one line.
/// </remarks>
internal sealed class OwnedClaims
{
    /// <summary>Ints per 64-byte cache line: the distance between two ranges' counters.</summary>
    private const int Stride = 16;

    private readonly int[] _next;
    private int _pieces;
    private int _ranges;

    public OwnedClaims(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _next = new int[(threads + 1) * Stride];
    }

    /// <summary>Starts a round of <paramref name="pieces"/> pieces shared by <paramref name="threads"/> threads (at most the count it was made for).</summary>
    public void Begin(int pieces, int threads)
    {
        if (threads < 1 || (threads + 1) * Stride > _next.Length)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "More threads than the claims were made for.");
        _pieces = pieces;
        _ranges = threads;
        for (int r = 0; r < threads; r++)
            Volatile.Write(ref _next[(r + 1) * Stride], 0);
    }

    /// <summary>
    /// The next piece for thread <paramref name="thread"/>, or −1 when every piece is claimed. <paramref name="visited"/>
    /// starts at 0 in each round and counts the ranges this thread has emptied: its own first, then the next ones.
    /// </summary>
    public int Next(int thread, ref int visited)
    {
        while (visited < _ranges)
        {
            int range = (thread + visited) % _ranges;
            int first = First(range), count = First(range + 1) - first;
            // Counters sit one line apart, the first a line past the array's header.
            int claimed = Interlocked.Increment(ref _next[(range + 1) * Stride]) - 1;
            if (claimed < count)
                return first + claimed;
            visited++;
        }
        return -1;
    }

    /// <summary>The first piece of range <paramref name="range"/>.</summary>
    private int First(int range) => (int)((long)_pieces * range / _ranges);
}
