using System;
using NetGen.Benchmarks.Comparison;
using Xunit;

namespace NetGen.Benchmarks.Tests;

/// <summary>The threads table of <c>compare</c> and its closing line: which row the line takes, and how both print.</summary>
public class ThreadScalingTableTests
{
    private static ThreadScalingRow Row(string network, int automatic, double uncut, params double[] byThreads) =>
        new(network + " title", network, 128, 64, automatic, uncut, Timings(byThreads));

    private static ThreadTiming[] Timings(double[] seconds)
    {
        var timings = new ThreadTiming[seconds.Length];
        for (int i = 0; i < seconds.Length; i++)
            timings[i] = new ThreadTiming(i + 1, seconds[i]);
        return timings;
    }

    [Fact]
    public void Line_IsTheMnistNetworksUncutStepOverItsStepOnTheMostThreads()
    {
        ThreadScalingRow[] rows = [Row("SeedMlp", 128, 25e-6, 25e-6, 24e-6), Row(ThreadScalingTable.MnistNetwork, 64, 0.9e-3, 1.04e-3, 0.6e-3)];
        Assert.Equal("threads-speedup-mnist: 1.5", ThreadScalingTable.Line(rows));
    }

    [Fact]
    public void Line_IgnoresTheMnistNetworksLbfgsRow()
    {
        ThreadScalingRow lbfgs = Row(ThreadScalingTable.MnistNetwork, 64, 3e-3, 3.2e-3, 1e-3) with { Lbfgs = true };
        Assert.Equal("threads-speedup-mnist: 1.5", ThreadScalingTable.Line([lbfgs, Row(ThreadScalingTable.MnistNetwork, 64, 0.9e-3, 1.04e-3, 0.6e-3)]));
        Assert.Equal("threads-speedup-mnist: n/a", ThreadScalingTable.Line([lbfgs]));
    }

    [Fact]
    public void Line_WithoutTheMnistNetwork_IsNotAvailable()
    {
        Assert.Equal("threads-speedup-mnist: n/a", ThreadScalingTable.Line([Row("LeNet", 128, 4e-3, 4.2e-3, 2.4e-3)]));
    }

    [Fact]
    public void PeakLine_IsTheConcurrentPeaksSpeedup()
    {
        Assert.Equal("threads-peak-speedup: 1.97", ThreadScalingTable.PeakLine(1.9712));
        Assert.Equal("threads-peak-speedup: 1", ThreadScalingTable.PeakLine(1.0012));
    }

    [Fact]
    public void RoundTripLine_IsWholeNanoseconds_OrNotApplicable()
    {
        Assert.Equal("threads-round-trip-ns: 487", CoreRoundTrip.Line(486.7));
        Assert.Equal("threads-round-trip-ns: n/a", CoreRoundTrip.Line(double.NaN));
    }

    [Fact]
    public void TheRoundTrip_IsMeasured_WhereThereAreTwoProcessors()
    {
        double nanoseconds = CoreRoundTrip.Nanoseconds(rounds: 1);
        if (Environment.ProcessorCount < 2)
            Assert.True(double.IsNaN(nanoseconds));
        else
            Assert.InRange(nanoseconds, 1, 1e6);   // a hand-off between two spinning threads: from tens of nanoseconds to a few microseconds
    }

    [Fact]
    public void Table_SaysTheDefaultChunking_TheMeasuredOne_AndEachSpeedup()
    {
        string table = ThreadScalingTable.Format([Row(ThreadScalingTable.MnistNetwork, 64, 0.9e-3, 1.04e-3, 0.6e-3), Row("WideMlp", 128, 0.32e-3, 0.36e-3, 0.38e-3)]);
        string[] lines = table.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^workload\s+batch\s+by default\s+chunks\s+1 thread, uncut\s+1 thread\s+2 threads$", lines[0]);
        Assert.Matches(@"^MnistMlp title\s+128\s+2 × 64\s+2 × 64\s+900 µs\s+1\.04 ms \(0\.87×\)\s+600 µs \(1\.5×\)$", lines[1]);
        Assert.Matches(@"^WideMlp title\s+128\s+uncut\s+2 × 64\s+320 µs\s+360 µs \(0\.89×\)\s+380 µs \(0\.84×\)$", lines[2]);
    }

    [Fact]
    public void ReductionTable_HasARowPerChunkCount_AndAColumnPerThreadCount()
    {
        string table = ThreadScalingTable.FormatReduction([new(2, 1, 40e-6), new(2, 2, 22e-6), new(4, 2, 41e-6), new(4, 1, 80e-6)]);
        string[] lines = table.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^chunks\s+1 thread\s+2 threads$", lines[0]);
        Assert.Matches(@"^2\s+40 µs\s+22 µs$", lines[1]);
        Assert.Matches(@"^4\s+80 µs\s+41 µs$", lines[2]);
        Assert.Equal("", ThreadScalingTable.FormatReduction([]));
        Assert.Throws<ArgumentException>(() => ThreadScalingTable.FormatReduction([new(2, 1, 1), new(2, 2, 1), new(4, 1, 1)]));
    }

    [Fact]
    public void Table_RefusesRowsWithDifferentThreadCounts()
    {
        Assert.Throws<ArgumentException>(() => ThreadScalingTable.Format([Row("A", 64, 1, 1, 1), Row("B", 64, 1, 1)]));
    }
}
