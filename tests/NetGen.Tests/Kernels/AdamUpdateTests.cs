using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The one-pass Adam update at each width on its own (the 512-bit type runs in software where it is not accelerated),
/// then whole spans with their narrower and scalar tails, bitwise against the ten TensorPrimitives passes it replaced
/// (the reference below): every element must get the same bits on every width, or a step cut into slices on threads
/// would differ from a whole step.
/// </summary>
public class AdamUpdateTests
{
    private static readonly int[] Lengths = [1, 3, 4, 5, 8, 9, 15, 16, 17, 31, 33, 100];

    public static IEnumerable<object[]> Cases()
    {
        foreach (int width in new[] { 16, 8, 4, 1 })
            foreach (int n in Lengths)
                foreach (string decay in new[] { "none", "l2", "decoupled" })
                    yield return [width, n, decay];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachWidth_GivesTheBitsOfTheTensorPrimitivesPasses(int width, int n, string decay)
    {
        (float[] theta, float[] g, float[] m, float[] v, AdamCoefficients c) = Setup(n, decay, seed: n + width);
        float[] original = (float[])theta.Clone();
        (float[] expectedTheta, float[] expectedM, float[] expectedV) = Reference(theta, g, m, v, c);
        nint done = width switch
        {
            16 => AdamUpdate.Run<V512, Vector512<float>>(ref theta[0], ref g[0], ref m[0], ref v[0], c, 0, n),
            8 => AdamUpdate.Run<V256, Vector256<float>>(ref theta[0], ref g[0], ref m[0], ref v[0], c, 0, n),
            4 => AdamUpdate.Run<V128, Vector128<float>>(ref theta[0], ref g[0], ref m[0], ref v[0], c, 0, n),
            _ => AdamUpdate.Run<Scalar, float>(ref theta[0], ref g[0], ref m[0], ref v[0], c, 0, n),
        };
        Assert.Equal(n - n % width, (int)done);
        for (int i = 0; i < n; i++)
        {
            bool updated = i < done;
            Assert.True(BitConverter.SingleToInt32Bits(updated ? expectedTheta[i] : original[i]) == BitConverter.SingleToInt32Bits(theta[i]),
                $"{width} lanes, n = {n}, {decay}, θ[{i}]: {theta[i]}");
            if (updated)
                Assert.True((expectedM[i], expectedV[i]) == (m[i], v[i]), $"{width} lanes, n = {n}, {decay}, element {i}: m {m[i]}, v {v[i]}");
        }
    }

    [Theory]
    [InlineData(1, "none")]
    [InlineData(37, "l2")]
    [InlineData(1000, "decoupled")]
    [InlineData(8193, "none")]
    public void WholeSpans_GiveTheBitsOfTheTensorPrimitivesPasses(int n, string decay)
    {
        (float[] theta, float[] g, float[] m, float[] v, AdamCoefficients c) = Setup(n, decay, seed: 7);
        (float[] expectedTheta, float[] expectedM, float[] expectedV) = Reference(theta, g, m, v, c);
        AdamUpdate.Apply(theta, g, m, v, c);
        Assert.Equal(expectedTheta, theta);
        Assert.Equal(expectedM, m);
        Assert.Equal(expectedV, v);
    }

    [Fact]
    public void MismatchedLengths_AreRefused()
    {
        var c = new AdamCoefficients(0.9f, 0.999f, 1f, 1e-8f, -1e-3f, 0f, 1f);
        Assert.Throws<ArgumentException>(() => AdamUpdate.Apply(new float[4], new float[4], new float[3], new float[4], c));
    }

    private static (float[] Theta, float[] G, float[] M, float[] V, AdamCoefficients C) Setup(int n, string decay, int seed)
    {
        var random = new Random(seed);
        float[] Draw(float scale, bool positive = false)
        {
            var values = new float[n];
            for (int i = 0; i < n; i++)
                values[i] = (float)((positive ? random.NextDouble() : random.NextDouble() * 2 - 1) * scale);
            return values;
        }
        // A step well into a run (t = 7): moments of earlier steps, a bias correction that is not 1.
        const double beta1 = 0.9, beta2 = 0.999;
        var c = new AdamCoefficients((float)beta1, (float)beta2, (float)Math.Sqrt(1 - Math.Pow(beta2, 7)), 1e-8f,
            StepScale: (float)(-1e-3 / (1 - Math.Pow(beta1, 7))),
            L2: decay == "l2" ? 0.01f : 0f,
            Shrink: decay == "decoupled" ? 1f - 1e-3f * 0.01f : 1f);
        return (Draw(2f), Draw(0.5f), Draw(0.1f), Draw(0.01f, positive: true), c);
    }

    /// <summary>The update as Adam computed it before the one-pass kernel: ten TensorPrimitives passes, each rounded once.</summary>
    private static (float[] Theta, float[] M, float[] V) Reference(float[] theta0, float[] g0, float[] m0, float[] v0, AdamCoefficients c)
    {
        float[] theta = (float[])theta0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone();
        float[] g = (float[])g0.Clone(), d = new float[theta.Length];
        if (c.Shrink != 1f)
            TensorPrimitives.Multiply(theta, c.Shrink, theta);
        else if (c.L2 != 0f)
            TensorPrimitives.MultiplyAdd(theta, c.L2, g0, g);
        TensorPrimitives.Multiply(m, c.Beta1, m);
        TensorPrimitives.MultiplyAdd(g, 1f - c.Beta1, m, m);
        TensorPrimitives.Multiply(v, c.Beta2, v);
        TensorPrimitives.Multiply(g, g, d);
        TensorPrimitives.MultiplyAdd(d, 1f - c.Beta2, v, v);
        TensorPrimitives.Sqrt(v, d);
        TensorPrimitives.Divide(d, c.BiasCorrection2Root, d);
        TensorPrimitives.Add(d, c.Epsilon, d);
        TensorPrimitives.Divide(m, d, d);
        TensorPrimitives.MultiplyAdd(d, c.StepScale, theta, theta);
        return (theta, m, v);
    }
}
