using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The double-precision dot product of L-BFGS: every width's lanes (the 512-bit ones run in software where they are not
/// accelerated) give the bits of the scalar lane structure at lengths on both sides of its 16 lanes, and the value is
/// within double rounding of an exact sum.
/// </summary>
public class DoubleDotTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(100)]
    [InlineData(4099)]
    public void EveryWidth_GivesTheScalarLanesBits(int n)
    {
        (float[] a, float[] b) = Vectors(n, seed: n);
        double scalar = DoubleSums.LanesSum(ref Start(a), ref Start(b), new double[DoubleSums.DotLanes], 0, n);
        int whole = n - n % DoubleSums.DotLanes;
        foreach ((string width, Action<double[]> lanes) in new (string, Action<double[]>)[]
        {
            ("512-bit", l => DoubleSums.DotLanes512(ref Start(a), ref Start(b), whole, l)),
            ("256-bit", l => DoubleSums.DotLanes256(ref Start(a), ref Start(b), whole, l)),
            ("128-bit", l => DoubleSums.DotLanes128(ref Start(a), ref Start(b), whole, l)),
        })
        {
            var l = new double[DoubleSums.DotLanes];
            lanes(l);
            double value = DoubleSums.LanesSum(ref Start(a), ref Start(b), l, whole, n);
            Assert.True(BitConverter.DoubleToInt64Bits(scalar) == BitConverter.DoubleToInt64Bits(value), $"{width}, n = {n}: {value:R} ≠ {scalar:R}");
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(scalar), BitConverter.DoubleToInt64Bits(DoubleSums.Dot(a, b)));
    }

    [Fact]
    public void Value_IsWithinDoubleRoundingOfTheExactSum()
    {
        (float[] a, float[] b) = Vectors(10_000, seed: 3);
        // Each product of two floats is exact in double; their exact sum, kept as a sum of a double and its error (TwoSum).
        double sum = 0, error = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double p = (double)a[j] * b[j], t = sum + p;
            error += Math.Abs(sum) >= Math.Abs(p) ? sum - t + p : p - t + sum;
            sum = t;
        }
        double exact = sum + error, magnitude = 0;
        for (int j = 0; j < a.Length; j++)
            magnitude += Math.Abs((double)a[j] * b[j]);
        Assert.True(Math.Abs(DoubleSums.Dot(a, b) - exact) <= 16 * double.Epsilon + 1e-15 * magnitude, $"{DoubleSums.Dot(a, b):R} against {exact:R}");
        Assert.NotEqual(0, exact);
    }

    [Fact]
    public void DifferentLengths_AreRefused() =>
        Assert.Throws<ArgumentException>(() => DoubleSums.Dot(new float[3], new float[4]));

    private static ref float Start(float[] values) => ref values.Length == 0 ? ref System.Runtime.CompilerServices.Unsafe.NullRef<float>() : ref values[0];

    private static (float[] A, float[] B) Vectors(int n, int seed)
    {
        var random = new Random(seed);
        var a = new float[n];
        var b = new float[n];
        for (int j = 0; j < n; j++)
        {
            a[j] = (float)(random.NextDouble() * 2 - 1) * MathF.Pow(2, random.Next(-20, 20));
            b[j] = (float)(random.NextDouble() * 2 - 1);
        }
        return (a, b);
    }
}
