using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;
using static NetGen.Tests.Kernels.KernelReference;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The two kernels that took over products with a single row or a single term from the register-blocked product
/// (<see cref="ColumnSums"/>: ∂L/∂b = 1ᵀ·δ and the weight gradients of one-unit and one-input layers, rows weighed;
/// <see cref="OuterInputGradients"/>: δx = δ·W for a layer of one unit), and the
/// forward pass of a one-unit layer for one to three samples, which finishes its sums itself instead of in <see cref="RowFinish"/>: each
/// width on its own, bit for bit against <see cref="Gemm"/> with the same width (whose order of adds they keep), and
/// against a reference in double. Row counts on both sides of the even/odd pairs, column counts on both sides of every
/// vector width and of the four-vector passes.
/// </summary>
public class SingleRowKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 16)]
    [InlineData(7, 17)]
    [InlineData(128, 64)]
    [InlineData(257, 65)]
    [InlineData(64, 100)]
    [InlineData(5, 7)]
    [InlineData(9, 32)]
    [InlineData(4, 48)]
    public void ColumnSums_EveryWidth_AreTheOneRowProductsBits(int rows, int columns)
    {
        float[] m = TestData.Normal(rows * columns, 31);
        float[] weights = TestData.Normal(rows, 38);
        var plain = new double[columns];
        var weighed = new double[columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                plain[c] += m[r * columns + c];
                weighed[c] += (double)weights[r] * m[r * columns + c];
            }
        foreach (string width in WidthPaths.All)
        {
            float[] sums = Sums<ColumnSums.EveryRowOnce>(width, weights, m, rows, columns);
            AssertClose(plain, sums, $"column sums, {width}-bit");
            var product = new float[columns];
            float one = 1f;
            var store = new StoreEpilogue(ref product[0], columns);
            WidthPaths.Product(width, ref one, ref m[0], new RuntimeProduct(1, columns, rows, 0, 0, columns), ref store);
            AssertBits(product, sums, $"column sums, {width}-bit");

            sums = Sums<ColumnSums.RowWeights>(width, weights, m, rows, columns);
            AssertClose(weighed, sums, $"weighed column sums, {width}-bit");
            Array.Clear(product);
            store = new StoreEpilogue(ref product[0], columns);
            WidthPaths.Product(width, ref weights[0], ref m[0], new RuntimeProduct(1, columns, rows, 0, 1, columns), ref store);
            AssertBits(product, sums, $"weighed column sums, {width}-bit");
        }
    }

    private static float[] Sums<TWeights>(string width, float[] weights, float[] m, int rows, int columns) where TWeights : ColumnSums.IRowWeights
    {
        var sums = new float[columns];
        nint column = width switch
        {
            "512" => ColumnSums.Columns<V512, Vector512<float>, TWeights>(ref weights[0], ref m[0], rows, columns, 0, ref sums[0]),
            "256" => ColumnSums.Columns<V256, Vector256<float>, TWeights>(ref weights[0], ref m[0], rows, columns, 0, ref sums[0]),
            "128" => ColumnSums.Columns<V128, Vector128<float>, TWeights>(ref weights[0], ref m[0], rows, columns, 0, ref sums[0]),
            _ => 0,
        };
        if (column < columns)
            ColumnSums.Columns<Scalar, float, TWeights>(ref weights[0], ref m[0], rows, columns, column, ref sums[0]);
        return sums;
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(2, 3, true)]
    [InlineData(3, 16, false)]
    [InlineData(7, 17, true)]
    [InlineData(13, 31, false)]
    [InlineData(8, 64, true)]
    [InlineData(5, 100, false)]
    public void OuterInputGradients_EveryWidth_AreTheProductsBits(int batch, int inputs, bool accumulate)
    {
        float[] delta = TestData.Normal(batch, 32);
        float[] w = TestData.Normal(inputs, 33);
        float[] z = TestData.Normal(batch * inputs, 34, 4);
        float[] before = TestData.Normal(batch * inputs, 35);
        double[] sums = InputGradients(delta, w, batch, inputs, 1);
        if (accumulate)
            for (int k = 0; k < sums.Length; k++)
                sums[k] += before[k];
        foreach (string width in WidthPaths.All)
        {
            float[] plain = Run<IdentityDerivativeOperator>(width, delta, w, z, before, accumulate, batch, inputs, out float[] plainProduct);
            AssertClose(sums, plain, $"δx, {width}-bit");
            AssertBits(plainProduct, plain, $"δx, {width}-bit");
            if (accumulate)
                continue; // a derivative is fused only into a node's one reader, which never adds
            float[] fused = Run<SoftplusDerivativeOperator>(width, delta, w, z, before, accumulate, batch, inputs, out float[] fusedProduct);
            double[] expected = new double[sums.Length];
            for (int k = 0; k < sums.Length; k++)
                expected[k] = sums[k] * Sigmoid(z[k]);
            AssertClose(expected, fused, $"δx ⊙ softplus′, {width}-bit");
            AssertBits(fusedProduct, fused, $"δx ⊙ softplus′, {width}-bit");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 64)]
    [InlineData(2, 17)]
    [InlineData(3, 100)]
    public void OneUnitLayer_FewSamples_FinishesAsRowFinishDoes(int batch, int inputs)
    {
        var sizes = new RuntimeSizes(inputs, 1);
        float[] w = TestData.Normal(inputs, 37, 1 / Math.Sqrt(inputs)), b = [0.25f];
        // Many draws of x, so that the sums meet both of the places where a vector activation would round otherwise.
        for (ulong draw = 0; draw < 64; draw++)
        {
            float[] x = TestData.Normal(batch * inputs, 100 + draw);
            foreach (string width in WidthPaths.All)
            {
                if (width != "scalar" && WidthPaths.Lanes(width) > inputs)
                    continue; // the dispatch gives such fan-ins to a narrower width
                var y = new float[batch];
                var z = new float[batch];
                var sums = new float[batch];
                switch (width)
                {
                    case "512":
                        Dense.Rows<V512, Vector512<float>, RuntimeSizes, SigmoidOperator>(sizes, ref y[0], ref z[0], true, ref x[0], ref w[0], ref b[0], true, batch);
                        for (int n = 0; n < batch; n++) sums[n] = DotProducts.Single<V512, Vector512<float>>(ref x[n * inputs], ref w[0], inputs);
                        break;
                    case "256":
                        Dense.Rows<V256, Vector256<float>, RuntimeSizes, SigmoidOperator>(sizes, ref y[0], ref z[0], true, ref x[0], ref w[0], ref b[0], true, batch);
                        for (int n = 0; n < batch; n++) sums[n] = DotProducts.Single<V256, Vector256<float>>(ref x[n * inputs], ref w[0], inputs);
                        break;
                    case "128":
                        Dense.Rows<V128, Vector128<float>, RuntimeSizes, SigmoidOperator>(sizes, ref y[0], ref z[0], true, ref x[0], ref w[0], ref b[0], true, batch);
                        for (int n = 0; n < batch; n++) sums[n] = DotProducts.Single<V128, Vector128<float>>(ref x[n * inputs], ref w[0], inputs);
                        break;
                    default:
                        Dense.Rows<Scalar, float, RuntimeSizes, SigmoidOperator>(sizes, ref y[0], ref z[0], true, ref x[0], ref w[0], ref b[0], true, batch);
                        for (int n = 0; n < batch; n++) sums[n] = DotProducts.Single<Scalar, float>(ref x[n * inputs], ref w[0], inputs);
                        break;
                }
                var finishedZ = new float[batch];
                var finishedY = new float[batch];
                RowFinish.Run<SigmoidOperator>(ref sums[0], ref b[0], true, true, ref finishedZ[0], true, ref finishedY[0], batch);
                AssertBits(finishedZ, z, $"z of a one-unit layer, {batch} samples, {width}-bit");
                AssertBits(finishedY, y, $"σ(z) of a one-unit layer, {batch} samples, {width}-bit");
            }
        }
    }

    private static float[] Run<TDerivative>(string width, float[] delta, float[] w, float[] z, float[] before, bool accumulate, int batch, int inputs,
        out float[] product) where TDerivative : IBinaryOperator
    {
        float[] dx = (float[])before.Clone();
        nint column = width switch
        {
            "512" => OuterInputGradients.Columns<V512, Vector512<float>, TDerivative>(ref delta[0], ref w[0], ref z[0], ref dx[0], accumulate, batch, inputs, 0),
            "256" => OuterInputGradients.Columns<V256, Vector256<float>, TDerivative>(ref delta[0], ref w[0], ref z[0], ref dx[0], accumulate, batch, inputs, 0),
            "128" => OuterInputGradients.Columns<V128, Vector128<float>, TDerivative>(ref delta[0], ref w[0], ref z[0], ref dx[0], accumulate, batch, inputs, 0),
            _ => 0,
        };
        if (column < inputs)
            OuterInputGradients.Columns<Scalar, float, TDerivative>(ref delta[0], ref w[0], ref z[0], ref dx[0], accumulate, batch, inputs, column);

        product = (float[])before.Clone();
        var epilogue = new InputGradientEpilogue<TDerivative>(ref product[0], ref z[0], accumulate, inputs);
        WidthPaths.Product(width, ref delta[0], ref w[0], new InputGradientProduct<RuntimeSizes>(new RuntimeSizes(inputs, 1), batch), ref epilogue);
        return dx;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        for (int k = 0; k < expected.Length; k++)
            if (BitConverter.SingleToInt32Bits(expected[k]) != BitConverter.SingleToInt32Bits(actual[k]))
                Assert.Fail($"{what}: element {k} is {actual[k]:R}, the product's is {expected[k]:R}");
    }
}
