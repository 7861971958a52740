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

    /// <summary>
    /// r·2ⁿ as the vectors without vscalefps scale e^x's polynomial: the float nearest the exact product (ties to even),
    /// subnormal or not, at every width, for r over the range the callers pass and n from where the product underflows
    /// to 0 up to where it is normal. The reference is the product in double (exact) cast to float (one rounding).
    /// </summary>
    [Fact]
    public void ScaleByPow2_RoundsOnceToTheNearestFloat()
    {
        int subnormals = 0;
        for (int n = -150; n <= -100; n++)
        {
            for (float r = 0.35f; r < 1.5f; r += 0.000619f)
            {
                float expected = (float)(r * Math.Pow(2, n));
                if (float.IsSubnormal(expected))
                    subnormals++;
                // The other lanes hold a normal case, so each vector takes the path of a mixed one.
                AssertSameBits(expected, FastExp.ScaleByPow2(Vector512.Create(r).WithElement(0, 1f), Vector512.Create(n).WithElement(0, 0)).GetElement(5), r, 512);
                AssertSameBits(expected, FastExp.ScaleByPow2(Vector256.Create(r).WithElement(0, 1f), Vector256.Create(n).WithElement(0, 0)).GetElement(3), r, 256);
                AssertSameBits(expected, FastExp.ScaleByPow2(Vector128.Create(r).WithElement(0, 1f), Vector128.Create(n).WithElement(0, 0)).GetElement(1), r, 128);
            }
        }
        Assert.True(subnormals > 40_000, $"only {subnormals} subnormal products were compared");
    }

    private static void AssertSameBits(float expected, float actual, float argument, int width) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"{width} bits, argument {argument:R}: {actual:R}, expected {expected:R}");

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
