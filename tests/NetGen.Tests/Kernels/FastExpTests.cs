using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>The single-precision e^x behind the sigmoid and tanh, for every width, against Math.Exp.</summary>
public class FastExpTests
{
    [Fact]
    public void Exp_IsAccurateAcrossTheFloatRange()
    {
        for (float x = -87f; x <= 88f; x += 0.173f)
        {
            double expected = Math.Exp(x);
            AssertRelative(expected, FastExp.Exp(Vector512.Create(x)).GetElement(5), x);
            AssertRelative(expected, FastExp.Exp(Vector256.Create(x)).GetElement(3), x);
            AssertRelative(expected, FastExp.Exp(Vector128.Create(x)).GetElement(1), x);
        }
    }

    [Theory]
    [InlineData(1000f)]
    [InlineData(-1000f)]
    [InlineData(89f)]
    [InlineData(-88f)]
    public void Sigmoid_StaysFiniteAndExactAtTheExtremes(float z)
    {
        float expected = z > 0 ? 1f : 0f;
        Assert.Equal(expected, SigmoidOperator.Invoke(Vector512.Create(z)).GetElement(0), 6);
        Assert.Equal(expected, SigmoidOperator.Invoke(Vector256.Create(z)).GetElement(0), 6);
        Assert.Equal(expected, SigmoidOperator.Invoke(Vector128.Create(z)).GetElement(0), 6);
        Assert.Equal(z > 0 ? 1f : -1f, TanhOperator.Invoke(Vector512.Create(z)).GetElement(0));
    }

    private static void AssertRelative(double expected, float actual, float x) =>
        Assert.True(Math.Abs(actual - expected) <= 5e-7 * expected, $"e^{x}: {actual}, expected {expected}");
}
