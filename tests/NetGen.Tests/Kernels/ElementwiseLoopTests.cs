using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The element-wise loop at each width on its own (the 512-bit type runs in software where it is not accelerated), at
/// lengths on both sides of every vector (so the overlapping last vector is exercised and skipped), out of place and in
/// place. The operators are exact affine maps, so every element must be mapped exactly once, from its original value.
/// </summary>
public class ElementwiseLoopTests
{
    private static readonly int[] Lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100];

    private readonly struct TimesTwoPlusOne : IUnaryOperator
    {
        public static float Invoke(float x) => 2f * x + 1f;
        public static Vector128<float> Invoke(Vector128<float> x) => x * 2f + Vector128<float>.One;
        public static Vector256<float> Invoke(Vector256<float> x) => x * 2f + Vector256<float>.One;
        public static Vector512<float> Invoke(Vector512<float> x) => x * 2f + Vector512<float>.One;
    }

    private readonly struct TimesThreeMinus : IBinaryOperator
    {
        public static float Invoke(float x, float y) => 3f * x - y;
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * 3f - y;
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * 3f - y;
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * 3f - y;
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (int width in new[] { 16, 8, 4, 1 })
            foreach (int n in Lengths)
                if (n >= width)
                    foreach (bool inPlace in new[] { false, true })
                        yield return [width, n, inPlace];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unary_EachWidth_MapsEveryElementOnceFromItsOriginalValue(int width, int n, bool inPlace)
    {
        float[] x = Values(n, 1);
        float[] destination = inPlace ? (float[])x.Clone() : new float[n];
        float[] source = inPlace ? destination : x;
        switch (width)
        {
            case 16: ElementwiseLoop.Map<TimesTwoPlusOne, V512, Vector512<float>>(ref source[0], ref destination[0], n); break;
            case 8: ElementwiseLoop.Map<TimesTwoPlusOne, V256, Vector256<float>>(ref source[0], ref destination[0], n); break;
            case 4: ElementwiseLoop.Map<TimesTwoPlusOne, V128, Vector128<float>>(ref source[0], ref destination[0], n); break;
            default: ElementwiseLoop.Map<TimesTwoPlusOne, Scalar, float>(ref source[0], ref destination[0], n); break;
        }
        for (int i = 0; i < n; i++)
            Assert.True(2f * x[i] + 1f == destination[i], $"{width} lanes, n = {n}, element {i}: {destination[i]} ≠ {2f * x[i] + 1f}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Binary_EachWidth_MapsEveryElementOnceFromItsOriginalValue(int width, int n, bool inPlace)
    {
        float[] x = Values(n, 2), y = Values(n, 3);
        float[] destination = inPlace ? (float[])y.Clone() : new float[n];
        float[] second = inPlace ? destination : y;
        switch (width)
        {
            case 16: ElementwiseLoop.Map<TimesThreeMinus, V512, Vector512<float>>(ref x[0], ref second[0], ref destination[0], n); break;
            case 8: ElementwiseLoop.Map<TimesThreeMinus, V256, Vector256<float>>(ref x[0], ref second[0], ref destination[0], n); break;
            case 4: ElementwiseLoop.Map<TimesThreeMinus, V128, Vector128<float>>(ref x[0], ref second[0], ref destination[0], n); break;
            default: ElementwiseLoop.Map<TimesThreeMinus, Scalar, float>(ref x[0], ref second[0], ref destination[0], n); break;
        }
        for (int i = 0; i < n; i++)
            Assert.True(3f * x[i] - y[i] == destination[i], $"{width} lanes, n = {n}, element {i}: {destination[i]} ≠ {3f * x[i] - y[i]}");
    }

    [Fact]
    public void Map_EmptyAndMismatchedSpans_DoNothingOrThrow()
    {
        Activations.Sigmoid([], []);
        Activations.TanhBackward([], []);
        Assert.Throws<ArgumentException>(() => Activations.Sigmoid(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => Activations.TanhBackward(new float[3], new float[2]));
    }

    /// <summary>Distinct small integers and halves, so that 2x + 1 and 3x − y are exact in float.</summary>
    private static float[] Values(int n, int seed)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = ((i * 7 + seed * 13) % 41 - 20) * 0.5f;
        return values;
    }
}
