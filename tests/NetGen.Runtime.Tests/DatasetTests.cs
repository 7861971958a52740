using System;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>A Dataset holds at least one whole sample of finite numbers, or says which value is wrong.</summary>
public class DatasetTests
{
    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+∞")]
    [InlineData(float.NegativeInfinity, "−∞")]
    public void NonFiniteInput_IsRejected_WithItsIndex(float bad, string shown)
    {
        var inputs = new float[2 * 20];
        inputs[27] = bad;
        var e = Assert.Throws<ArgumentException>(() => new Dataset(inputs, new float[20], inputSize: 2, targetSize: 1));
        Assert.Equal("inputs", e.ParamName);
        Assert.StartsWith($"inputs[27] is {shown} (sample 13, value 1): a data set must hold finite numbers only.", e.Message);
    }

    [Fact]
    public void NonFiniteTarget_IsRejected_WithItsIndex()
    {
        var targets = new float[3 * 4];
        targets[11] = float.NaN; // the last value: a check that stops one short misses it
        var e = Assert.Throws<ArgumentException>(() => new Dataset(new float[4], targets, inputSize: 1, targetSize: 3));
        Assert.Equal("targets", e.ParamName);
        Assert.StartsWith("targets[11] is NaN (sample 3, value 2)", e.Message);
    }

    [Fact]
    public void EmptyData_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset([], [], inputSize: 2, targetSize: 1));
        Assert.Equal("inputs", e.ParamName);
        Assert.StartsWith("A data set needs at least one sample; 'inputs' is empty", e.Message);
    }

    [Fact]
    public void FiniteExtremes_AreAccepted()
    {
        var data = new Dataset([float.MaxValue, -float.MaxValue, float.Epsilon, 0f], [1f, 2f], inputSize: 2, targetSize: 1);
        Assert.Equal(2, data.Count);
    }
}
