using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;
using static NetGen.Tests.Kernels.KernelReference;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Every dense kernel against <see cref="KernelReference"/>, over sizes that straddle the vector widths (4, 8, 16 lanes)
/// and the 4 × 4 tiles: 1, 7, 15, 16, 17, 33, 63, 64, 65, 100.
/// </summary>
public class DenseKernelTests
{
    private static readonly int[] Sizes = [1, 7, 15, 16, 17, 33, 63, 64, 65, 100];

    /// <summary>(batch, inputs, units) triples: each size as inputs and as units, with batches that leave row remainders.</summary>
    public static IEnumerable<object[]> Shapes()
    {
        int k = 0;
        foreach (int inputs in Sizes)
            foreach (int units in Sizes)
                if ((inputs * 7 + units * 3) % 4 == 0 || inputs == 1 || units == 1 || inputs == units)
                    yield return [new[] { 1, 3, 8, 13 }[k++ % 4], inputs, units];
        // Batches of 16 and more take the 16-samples-at-once path of one-unit layers, and leave remainders.
        yield return [33, 64, 1];
        yield return [40, 16, 1];
        yield return [21, 100, 1];
        yield return [35, 48, 33];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_MatchesTheReference(int batch, int inputs, int units)
    {
        var (x, w, b) = Layer(batch, inputs, units, seed: 1);
        double[] z = Affine(x, w, b, batch, inputs, units);
        float[] wt = new float[w.Length];
        Dense.Transpose(w, wt, units, inputs);

        var y = new float[batch * units];
        var kept = new float[batch * units];
        Dense.Forward<SigmoidOperator>(x, wt, b, kept, y, batch, inputs, units);
        AssertClose(z, kept, "z kept by Forward");
        AssertClose(Map(z, Sigmoid), y, "σ(z) from Forward");

        Dense.Forward<IdentityOperator>(x, wt, default, default, y, batch, inputs, units);
        AssertClose(Affine(x, w, null, batch, inputs, units), y, "W·x from Forward without bias");

        Dense.Forward<ReluOperator>(x, wt, b, default, y, batch, inputs, units);
        AssertClose(Map(z, v => Math.Max(v, 0)), y, "relu(z) from Forward");

        // An f applied over each finished tile, with no bias to add and no z to keep there.
        Dense.Forward<TanhOperator>(x, wt, default, default, y, batch, inputs, units);
        AssertClose(Map(Affine(x, w, null, batch, inputs, units), Math.Tanh), y, "tanh(W·x) from Forward without bias");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardByRows_MatchesTheReference(int batch, int inputs, int units)
    {
        var (x, w, b) = Layer(batch, inputs, units, seed: 2);
        double[] z = Affine(x, w, b, batch, inputs, units);
        var y = new float[batch * units];
        var kept = new float[batch * units];
        Dense.ForwardByRows<TanhOperator>(x, w, b, kept, y, batch, inputs, units);
        AssertClose(z, kept, "z kept by ForwardByRows");
        AssertClose(Map(z, Math.Tanh), y, "tanh(z) from ForwardByRows");

        Dense.ForwardByRows<IdentityOperator>(x, w, b, default, y, batch, inputs, units);
        AssertClose(z, y, "z from ForwardByRows");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_MatchTheReference(int batch, int inputs, int units)
    {
        var (x, w, _) = Layer(batch, inputs, units, seed: 3);
        float[] delta = TestData.Normal(batch * units, 4);

        var gw = new float[units * inputs + 3];
        gw.AsSpan().Fill(float.NaN); // written, not added: whatever was there must not matter
        Dense.WeightGradients(delta, x, gw, batch, inputs, units);
        AssertClose(WeightGradients(delta, x, batch, inputs, units), gw, "∂L/∂W");
        Assert.True(float.IsNaN(gw[^1]), "WeightGradients wrote past the matrix");

        var gb = new float[units];
        gb.AsSpan().Fill(float.NaN);
        Dense.BiasGradients(delta, gb, batch, units);
        var expectedBias = new double[units];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < units; o++)
                expectedBias[o] += delta[n * units + o];
        AssertClose(expectedBias, gb, "∂L/∂b");

        double[] dx = InputGradients(delta, w, batch, inputs, units);
        var written = new float[batch * inputs];
        written.AsSpan().Fill(float.NaN);
        Dense.InputGradients<IdentityDerivativeOperator>(delta, w, default, written, accumulate: false, batch, inputs, units);
        AssertClose(dx, written, "δx written");

        float[] earlier = TestData.Normal(batch * inputs, 5);
        float[] added = (float[])earlier.Clone();
        Dense.InputGradients<IdentityDerivativeOperator>(delta, w, default, added, accumulate: true, batch, inputs, units);
        double[] sum = new double[dx.Length];
        for (int k = 0; k < sum.Length; k++)
            sum[k] = dx[k] + earlier[k];
        AssertClose(sum, added, "δx added to what was there");

        float[] y = Array.ConvertAll(TestData.Normal(batch * inputs, 6), v => (float)Sigmoid(v));
        var fused = new float[batch * inputs];
        Dense.InputGradients<SigmoidDerivativeOperator>(delta, w, y, fused, accumulate: false, batch, inputs, units);
        var expectedFused = new double[dx.Length];
        for (int k = 0; k < dx.Length; k++)
            expectedFused[k] = dx[k] * y[k] * (1 - y[k]);
        AssertClose(expectedFused, fused, "δz = δx ⊙ σ′ fused");
    }

    [Fact]
    public void InputGradients_RefusesToFuseADerivativeIntoASum()
    {
        Assert.Throws<ArgumentException>(() =>
            Dense.InputGradients<SigmoidDerivativeOperator>(new float[4], new float[4], new float[4], new float[4], accumulate: true, 2, 2, 2));
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(64, 64)]
    [InlineData(16, 784)]
    [InlineData(7, 33)]
    [InlineData(1, 5)]
    [InlineData(100, 1)]
    public void Transpose_MovesEveryElement(int units, int inputs)
    {
        float[] w = TestData.Normal(units * inputs, 7);
        var t = new float[w.Length];
        Dense.Transpose(w, t, units, inputs);
        for (int o = 0; o < units; o++)
            for (int i = 0; i < inputs; i++)
                Assert.Equal(w[o * inputs + i], t[i * units + o]);
    }

    [Fact]
    public void Kernels_RejectBuffersThatAreTooSmall()
    {
        Assert.Throws<ArgumentException>(() => Dense.Forward<IdentityOperator>(new float[5], new float[6], default, default, new float[4], 2, 3, 2));
        Assert.Throws<ArgumentException>(() => Dense.ForwardByRows<IdentityOperator>(new float[6], new float[5], default, default, new float[4], 2, 3, 2));
        Assert.Throws<ArgumentException>(() => Dense.WeightGradients(new float[4], new float[6], new float[5], 2, 3, 2));
        Assert.Throws<ArgumentException>(() => Dense.BiasGradients(new float[3], new float[2], 2, 2));
        Assert.Throws<ArgumentException>(() => Dense.Transpose(new float[5], new float[6], 2, 3));
    }

    /// <summary>
    /// ∂L/∂W of a layer of 4 inputs and 32 units runs as Xᵀ·δ (6 rows of two 512-bit or four 256-bit vectors a step of the
    /// batch, not 32 rows of a 4-lane vector); layers whose own rows fill vectors, and near ties, keep δᵀ·X.
    /// </summary>
    [Theory]
    [InlineData(4, 32)]
    [InlineData(3, 33)]
    [InlineData(16, 4)]
    [InlineData(32, 16)]
    [InlineData(64, 64)]
    [InlineData(784, 256)]
    [InlineData(128, 10)]
    public void WeightGradients_SwapRowsAndVectorsOnlyWhereThatIsCheaper(int inputs, int units)
    {
        bool expected = inputs < 4 ? Vector128.IsHardwareAccelerated : inputs == 4 && units == 32 && Vector256.IsHardwareAccelerated;
        Assert.Equal(expected, Dense.WeighsTransposed(inputs, units));
    }

    /// <summary>
    /// A batched forward pass of a layer narrower than the widest vector reads W's rows by dot products from a fan-in of
    /// 64 on (no scratch for Wᵀ), and keeps the transposed product below it: 128 → 8 on AVX-512 (8 units, half a
    /// vector) takes dot products, on AVX2 (8 units, one whole vector) the product; 16 → 4 the product everywhere.
    /// </summary>
    [Fact]
    public void NarrowLayers_TakeDotProductsFromAFanInOf64()
    {
        Assert.Equal(Vector512.IsHardwareAccelerated || !Vector256.IsHardwareAccelerated ? 0 : 128 * 8, Dense.ScratchLength<Narrow128x8>());
        Assert.Equal(Vector128.IsHardwareAccelerated ? 16 * 4 : 0, Dense.ScratchLength<Narrow16x4>());
        Assert.Equal(Vector128.IsHardwareAccelerated ? 64 * 16 : 0, Dense.ScratchLength<Wide64x16>());
    }

    private readonly struct Narrow128x8 : ILayerShape { public static int Inputs => 128; public static int Units => 8; }

    private readonly struct Narrow16x4 : ILayerShape { public static int Inputs => 16; public static int Units => 4; }

    private readonly struct Wide64x16 : ILayerShape { public static int Inputs => 64; public static int Units => 16; }

    /// <summary>Each width on its own (this machine may only run the widest in the public kernels): C = A·B with A strided.</summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 3, 7)]
    [InlineData(4, 65, 9)]
    [InlineData(9, 33, 16)]
    [InlineData(13, 100, 17)]
    public void EveryVectorWidth_ComputesTheSameProduct(int m, int n, int k)
    {
        // A is read transposed (aRow = 1, aStep = m), as the weight gradient reads δ.
        float[] a = TestData.Normal(k * m, 8);
        float[] b = TestData.Normal(k * n, 9);
        var expected = new double[m * n];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < n; c++)
                for (int p = 0; p < k; p++)
                    expected[r * n + c] += (double)a[p * m + r] * b[p * n + c];

        AssertClose(expected, Product<V512, Vector512<float>>(a, b, m, n, k), "512-bit");
        AssertClose(expected, Product<V256, Vector256<float>>(a, b, m, n, k), "256-bit");
        AssertClose(expected, Product<V128, Vector128<float>>(a, b, m, n, k), "128-bit");
        AssertClose(expected, Product<Scalar, float>(a, b, m, n, k), "scalar");
    }

    /// <summary>The widest columns with TOps, the rest scalar (what <see cref="Gemm.Run"/> does with one width accelerated).</summary>
    private static float[] Product<TOps, TV>(float[] a, float[] b, int m, int n, int k) where TOps : IVectorOps<TV> where TV : struct
    {
        var c = new float[m * n];
        var epilogue = new StoreEpilogue(ref c[0], n);
        ref float ar = ref MemoryMarshal.GetArrayDataReference(a);
        ref float br = ref MemoryMarshal.GetArrayDataReference(b);
        nint column = 0;
        if (Vector512.IsHardwareAccelerated || typeof(TOps) != typeof(V512))
            column = Gemm.Columns<TOps, TV, RuntimeProduct, StoreEpilogue>(ref ar, ref br, new RuntimeProduct(m, n, k, 1, m, n), 0, ref epilogue);
        Gemm.Columns<Scalar, float, RuntimeProduct, StoreEpilogue>(ref ar, ref br, new RuntimeProduct(m, n, k, 1, m, n), column, ref epilogue);
        return c;
    }

    private static (float[] X, float[] W, float[] B) Layer(int batch, int inputs, int units, ulong seed) =>
        (TestData.Normal(batch * inputs, seed), TestData.Normal(units * inputs, seed + 10, 1 / Math.Sqrt(inputs)), TestData.Normal(units, seed + 20));
}
