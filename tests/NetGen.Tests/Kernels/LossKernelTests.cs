using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>The loss sums against a double reference, at lengths that straddle every vector width and its tail.</summary>
public class LossKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(1000)]
    public void SquaredError_MatchesTheDoubleSum(int length)
    {
        float[] y = TestData.Normal(length, 11), t = TestData.Normal(length, 12);
        // Large and small terms together: a float accumulator would lose the small ones.
        for (int i = 0; i < length; i += 5)
            y[i] *= 1e4f;
        double expected = 0;
        for (int i = 0; i < length; i++)
            expected += ((double)y[i] - t[i]) * ((double)y[i] - t[i]);
        double actual = Losses.SquaredError(y, t);
        Assert.Equal(expected, actual, Math.Max(1e-12, expected * 1e-14));
    }

    [Fact]
    public void SquaredError_OfDifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => Losses.SquaredError(new float[3], new float[4]));
}
