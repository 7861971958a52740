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

    /// <summary>
    /// Logistic divides the polynomial before scaling it by 2ⁿ (so that no division meets a subnormal); that must be the
    /// same as dividing e^x by 1 + e^x, bit for bit, at every width: over x ≤ 0 from where the quotient is ½ to where it
    /// is 0, through the subnormals (below x ≈ −87.3), on a grid that is no multiple of ln 2 or of the lane count.
    /// </summary>
    [Fact]
    public void Logistic_IsTheQuotientOfExpByOnePlusExp_BitForBit()
    {
        int checkedSubnormal = 0;
        for (float x = 0f; x >= -110f; x -= 0.00731f)
        {
            var x512 = Vector512.Create(x);
            var e512 = FastExp.Exp(x512);
            AssertSameBits(FastReciprocal.Quotient(e512, Vector512<float>.One + e512).GetElement(7), FastExp.Logistic(x512).GetElement(7), x, 512);
            var e256 = FastExp.Exp(Vector256.Create(x));
            AssertSameBits(FastReciprocal.Quotient(e256, Vector256<float>.One + e256).GetElement(3), FastExp.Logistic(Vector256.Create(x)).GetElement(3), x, 256);
            var e128 = FastExp.Exp(Vector128.Create(x));
            float quotient = FastReciprocal.Quotient(e128, Vector128<float>.One + e128).GetElement(1);
            AssertSameBits(quotient, FastExp.Logistic(Vector128.Create(x)).GetElement(1), x, 128);
            if (float.IsSubnormal(quotient))
                checkedSubnormal++;
        }
        Assert.True(checkedSubnormal > 1000, $"only {checkedSubnormal} subnormal quotients were compared");
    }

    private static void AssertSameBits(float expected, float actual, float x, int width) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"{width}-bit Logistic({x:R}) = {actual:R}, e^x/(1 + e^x) = {expected:R}");

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
