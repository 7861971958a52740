using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The direct convolution (few input channels, stride 1: no patch matrix) at each width, called on its own (the 512-bit
/// code runs in software where it is not accelerated), against a float64 reference written from nn.Conv2d's definition:
/// the forward pass (with and without bias, z kept, an activation that would show if it ran twice on the overlapping
/// lanes of a row's last vector, ReLU applied in the tile) and the weight gradient, for kernels 1, 2, 3 and 5, padding 0, 1 and 2, 1 to 4 input
/// channels, channel counts around the 6-channel tile, output rows shorter than, equal to and longer than each width,
/// and batches of 1, 3, 8 and 13. The scratch starts full of stale values, as a shared scratch would be.
/// </summary>
public class DirectConvolutionKernelTests
{
    // LeNet's first convolution: rows of 28 (one 512-bit vector and an overlapping one).
    private readonly struct Image1x28x28Kernel5Padding2 : IConvolutionShape
    {
        public static int InChannels => 1; public static int InHeight => 28; public static int InWidth => 28; public static int OutChannels => 6;
        public static int KernelHeight => 5; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 2; public static int PaddingWidth => 2;
    }

    // RGB, rows of 17 (a 512-bit vector and one column), 7 channels: a full tile and a tile of one.
    private readonly struct Image3x6x17Kernel3Padding1 : IConvolutionShape
    {
        public static int InChannels => 3; public static int InHeight => 6; public static int InWidth => 17; public static int OutChannels => 7;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 1; public static int PaddingWidth => 1;
    }

    // No padding (the sample is read where it is), rows of 9 (a 256-bit vector and one), an even kernel.
    private readonly struct Image2x5x10Kernel2 : IConvolutionShape
    {
        public static int InChannels => 2; public static int InHeight => 5; public static int InWidth => 10; public static int OutChannels => 5;
        public static int KernelHeight => 2; public static int KernelWidth => 2; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 0;
    }

    // A 1×1 kernel with padding (not pointwise): rows of 8 + 2·2 = 12 outputs, the border rows all bias.
    private readonly struct Image4x3x8Kernel1Padding2 : IConvolutionShape
    {
        public static int InChannels => 4; public static int InHeight => 3; public static int InWidth => 8; public static int OutChannels => 13;
        public static int KernelHeight => 1; public static int KernelWidth => 1; public static int Stride => 1;
        public static int PaddingHeight => 2; public static int PaddingWidth => 2;
    }

    // A signal of 33 outputs (two 512-bit vectors and one), as Conv1D lowers it; rows of exactly 16 and 4 below.
    private readonly struct Signal1x33Kernel5Padding2 : IConvolutionShape
    {
        public static int InChannels => 1; public static int InHeight => 1; public static int InWidth => 33; public static int OutChannels => 16;
        public static int KernelHeight => 1; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 2;
    }

    private readonly struct Image2x4x18Kernel3 : IConvolutionShape
    {
        public static int InChannels => 2; public static int InHeight => 4; public static int InWidth => 18; public static int OutChannels => 6;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 0;
    }

    private readonly struct Image1x5x4Kernel3Padding1 : IConvolutionShape
    {
        public static int InChannels => 1; public static int InHeight => 5; public static int InWidth => 4; public static int OutChannels => 2;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 1; public static int PaddingWidth => 1;
    }

    [Fact] public void LeNetC1_EveryWidth_MatchesTheReference() => Check<Image1x28x28Kernel5Padding2>();

    [Fact] public void ColourImage_EveryWidth_MatchesTheReference() => Check<Image3x6x17Kernel3Padding1>();

    [Fact] public void EvenKernelNoPadding_EveryWidth_MatchesTheReference() => Check<Image2x5x10Kernel2>();

    [Fact] public void OneByOneKernelWithPadding_EveryWidth_MatchesTheReference() => Check<Image4x3x8Kernel1Padding2>();

    [Fact] public void Signal_EveryWidth_MatchesTheReference() => Check<Signal1x33Kernel5Padding2>();

    [Fact] public void RowsOfExactlyOne512BitVector_EveryWidth_MatchTheReference() => Check<Image2x4x18Kernel3>();

    [Fact] public void RowsOfExactlyOne128BitVector_EveryWidth_MatchTheReference() => Check<Image1x5x4Kernel3Padding1>();

    [Fact]
    public void DirectLowering_IsChosenForFewInputChannelsAndStrideOne()
    {
        Assert.True(ConvolutionSizes<Image1x28x28Kernel5Padding2>.Direct);
        Assert.True(ConvolutionSizes<Image4x3x8Kernel1Padding2>.Direct);
        Assert.False(ConvolutionSizes<PatchLowered6Channels>.Direct);
    }

    // LeNet's second convolution keeps the patch matrix: 6 input channels.
    private readonly struct PatchLowered6Channels : IConvolutionShape
    {
        public static int InChannels => 6; public static int InHeight => 14; public static int InWidth => 14; public static int OutChannels => 16;
        public static int KernelHeight => 5; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 0;
    }

    private static readonly int[] Batches = [1, 3, 8, 13];

    private static void Check<TShape>() where TShape : IConvolutionShape
    {
        int outHeight = TShape.InHeight + 2 * TShape.PaddingHeight - TShape.KernelHeight + 1;
        int outWidth = TShape.InWidth + 2 * TShape.PaddingWidth - TShape.KernelWidth + 1;
        int positions = outHeight * outWidth, patch = TShape.InChannels * TShape.KernelHeight * TShape.KernelWidth;
        int inputSize = TShape.InChannels * TShape.InHeight * TShape.InWidth, outputSize = TShape.OutChannels * positions;
        foreach (int batch in Batches)
        {
            float[] x = TestData.Normal(batch * inputSize, 1), w = TestData.Normal(TShape.OutChannels * patch, 2, 0.3), b = TestData.Normal(TShape.OutChannels, 3);
            float[] delta = TestData.Normal(batch * outputSize, 4);
            double[] z = new double[batch * outputSize], dw = new double[TShape.OutChannels * patch];
            for (int n = 0; n < batch; n++)
                for (int o = 0; o < TShape.OutChannels; o++)
                    for (int oh = 0; oh < outHeight; oh++)
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int at = n * outputSize + o * positions + oh * outWidth + ow;
                            double sum = b[o];
                            for (int c = 0; c < TShape.InChannels; c++)
                                for (int i = 0; i < TShape.KernelHeight; i++)
                                    for (int j = 0; j < TShape.KernelWidth; j++)
                                    {
                                        int ih = oh - TShape.PaddingHeight + i, iw = ow - TShape.PaddingWidth + j;
                                        if (ih < 0 || ih >= TShape.InHeight || iw < 0 || iw >= TShape.InWidth)
                                            continue;
                                        double value = x[n * inputSize + (c * TShape.InHeight + ih) * TShape.InWidth + iw];
                                        int tap = (c * TShape.KernelHeight + i) * TShape.KernelWidth + j;
                                        sum += w[o * patch + tap] * value;
                                        dw[o * patch + tap] += (double)delta[at] * value;
                                    }
                            z[at] = sum;
                        }
            double[] sigmoid = KernelReference.Map(z, KernelReference.Sigmoid), relu = KernelReference.Map(z, v => Math.Max(v, 0));
            double[] unbiased = (double[])z.Clone();
            for (int k = 0; k < unbiased.Length; k++)
                unbiased[k] -= b[k % outputSize / positions];

            foreach (string width in Widths(outWidth))
            {
                string what = $"{typeof(TShape).Name}, batch {batch}, {width} bits";
                float[] y = TestData.Normal(batch * outputSize, 5), kept = TestData.Normal(batch * outputSize, 6), plain = new float[batch * outputSize];
                float[] gradients = TestData.Normal(w.Length, 7);
                Forward<TShape, SigmoidOperator>(width, y, kept, x, w, b, Stale<TShape>(), batch);
                KernelReference.AssertClose(sigmoid, y, $"{what}: y");
                KernelReference.AssertClose(z, kept, $"{what}: z");
                // ReLU runs on each vector as the tile stores it, z kept apart.
                float[] rectified = TestData.Normal(batch * outputSize, 13), keptBeforeRelu = TestData.Normal(batch * outputSize, 14);
                Forward<TShape, ReluOperator>(width, rectified, keptBeforeRelu, x, w, b, Stale<TShape>(), batch);
                KernelReference.AssertClose(relu, rectified, $"{what}: relu(z)");
                KernelReference.AssertClose(z, keptBeforeRelu, $"{what}: z before relu");
                Forward<TShape, IdentityOperator>(width, plain, default, x, w, default, Stale<TShape>(), batch);
                KernelReference.AssertClose(unbiased, plain, $"{what}: no bias");
                WeightGradients<TShape>(width, gradients, delta, x, Stale<TShape>(), batch);
                AssertCloseSums(dw, gradients, positions * batch, $"{what}: ∂L/∂W");
            }
        }
    }

    /// <summary>A weight gradient sums batch × positions products: its tolerance grows with the terms' count.</summary>
    private static void AssertCloseSums(double[] expected, float[] actual, int terms, string what)
    {
        for (int k = 0; k < expected.Length; k++)
        {
            double tolerance = 1e-5 * Math.Sqrt(terms) * (1 + Math.Abs(expected[k]));
            Assert.True(Math.Abs(actual[k] - expected[k]) <= tolerance, $"{what}: element {k} is {actual[k]}, expected {expected[k]} (tolerance {tolerance:G2})");
        }
    }

    private static float[] Stale<TShape>() where TShape : IConvolutionShape => TestData.Normal(Convolution.ScratchLength<TShape>(), 8);

    /// <summary>The widths whose vector fits in an output row, as the dispatch requires; the scalar width always.</summary>
    private static string[] Widths(int outWidth) =>
        outWidth >= 16 ? ["512", "256", "128", "scalar"] : outWidth >= 8 ? ["256", "128", "scalar"] : outWidth >= 4 ? ["128", "scalar"] : ["scalar"];

    private static void Forward<TShape, TActivation>(string width, float[] y, Span<float> z, float[] x, float[] w, ReadOnlySpan<float> b, float[] scratch, int batch)
        where TShape : IConvolutionShape where TActivation : IUnaryOperator
    {
        switch (width)
        {
            case "512": DirectConvolution.Forward<TShape, TActivation, V512, Vector512<float>>(y, z, x, w, b, scratch, batch); break;
            case "256": DirectConvolution.Forward<TShape, TActivation, V256, Vector256<float>>(y, z, x, w, b, scratch, batch); break;
            case "128": DirectConvolution.Forward<TShape, TActivation, V128, Vector128<float>>(y, z, x, w, b, scratch, batch); break;
            default: DirectConvolution.Forward<TShape, TActivation, Scalar, float>(y, z, x, w, b, scratch, batch); break;
        }
    }

    private static void WeightGradients<TShape>(string width, float[] gradients, float[] delta, float[] x, float[] scratch, int batch) where TShape : IConvolutionShape
    {
        switch (width)
        {
            case "512": DirectConvolution.WeightGradients<TShape, V512, Vector512<float>>(gradients, delta, x, scratch, batch); break;
            case "256": DirectConvolution.WeightGradients<TShape, V256, Vector256<float>>(gradients, delta, x, scratch, batch); break;
            case "128": DirectConvolution.WeightGradients<TShape, V128, Vector128<float>>(gradients, delta, x, scratch, batch); break;
            default: DirectConvolution.WeightGradients<TShape, Scalar, float>(gradients, delta, x, scratch, batch); break;
        }
    }
}
