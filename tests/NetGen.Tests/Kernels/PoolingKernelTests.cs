using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The pooling kernels against a reference written from PyTorch's definition: floored output sizes, the first maximum
/// of a window taking its gradient, overlapping windows adding up, and the gradient added to what is there.
/// </summary>
public class PoolingKernelTests
{
    private readonly struct Image2x7x9Window3Stride2 : IPoolingShape
    {
        public static int Channels => 2;
        public static int InHeight => 7;
        public static int InWidth => 9;
        public static int WindowHeight => 3;
        public static int WindowWidth => 3;
        public static int Stride => 2;
    }

    private readonly struct Signal3x10Window2Stride1 : IPoolingShape
    {
        public static int Channels => 3;
        public static int InHeight => 1;
        public static int InWidth => 10;
        public static int WindowHeight => 1;
        public static int WindowWidth => 2;
        public static int Stride => 1;
    }

    [Fact]
    public void Image_MaxAndAverage_MatchTheReference() => Check<Image2x7x9Window3Stride2>(batch: 2);

    [Fact]
    public void Signal_MaxAndAverage_MatchTheReference() => Check<Signal3x10Window2Stride1>(batch: 3);

    [Fact]
    public void MaxPooling_SendsTheGradientToTheFirstMaximumOfATie()
    {
        float[] x = [1, 5, 5, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var y = new float[27];
        Pooling.MaxForward<Signal3x10Window2Stride1>(y, x, 1);
        Assert.Equal([5f, 5f, 5f], y[..3]);
        var dx = new float[30];
        float[] dy = new float[27];
        dy[1] = 1f; // the window [5, 5] at positions 1 and 2
        Pooling.MaxAddInputGradients<Signal3x10Window2Stride1>(dx, dy, x, 1);
        Assert.Equal(1f, dx[1]);
        Assert.Equal(0f, dx[2]);
    }

    [Fact]
    public void MaxPooling_PassesANaNOn_AsPyTorchDoes()
    {
        float[] x = new float[30];
        x[3] = float.NaN;                        // in the windows [2, 3] and [3, 4] of channel 0
        var y = new float[27];
        Pooling.MaxForward<Signal3x10Window2Stride1>(y, x, 1);
        Assert.True(float.IsNaN(y[2]) && float.IsNaN(y[3]), "a window holding a NaN must give NaN");
        Assert.Equal(0f, y[1]);
        Assert.Equal(0f, y[4]);
    }

    private static void Check<TShape>(int batch) where TShape : IPoolingShape
    {
        int outHeight = (TShape.InHeight - TShape.WindowHeight) / TShape.Stride + 1, outWidth = (TShape.InWidth - TShape.WindowWidth) / TShape.Stride + 1;
        int inPlane = TShape.InHeight * TShape.InWidth, outPlane = outHeight * outWidth, planes = batch * TShape.Channels;
        float[] x = TestData.Normal(planes * inPlane, 1);
        float[] dy = TestData.Normal(planes * outPlane, 2);
        float[] before = TestData.Normal(planes * inPlane, 3);

        var max = new float[planes * outPlane];
        var mean = new float[planes * outPlane];
        Pooling.MaxForward<TShape>(max, x, batch);
        Pooling.AverageForward<TShape>(mean, x, batch);
        float[] dxMax = (float[])before.Clone(), dxMean = (float[])before.Clone();
        Pooling.MaxAddInputGradients<TShape>(dxMax, dy, x, batch);
        Pooling.AverageAddInputGradients<TShape>(dxMean, dy, batch);

        double[] expectedMax = Array.ConvertAll(before, v => (double)v), expectedMean = Array.ConvertAll(before, v => (double)v);
        for (int p = 0; p < planes; p++)
            for (int h = 0; h < outHeight; h++)
                for (int w = 0; w < outWidth; w++)
                {
                    int first = -1;
                    double sum = 0;
                    for (int i = 0; i < TShape.WindowHeight; i++)
                        for (int j = 0; j < TShape.WindowWidth; j++)
                        {
                            int at = p * inPlane + (h * TShape.Stride + i) * TShape.InWidth + w * TShape.Stride + j;
                            sum += x[at];
                            if (first < 0 || x[at] > x[first])
                                first = at;
                        }
                    int o = p * outPlane + h * outWidth + w;
                    int size = TShape.WindowHeight * TShape.WindowWidth;
                    Assert.Equal(x[first], max[o]);
                    Close(sum / size, mean[o]);
                    expectedMax[first] += dy[o];
                    for (int i = 0; i < TShape.WindowHeight; i++)
                        for (int j = 0; j < TShape.WindowWidth; j++)
                            expectedMean[p * inPlane + (h * TShape.Stride + i) * TShape.InWidth + w * TShape.Stride + j] += dy[o] / size;
                }
        for (int i = 0; i < x.Length; i++)
        {
            Close(expectedMax[i], dxMax[i]);
            Close(expectedMean[i], dxMean[i]);
        }
    }

    // Windows two columns wide with stride 2, served by the vectorised pair kernels: LeNet's first pooling (28 columns:
    // three 256-bit vectors, the last overlapping), an odd width with a column left over, a signal, a row of one vector.
    private readonly struct LeNetS2 : IPoolingShape
    {
        public static int Channels => 6; public static int InHeight => 28; public static int InWidth => 28;
        public static int WindowHeight => 2; public static int WindowWidth => 2; public static int Stride => 2;
    }

    private readonly struct Image3x9x11Window2 : IPoolingShape
    {
        public static int Channels => 3; public static int InHeight => 9; public static int InWidth => 11;
        public static int WindowHeight => 2; public static int WindowWidth => 2; public static int Stride => 2;
    }

    private readonly struct Signal2x37Window2 : IPoolingShape
    {
        public static int Channels => 2; public static int InHeight => 1; public static int InWidth => 37;
        public static int WindowHeight => 1; public static int WindowWidth => 2; public static int Stride => 2;
    }

    private readonly struct Image2x4x8Window2 : IPoolingShape
    {
        public static int Channels => 2; public static int InHeight => 4; public static int InWidth => 8;
        public static int WindowHeight => 2; public static int WindowWidth => 2; public static int Stride => 2;
    }

    [Fact] public void PairWindows_LeNetS2_EveryPath_MatchesTheReference() => CheckPairs<LeNetS2>(batch: 2);

    [Fact] public void PairWindows_OddWidth_EveryPath_MatchesTheReference() => CheckPairs<Image3x9x11Window2>(batch: 3);

    [Fact] public void PairWindows_Signal_EveryPath_MatchesTheReference() => CheckPairs<Signal2x37Window2>(batch: 2);

    [Fact] public void PairWindows_OneVectorRows_EveryPath_MatchesTheReference() => CheckPairs<Image2x4x8Window2>(batch: 1);

    /// <summary>
    /// Values on a coarse grid (ties in most windows) with NaNs sprinkled in: the 256-bit, 128-bit and scalar paths give
    /// the reference's maxima bit for bit and send each δ to the window's first maximum, or to its first NaN.
    /// </summary>
    private static void CheckPairs<TShape>(int batch) where TShape : IPoolingShape
    {
        int outHeight = (TShape.InHeight - TShape.WindowHeight) / TShape.Stride + 1, outWidth = (TShape.InWidth - TShape.WindowWidth) / TShape.Stride + 1;
        int inPlane = TShape.InHeight * TShape.InWidth, outPlane = outHeight * outWidth, planes = batch * TShape.Channels;
        float[] x = Array.ConvertAll(TestData.Normal(planes * inPlane, 5), v => MathF.Round(v * 2f) / 2f);
        for (int i = 7; i < x.Length; i += 23)
            x[i] = float.NaN;
        float[] dy = TestData.Normal(planes * outPlane, 6), before = TestData.Normal(planes * inPlane, 7);

        var expectedY = new float[planes * outPlane];
        float[] expectedDx = (float[])before.Clone();
        for (int p = 0; p < planes; p++)
            for (int h = 0; h < outHeight; h++)
                for (int w = 0; w < outWidth; w++)
                {
                    int first = -1;
                    for (int i = 0; i < TShape.WindowHeight; i++)
                        for (int j = 0; j < TShape.WindowWidth; j++)
                        {
                            int at = p * inPlane + (h * TShape.Stride + i) * TShape.InWidth + w * TShape.Stride + j;
                            bool firstIsNaN = first >= 0 && float.IsNaN(x[first]);
                            if (first < 0 || (!firstIsNaN && (float.IsNaN(x[at]) || x[at] > x[first])))
                                first = at;
                        }
                    int o = p * outPlane + h * outWidth + w;
                    expectedY[o] = x[first];
                    expectedDx[first] += dy[o];
                }

        foreach (string path in new[] { "256", "128", "scalar" })
        {
            var y = new float[planes * outPlane];
            float[] dx = (float[])before.Clone();
            switch (path)
            {
                case "256": Pooling.MaxForwardPairs<TShape>(y, x, batch, wide: true); Pooling.MaxAddInputGradientsPairs<TShape>(dx, dy, x, batch, wide: true); break;
                case "128": Pooling.MaxForwardPairs<TShape>(y, x, batch, wide: false); Pooling.MaxAddInputGradientsPairs<TShape>(dx, dy, x, batch, wide: false); break;
                default: Pooling.MaxForwardScalar<TShape>(y, x, batch); Pooling.MaxAddInputGradientsScalar<TShape>(dx, dy, x, batch); break;
            }
            for (int o = 0; o < y.Length; o++)
                Assert.True(expectedY[o].Equals(y[o]), $"{path}: y[{o}] = {y[o]}, expected {expectedY[o]}");
            for (int i = 0; i < dx.Length; i++)
                Assert.True(expectedDx[i] == dx[i], $"{path}: δx[{i}] = {dx[i]}, expected {expectedDx[i]}");
        }
    }

    // Windows 3 × 3 side by side (the one-window-at-a-time path), with a row and two columns no window reads.
    private readonly struct Image2x7x8Window3 : IPoolingShape
    {
        public static int Channels => 2; public static int InHeight => 7; public static int InWidth => 8;
        public static int WindowHeight => 3; public static int WindowWidth => 3; public static int Stride => 3;
    }

    // LeNet's second pooling: rows of 10 (one 256-bit vector and an overlapping one; shorter than a 512-bit one).
    private readonly struct LeNetS4 : IPoolingShape
    {
        public static int Channels => 16; public static int InHeight => 10; public static int InWidth => 10;
        public static int WindowHeight => 2; public static int WindowWidth => 2; public static int Stride => 2;
    }

    [Fact] public void WrittenGradient_LeNetS2_EveryWidth_MatchesTheReference() => CheckWritten<LeNetS2>(batch: 3);

    [Fact] public void WrittenGradient_LeNetS4_EveryWidth_MatchesTheReference() => CheckWritten<LeNetS4>(batch: 1);

    [Fact] public void WrittenGradient_OddWidthAndHeight_EveryWidth_MatchesTheReference() => CheckWritten<Image3x9x11Window2>(batch: 3);

    [Fact] public void WrittenGradient_Signal_EveryWidth_MatchesTheReference() => CheckWritten<Signal2x37Window2>(batch: 8);

    [Fact] public void WrittenGradient_OneVectorRows_EveryWidth_MatchesTheReference() => CheckWritten<Image2x4x8Window2>(batch: 13);

    [Fact] public void WrittenGradient_WindowsOfThree_MatchesTheReference() => CheckWritten<Image2x7x8Window3>(batch: 3);

    [Fact] public void WrittenGradient_OverlappingWindows_MatchesTheReference() => CheckWritten<Image2x7x9Window3Stride2>(batch: 2);

    /// <summary>
    /// <see cref="Pooling.MaxInputGradients{TShape, TDerivative}"/> writes what clearing, adding and then applying f′
    /// would give, bit for bit, at every width the row holds: δ at each window's first maximum (or first NaN) times the
    /// ReLU′ of the source there (a separate source, so that f′ is seen to read it), 0 everywhere else, stale values in
    /// the gradient buffer included; and with the identity, δ alone.
    /// </summary>
    private static void CheckWritten<TShape>(int batch) where TShape : IPoolingShape
    {
        int outHeight = (TShape.InHeight - TShape.WindowHeight) / TShape.Stride + 1, outWidth = (TShape.InWidth - TShape.WindowWidth) / TShape.Stride + 1;
        int length = batch * TShape.Channels * TShape.InHeight * TShape.InWidth, outputs = batch * TShape.Channels * outHeight * outWidth;
        float[] x = Array.ConvertAll(TestData.Normal(length, 8), v => MathF.Round(v * 2f) / 2f);
        for (int i = 5; i < x.Length; i += 29)
            x[i] = float.NaN;
        float[] source = TestData.Normal(length, 9), dy = TestData.Normal(outputs, 10);
        var expected = new float[length];
        Pooling.MaxAddInputGradientsScalar<TShape>(expected, dy, x, batch);
        float[] expectedRelu = (float[])expected.Clone();
        for (int i = 0; i < length; i++)
            expectedRelu[i] = source[i] > 0f ? expected[i] : 0f;
        Assert.Contains(expected, v => v != 0f);
        Assert.Contains(expectedRelu, v => v != 0f);

        foreach (string path in new[] { "512", "256", "128", "scalar", "dispatch" })
        {
            int columns = 2 * outWidth, width = path == "scalar" || path == "dispatch" ? 0 : int.Parse(path);
            if (width > 0 && !(PairPooling.Serves<TShape>(outWidth, width / 32) && Pooling.Tiles<TShape>()))
                continue;
            if (path == "scalar" && !Pooling.Tiles<TShape>())
                continue;
            float[] relu = TestData.Normal(length, 11), plain = TestData.Normal(length, 12); // stale values everywhere
            switch (path)
            {
                case "scalar":
                    Pooling.MaxInputGradientsScalar<TShape, ReluDerivativeOperator>(relu, dy, x, source, batch);
                    Pooling.MaxInputGradientsScalar<TShape, IdentityDerivativeOperator>(plain, dy, x, default, batch);
                    break;
                case "dispatch":
                    Pooling.MaxInputGradients<TShape, ReluDerivativeOperator>(relu, dy, x, source, batch);
                    Pooling.MaxInputGradients<TShape, IdentityDerivativeOperator>(plain, dy, x, default, batch);
                    break;
                default:
                    Pooling.MaxInputGradientsPairs<TShape, ReluDerivativeOperator>(relu, dy, x, source, batch, width);
                    Pooling.MaxInputGradientsPairs<TShape, IdentityDerivativeOperator>(plain, dy, x, default, batch, width);
                    break;
            }
            for (int i = 0; i < length; i++)
            {
                Assert.True(expectedRelu[i].Equals(relu[i]), $"{path}: δx[{i}] = {relu[i]}, expected {expectedRelu[i]} (ReLU′)");
                Assert.True(expected[i].Equals(plain[i]), $"{path}: δx[{i}] = {plain[i]}, expected {expected[i]}");
            }
        }
    }

    private static void Close(double expected, float actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{actual} ≠ {expected}");
}
