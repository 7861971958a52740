using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// The claims of a round's pieces: each thread takes its own contiguous range first and in order, a thread that never
/// comes leaves its range to the others, and under contention every piece is taken exactly once.
/// </summary>
public class OwnedClaimsTests
{
    private static List<int> Drain(OwnedClaims claims, int thread)
    {
        var taken = new List<int>();
        int piece, visited = 0;
        while ((piece = claims.Next(thread, ref visited)) >= 0)
            taken.Add(piece);
        return taken;
    }

    [Theory]
    [InlineData(29, 2, 0, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 })]
    [InlineData(29, 2, 1, new[] { 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28 })]
    [InlineData(8, 3, 1, new[] { 2, 3, 4 })]
    [InlineData(2, 4, 0, new int[0])]
    [InlineData(2, 4, 1, new[] { 0 })]
    [InlineData(2, 4, 3, new[] { 1 })]
    public void AThread_TakesItsOwnRange_InOrder(int pieces, int threads, int thread, int[] own)
    {
        var claims = new OwnedClaims(threads);
        claims.Begin(pieces, threads);
        int visited = 0;
        var taken = new List<int>();
        for (int i = 0; i < own.Length; i++)
            taken.Add(claims.Next(thread, ref visited));
        Assert.Equal(own, taken);
        Assert.Equal(0, visited);   // it has not left its own range
    }

    [Theory]
    [InlineData(29, 2)]
    [InlineData(8, 3)]
    [InlineData(1, 4)]
    [InlineData(0, 2)]
    public void AThreadAlone_TakesEveryPiece_ItsOwnFirst_ThenTheNextRanges(int pieces, int threads)
    {
        var claims = new OwnedClaims(threads);
        for (int thread = 0; thread < threads; thread++)
        {
            claims.Begin(pieces, threads);
            List<int> taken = Drain(claims, thread);
            int first = pieces * thread / threads;
            // Its own range [first, …), then the ranges after it, wrapping round: the pieces from first on, then those before it.
            Assert.Equal(Enumerable.Range(first, pieces - first).Concat(Enumerable.Range(0, first)), taken);
        }
    }

    [Fact]
    public void ALateThread_FindsWhatIsLeft_AndTheRoundCanBeginAgain()
    {
        var claims = new OwnedClaims(2);
        claims.Begin(10, 2);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], Drain(claims, 0));
        Assert.Empty(Drain(claims, 1));
        claims.Begin(4, 2);
        Assert.Equal([2, 3, 0, 1], Drain(claims, 1));
    }

    [Fact]
    public void MoreThreadsThanItWasMadeFor_AreRefused()
    {
        var claims = new OwnedClaims(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => claims.Begin(10, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => claims.Begin(10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OwnedClaims(0));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void UnderContention_EveryPiece_IsTakenExactlyOnce(int threads)
    {
        const int Pieces = 1_000, Rounds = 200;
        var claims = new OwnedClaims(threads);
        var counts = new int[Pieces];
        for (int round = 0; round < Rounds; round++)
        {
            claims.Begin(Pieces, threads);
            using var start = new Barrier(threads);
            Thread[] workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                int piece, visited = 0;
                while ((piece = claims.Next(t, ref visited)) >= 0)
                    Interlocked.Increment(ref counts[piece]);
            })).ToArray();
            foreach (Thread worker in workers)
                worker.Start();
            foreach (Thread worker in workers)
                worker.Join();
        }
        Assert.All(counts, c => Assert.Equal(Rounds, c));
    }
}
