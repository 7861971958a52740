using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;
using static NetGen.Tests.Kernels.KernelReference;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Each width's code path called on its own (scalar, 128, 256 and 512 bits: the 512-bit type runs in software where
/// it is not accelerated), for sizes that are multiples of no width (1, 3, 7, 15, 17, 33, 100) and batches on both
/// sides of every threshold (1, 2 rows take the one-row tile, 3–5 the 6-row tile with duplicated rows, 7 and 13 both;
/// 3 and 4 straddle the batched-product threshold), against the scalar reference in double.
/// </summary>
public class WidthKernelTests
{
    private static readonly int[] Sizes = [1, 3, 7, 15, 17, 33, 100];
    private static readonly int[] Batches = [1, 2, 3, 4, 5, 7, 13];

    public static IEnumerable<object[]> Shapes()
    {
        int k = 0;
        foreach (int inputs in Sizes)
            foreach (int units in Sizes)
                yield return [Batches[k++ % Batches.Length], inputs, units];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Product_EveryWidth_MatchesTheReference(int batch, int inputs, int units)
    {
        var (x, w, b) = Layer(batch, inputs, units, 1);
        float[] wt = new float[w.Length];
        Dense.Transpose(w, wt, units, inputs);
        double[] z = Affine(x, w, b, batch, inputs, units);
        foreach (string width in new[] { "512", "256", "128", "scalar" })
        {
            var y = new float[batch * units];
            var kept = new float[batch * units];
            var epilogue = new ForwardEpilogue<SigmoidOperator>(ref b[0], true, ref kept[0], true, ref y[0], units);
            var shape = new ForwardProduct<RuntimeSizes>(new RuntimeSizes(inputs, units), batch);
            WidthPaths.Product(width, ref x[0], ref wt[0], shape, ref epilogue);
            AssertClose(z, kept, $"z, {width}-bit product");
            AssertClose(Map(z, Sigmoid), y, $"σ(z), {width}-bit product");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_EveryWidth_MatchTheReference(int batch, int inputs, int units)
    {
        var (x, w, _) = Layer(batch, inputs, units, 2);
        float[] delta = TestData.Normal(batch * units, 3);
        float[] y = Array.ConvertAll(TestData.Normal(batch * inputs, 4), v => (float)Sigmoid(v));
        double[] dx = InputGradients(delta, w, batch, inputs, units);
        double[] dw = WeightGradients(delta, x, batch, inputs, units);
        var fused = new double[dx.Length];
        for (int i = 0; i < dx.Length; i++)
            fused[i] = dx[i] * y[i] * (1 - y[i]);
        var sizes = new RuntimeSizes(inputs, units);
        foreach (string width in new[] { "512", "256", "128", "scalar" })
        {
            var g = new float[units * inputs];
            var store = new StoreEpilogue(ref g[0], inputs == 1 ? units : inputs);
            if (inputs == 1)
                WidthPaths.Product(width, ref x[0], ref delta[0], new RuntimeProduct(1, units, batch, 0, 1, units), ref store);
            else
                WidthPaths.Product(width, ref delta[0], ref x[0], new WeightGradientProduct<RuntimeSizes>(sizes, batch), ref store);
            AssertClose(dw, g, $"∂L/∂W, {width}-bit");

            // The same sums with rows and vectors swapped (Xᵀ·δ, stored transposed), which few inputs and many units take.
            var gt = new float[units * inputs + 1];
            gt[^1] = float.NaN;
            var transposed = new TransposedStoreEpilogue(ref gt[0], inputs);
            WidthPaths.Product(width, ref x[0], ref delta[0], new TransposedWeightGradientProduct<RuntimeSizes>(sizes, batch), ref transposed);
            AssertClose(dw, gt.AsSpan(0, units * inputs).ToArray(), $"∂L/∂W as Xᵀ·δ, {width}-bit");
            Assert.True(float.IsNaN(gt[^1]), $"the transposed ∂L/∂W wrote past the matrix, {width}-bit");

            var d = new float[batch * inputs];
            var epilogue = new InputGradientEpilogue<SigmoidDerivativeOperator>(ref d[0], ref y[0], false, inputs);
            WidthPaths.Product(width, ref delta[0], ref w[0], new InputGradientProduct<RuntimeSizes>(sizes, batch), ref epilogue);
            AssertClose(fused, d, $"δx ⊙ σ′, {width}-bit");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DotProducts_EveryWidth_MatchTheReference(int batch, int inputs, int units)
    {
        var (x, w, b) = Layer(batch, inputs, units, 5);
        double[] z = Affine(x, w, b, batch, inputs, units);
        var sizes = new RuntimeSizes(inputs, units);
        foreach (string width in new[] { "512", "256", "128", "scalar" })
        {
            if (WidthPaths.Lanes(width) > inputs)
                continue; // the dispatch gives such fan-ins to a narrower width
            var y = new float[batch * units];
            var kept = new float[batch * units];
            switch (width)
            {
                case "512": Dense.Rows<V512, Vector512<float>, RuntimeSizes, TanhOperator>(sizes, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
                case "256": Dense.Rows<V256, Vector256<float>, RuntimeSizes, TanhOperator>(sizes, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
                case "128": Dense.Rows<V128, Vector128<float>, RuntimeSizes, TanhOperator>(sizes, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
                default: Dense.Rows<Scalar, float, RuntimeSizes, TanhOperator>(sizes, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
            }
            AssertClose(z, kept, $"z, {width}-bit dot products");
            AssertClose(Map(z, Math.Tanh), y, $"tanh(z), {width}-bit dot products");

            Array.Clear(y);
            switch (width)
            {
                case "512": Dense.RowTiles<V512, Vector512<float>, RuntimeSizes, IdentityOperator>(sizes, ref y[0], ref kept[0], false, ref x[0], ref w[0], ref b[0], true, batch); break;
                case "256": Dense.RowTiles<V256, Vector256<float>, RuntimeSizes, IdentityOperator>(sizes, ref y[0], ref kept[0], false, ref x[0], ref w[0], ref b[0], true, batch); break;
                case "128": Dense.RowTiles<V128, Vector128<float>, RuntimeSizes, IdentityOperator>(sizes, ref y[0], ref kept[0], false, ref x[0], ref w[0], ref b[0], true, batch); break;
                default: Dense.RowTiles<Scalar, float, RuntimeSizes, IdentityOperator>(sizes, ref y[0], ref kept[0], false, ref x[0], ref w[0], ref b[0], true, batch); break;
            }
            AssertClose(z, y, $"z, {width}-bit dot-product tiles");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(2, 7)]
    [InlineData(5, 15)]
    [InlineData(4, 17)]
    [InlineData(7, 33)]
    [InlineData(13, 100)]
    public void OuterProduct_EveryWidth_MatchesTheReference(int batch, int units)
    {
        var (x, w, b) = Layer(batch, 1, units, 9);
        double[] z = Affine(x, w, b, batch, 1, units);
        foreach (string width in new[] { "512", "256", "128", "scalar" })
        {
            if (WidthPaths.Lanes(width) > units)
                continue;
            var y = new float[batch * units];
            var kept = new float[batch * units];
            switch (width)
            {
                case "512": Dense.Outer<V512, Vector512<float>, SigmoidOperator>(units, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
                case "256": Dense.Outer<V256, Vector256<float>, SigmoidOperator>(units, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
                case "128": Dense.Outer<V128, Vector128<float>, SigmoidOperator>(units, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
                default: Dense.Outer<Scalar, float, SigmoidOperator>(units, ref y[0], ref kept[0], true, ref x[0], ref w[0], ref b[0], true, batch); break;
            }
            AssertClose(z, kept, $"z, {width}-bit outer product");
            AssertClose(Map(z, Sigmoid), y, $"σ(z), {width}-bit outer product");
        }
    }

    /// <summary>The generated code's entry points, sizes as shape types: every strategy the runtime may pick, by batch and scratch.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(13)]
    public void ShapeEntryPoints_MatchTheReference(int batch)
    {
        Check<Shape33x17>(batch, 33, 17, withScratch: true);
        Check<Shape33x17>(batch, 33, 17, withScratch: false);
        Check<Shape1x15>(batch, 1, 15, withScratch: false);
        Check<Shape100x7>(batch, 100, 7, withScratch: true);
        Check<Shape7x1>(batch, 7, 1, withScratch: false);
        Check<Shape300x5>(batch, 300, 5, withScratch: false);
    }

    private static void Check<TShape>(int batch, int inputs, int units, bool withScratch) where TShape : ILayerShape
    {
        var (x, w, b) = Layer(batch, inputs, units, 7);
        double[] z = Affine(x, w, b, batch, inputs, units);
        var y = new float[batch * units];
        var kept = new float[batch * units];
        float[] scratch = withScratch ? new float[inputs * units] : [];
        Dense.Forward<TShape, ReluOperator>(y, kept, x, w, b, scratch, batch);
        AssertClose(z, kept, $"z of {inputs} → {units}, batch {batch}");
        AssertClose(Map(z, v => Math.Max(v, 0)), y, $"relu(z) of {inputs} → {units}, batch {batch}");

        float[] delta = TestData.Normal(batch * units, 8);
        var g = new float[units * inputs];
        Dense.WeightGradients<TShape>(g, delta, x, batch);
        AssertClose(WeightGradients(delta, x, batch, inputs, units), g, "∂L/∂W");
        var dx = new float[batch * inputs];
        Dense.InputGradients<TShape, IdentityDerivativeOperator>(dx, delta, w, default, batch);
        double[] expected = InputGradients(delta, w, batch, inputs, units);
        AssertClose(expected, dx, "δx");
        Dense.AddInputGradients<TShape>(dx, delta, w, batch);
        AssertClose(Array.ConvertAll(expected, v => 2 * v), dx, "δx added");
        var db = new float[units];
        Dense.BiasGradients<TShape>(db, delta, batch);
        var sums = new double[units];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < units; o++)
                sums[o] += delta[n * units + o];
        AssertClose(sums, db, "∂L/∂b");
    }

    private readonly struct Shape33x17 : ILayerShape { public static int Inputs => 33; public static int Units => 17; }
    private readonly struct Shape1x15 : ILayerShape { public static int Inputs => 1; public static int Units => 15; }
    private readonly struct Shape100x7 : ILayerShape { public static int Inputs => 100; public static int Units => 7; }
    private readonly struct Shape7x1 : ILayerShape { public static int Inputs => 7; public static int Units => 1; }
    private readonly struct Shape300x5 : ILayerShape { public static int Inputs => 300; public static int Units => 5; }

    private static (float[] X, float[] W, float[] B) Layer(int batch, int inputs, int units, ulong seed) =>
        (TestData.Normal(batch * inputs, seed), TestData.Normal(units * inputs, seed + 10, 1 / Math.Sqrt(inputs)), TestData.Normal(units, seed + 20));
}
