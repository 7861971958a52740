using System;
using System.Collections.Generic;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Generated code calls the activation kernels in place: y = f(z) with y aliasing z, and δ ← δ·f′ with δ both read and
/// written. Each public entry point must give, in place, exactly what it gives into a separate buffer, and that must be
/// the function itself (a double-precision scalar reference), at lengths on both sides of every vector width: the
/// element-wise loops end with an overlapping last vector, which in place would map some values twice if it read them
/// after the main loop wrote them.
/// </summary>
public class KernelInPlaceTests
{
    private const float Slope = 0.1f;

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Name → (kernel: source → destination, scalar reference of one element).</summary>
    private static readonly Dictionary<string, (Action<float[], float[]> Kernel, Func<double, double> Reference)> s_forward = new()
    {
        ["Sigmoid"] = ((z, y) => Activations.Sigmoid(y, z), Sigmoid),
        ["Tanh"] = ((z, y) => Activations.Tanh(y, z), Math.Tanh),
        ["BipolarSigmoid"] = ((z, y) => Activations.BipolarSigmoid(y, z), z => 2 * Sigmoid(z) - 1),
        ["ReLU"] = ((z, y) => Activations.ReLU(y, z), z => Math.Max(z, 0)),
        ["LeakyReLU"] = ((z, y) => Activations.LeakyReLU(y, z, Slope), z => z > 0 ? z : Slope * z),
        ["Softplus"] = ((z, y) => Activations.Softplus(y, z), z => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)))),
    };

    /// <summary>Name → (kernel: (y or z, δ in place), δ·f′ of one element from (y or z, δ)).</summary>
    private static readonly Dictionary<string, (Action<float[], float[]> Kernel, Func<double, double, double> Reference)> s_backward = new()
    {
        ["SigmoidBackward"] = ((y, d) => Activations.SigmoidBackward(d, y), (y, d) => d * y * (1 - y)),
        ["TanhBackward"] = ((y, d) => Activations.TanhBackward(d, y), (y, d) => d * (1 - y * y)),
        ["BipolarSigmoidBackward"] = ((y, d) => Activations.BipolarSigmoidBackward(d, y), (y, d) => d * (1 - y * y) / 2),
        ["ReLUBackward"] = ((y, d) => Activations.ReLUBackward(d, y), (y, d) => y > 0 ? d : 0),
        ["LeakyReLUBackward"] = ((y, d) => Activations.LeakyReLUBackward(d, y, Slope), (y, d) => y > 0 ? d : Slope * d),
        ["SoftplusBackward"] = ((z, d) => Activations.SoftplusBackward(d, z), (z, d) => d * Sigmoid(z)),
    };

    /// <summary>1 … 40 covers every tail of 4, 8 and 16 lanes; the rest cross two and more whole vectors.</summary>
    private static readonly int[] s_lengths = [.. Range(1, 40), 47, 63, 64, 65, 100, 127, 129];

    private static IEnumerable<int> Range(int from, int to)
    {
        for (int n = from; n <= to; n++)
            yield return n;
    }

    public static IEnumerable<object[]> Forward() { foreach (string name in s_forward.Keys) yield return [name]; }

    public static IEnumerable<object[]> Backward() { foreach (string name in s_backward.Keys) yield return [name]; }

    /// <summary>Values across the interesting range of every activation, including saturation (±20) and zero.</summary>
    private static float[] Values(int n, ulong seed)
    {
        float[] values = TestData.Normal(n, seed, std: 4);
        if (n > 2)
        {
            values[0] = 0f;
            values[n / 2] = 20f;
            values[n - 1] = -20f;
        }
        return values;
    }

    [Theory]
    [MemberData(nameof(Forward))]
    public void Activation_InPlace_EqualsOutOfPlace_AndTheFunction(string name)
    {
        var (kernel, reference) = s_forward[name];
        foreach (int n in s_lengths)
        {
            float[] z = Values(n, (ulong)n);
            var separate = new float[n];
            kernel(z, separate);
            float[] inPlace = (float[])z.Clone();
            kernel(inPlace, inPlace);
            Assert.True(separate.AsSpan().SequenceEqual(inPlace), $"{name} in place differs from out of place at length {n}");
            for (int i = 0; i < n; i++)
            {
                double expected = reference(z[i]);
                Assert.True(Math.Abs(separate[i] - expected) <= 1e-6 + 1e-5 * Math.Abs(expected), $"{name}({z[i]}) = {separate[i]}, expected {expected} (length {n}, index {i})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backward))]
    public void Derivative_InPlaceOnDelta_IsTheProduct(string name)
    {
        var (kernel, reference) = s_backward[name];
        foreach (int n in s_lengths)
        {
            // Sigmoid-like y in (0, 1) or (−1, 1) for the y-based derivatives; the softplus one reads z, any value.
            float[] source = Values(n, (ulong)n + 1000);
            if (name != "SoftplusBackward")
                Activations.Tanh(source, source);
            float[] delta = TestData.Normal(n, (ulong)n + 2000);
            float[] result = (float[])delta.Clone();
            kernel(source, result);
            for (int i = 0; i < n; i++)
            {
                double expected = reference(source[i], delta[i]);
                Assert.True(Math.Abs(result[i] - expected) <= 1e-6 + 1e-5 * Math.Abs(expected), $"{name}: δ = {delta[i]} at {source[i]} gave {result[i]}, expected {expected} (length {n}, index {i})");
            }
        }
    }

    [Fact]
    public void Softmax_InPlace_EqualsOutOfPlace_RowByRow()
    {
        foreach (int columns in new[] { 1, 2, 3, 7, 8, 9, 16, 17, 33 })
        {
            const int rows = 3;
            float[] z = Values(rows * columns, (ulong)columns);
            var separate = new float[z.Length];
            Activations.Softmax(separate, z, columns);
            float[] inPlace = (float[])z.Clone();
            Activations.Softmax(inPlace, inPlace, columns);
            Assert.True(separate.AsSpan().SequenceEqual(inPlace), $"softmax in place differs at {columns} columns");
            for (int r = 0; r < rows; r++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (int c = 0; c < columns; c++)
                    max = Math.Max(max, z[r * columns + c]);
                for (int c = 0; c < columns; c++)
                    sum += Math.Exp(z[r * columns + c] - max);
                for (int c = 0; c < columns; c++)
                    Assert.Equal(Math.Exp(z[r * columns + c] - max) / sum, separate[r * columns + c], 1e-6);
            }
        }
    }

    [Fact]
    public void SoftmaxBackward_InPlaceOnDelta_IsTheJacobianProduct()
    {
        foreach (int columns in new[] { 1, 2, 3, 7, 8, 9, 16, 17, 33 })
        {
            const int rows = 3;
            var y = new float[rows * columns];
            Activations.Softmax(y, Values(y.Length, (ulong)columns), columns);
            float[] delta = TestData.Normal(y.Length, (ulong)columns + 50);
            float[] result = (float[])delta.Clone();
            Activations.SoftmaxBackward(result, y, columns);
            for (int r = 0; r < rows; r++)
            {
                double dot = 0;
                for (int c = 0; c < columns; c++)
                    dot += (double)y[r * columns + c] * delta[r * columns + c];
                for (int c = 0; c < columns; c++)
                    Assert.Equal(y[r * columns + c] * (delta[r * columns + c] - dot), result[r * columns + c], 1e-6);
            }
        }
    }

    /// <summary>Every public activation kernel of <see cref="Activations"/> is in one of the tables above.</summary>
    [Fact]
    public void EveryActivationKernel_IsTested()
    {
        var tested = new HashSet<string>([.. s_forward.Keys, .. s_backward.Keys, "Softmax", "SoftmaxBackward"]);
        foreach (var method in typeof(Activations).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            Assert.True(tested.Contains(method.Name), $"Activations.{method.Name} has no in-place test");
    }
}
