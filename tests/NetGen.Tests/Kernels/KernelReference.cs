using System;

namespace NetGen.Tests.Kernels;

/// <summary>The dense-layer maths written the plain way, in double, for the kernel tests to compare against.</summary>
internal static class KernelReference
{
    /// <summary>z[n, o] = Σ_i W[o, i]·x[n, i] + b[o], W row-major [units, inputs].</summary>
    public static double[] Affine(float[] x, float[] w, float[]? b, int batch, int inputs, int units)
    {
        var z = new double[batch * units];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < units; o++)
            {
                double sum = b is null ? 0 : b[o];
                for (int i = 0; i < inputs; i++)
                    sum += (double)w[o * inputs + i] * x[n * inputs + i];
                z[n * units + o] = sum;
            }
        return z;
    }

    /// <summary>∂L/∂W[o, i] = Σ_n δ[n, o]·x[n, i].</summary>
    public static double[] WeightGradients(float[] delta, float[] x, int batch, int inputs, int units)
    {
        var g = new double[units * inputs];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < units; o++)
                for (int i = 0; i < inputs; i++)
                    g[o * inputs + i] += (double)delta[n * units + o] * x[n * inputs + i];
        return g;
    }

    /// <summary>δx[n, i] = Σ_o δ[n, o]·W[o, i].</summary>
    public static double[] InputGradients(float[] delta, float[] w, int batch, int inputs, int units)
    {
        var d = new double[batch * inputs];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < units; o++)
                for (int i = 0; i < inputs; i++)
                    d[n * inputs + i] += (double)delta[n * units + o] * w[o * inputs + i];
        return d;
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Asserts every element within 1e-5 + 1e-5·|expected| (float sums of up to a few hundred terms).</summary>
    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, string what)
    {
        Xunit.Assert.True(actual.Length >= expected.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int k = 0; k < expected.Length; k++)
        {
            double tolerance = 1e-5 + 1e-5 * Math.Abs(expected[k]);
            if (!(Math.Abs(actual[k] - expected[k]) <= tolerance))
                Xunit.Assert.Fail($"{what}: element {k} is {actual[k]}, expected {expected[k]} (tolerance {tolerance:G2})");
        }
    }

    public static double[] Map(double[] values, Func<double, double> f) => Array.ConvertAll(values, v => f(v));
}
