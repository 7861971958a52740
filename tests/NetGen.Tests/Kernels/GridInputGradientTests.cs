using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The input gradient of stride-1 convolutions on the input's grid (<see cref="GridInputGradients"/>), with each width
/// of its gather called on its own, against a float64 reference written from the definition: δx[c, ih, iw] += Σ over
/// the windows that read it of W[o, c, i, j]·δ[o, oh, ow], added to what the buffer held, the padding receiving
/// nothing. Kernels 1, 2, 3 and 5, padding 0, 1 and 2, planes shorter than, equal to and longer than each width,
/// batches 1, 3, 8 and 13, and a scratch full of stale values.
/// </summary>
public class GridInputGradientTests
{
    // LeNet's second convolution: 14 × 14 planes, grid rows of 10 positions in 14 columns.
    private readonly struct Image6x14x14Kernel5 : IConvolutionShape
    {
        public static int InChannels => 6; public static int InHeight => 14; public static int InWidth => 14; public static int OutChannels => 16;
        public static int KernelHeight => 5; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 0;
    }

    // LeNet's first convolution, asked for its input gradient: padding 2 on a 28 × 28 image.
    private readonly struct Image1x28x28Kernel5Padding2 : IConvolutionShape
    {
        public static int InChannels => 1; public static int InHeight => 28; public static int InWidth => 28; public static int OutChannels => 6;
        public static int KernelHeight => 5; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 2; public static int PaddingWidth => 2;
    }

    // An even kernel with padding 1 (output wider than the input), odd sizes.
    private readonly struct Image3x5x7Kernel2Padding1 : IConvolutionShape
    {
        public static int InChannels => 3; public static int InHeight => 5; public static int InWidth => 7; public static int OutChannels => 4;
        public static int KernelHeight => 2; public static int KernelWidth => 2; public static int Stride => 1;
        public static int PaddingHeight => 1; public static int PaddingWidth => 1;
    }

    // A 1 × 1 kernel with padding (not pointwise): the border positions read only zeros.
    private readonly struct Image2x3x3Kernel1Padding2 : IConvolutionShape
    {
        public static int InChannels => 2; public static int InHeight => 3; public static int InWidth => 3; public static int OutChannels => 3;
        public static int KernelHeight => 1; public static int KernelWidth => 1; public static int Stride => 1;
        public static int PaddingHeight => 2; public static int PaddingWidth => 2;
    }

    // A signal (height 1) with padding 1 and a kernel of 3: planes of 19, a 512-bit vector and three values.
    private readonly struct Signal5x17Kernel3Padding1 : IConvolutionShape
    {
        public static int InChannels => 5; public static int InHeight => 1; public static int InWidth => 17; public static int OutChannels => 7;
        public static int KernelHeight => 1; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 1;
    }

    // A plane of 3 × 3 = 9: one 256-bit vector and one value; shorter than 512 bits.
    private readonly struct Image2x3x3Kernel3 : IConvolutionShape
    {
        public static int InChannels => 2; public static int InHeight => 3; public static int InWidth => 3; public static int OutChannels => 2;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 0;
    }

    [Fact] public void LeNetC3_EveryWidth_MatchesTheReference() => Check<Image6x14x14Kernel5>();

    [Fact] public void LeNetC1_EveryWidth_MatchesTheReference() => Check<Image1x28x28Kernel5Padding2>();

    [Fact] public void EvenKernelWithPadding_EveryWidth_MatchesTheReference() => Check<Image3x5x7Kernel2Padding1>();

    [Fact] public void OneByOneKernelWithPadding_EveryWidth_MatchesTheReference() => Check<Image2x3x3Kernel1Padding2>();

    [Fact] public void Signal_EveryWidth_MatchesTheReference() => Check<Signal5x17Kernel3Padding1>();

    [Fact] public void PlaneShorterThanAWideVector_EveryWidth_MatchesTheReference() => Check<Image2x3x3Kernel3>();

    private static readonly int[] Batches = [1, 3, 8, 13];

    private static void Check<TShape>() where TShape : IConvolutionShape
    {
        int outHeight = TShape.InHeight + 2 * TShape.PaddingHeight - TShape.KernelHeight + 1;
        int outWidth = TShape.InWidth + 2 * TShape.PaddingWidth - TShape.KernelWidth + 1;
        int positions = outHeight * outWidth, patch = TShape.InChannels * TShape.KernelHeight * TShape.KernelWidth;
        int inputSize = TShape.InChannels * TShape.InHeight * TShape.InWidth, outputSize = TShape.OutChannels * positions;
        int plane = (TShape.InHeight + 2 * TShape.PaddingHeight) * (TShape.InWidth + 2 * TShape.PaddingWidth);
        foreach (int batch in Batches)
        {
            float[] w = TestData.Normal(TShape.OutChannels * patch, 1, 0.3), delta = TestData.Normal(batch * outputSize, 2), before = TestData.Normal(batch * inputSize, 3);
            double[] expected = Array.ConvertAll(before, v => (double)v);
            for (int n = 0; n < batch; n++)
                for (int o = 0; o < TShape.OutChannels; o++)
                    for (int oh = 0; oh < outHeight; oh++)
                        for (int ow = 0; ow < outWidth; ow++)
                            for (int c = 0; c < TShape.InChannels; c++)
                                for (int i = 0; i < TShape.KernelHeight; i++)
                                    for (int j = 0; j < TShape.KernelWidth; j++)
                                    {
                                        int ih = oh - TShape.PaddingHeight + i, iw = ow - TShape.PaddingWidth + j;
                                        if (ih < 0 || ih >= TShape.InHeight || iw < 0 || iw >= TShape.InWidth)
                                            continue;
                                        expected[n * inputSize + (c * TShape.InHeight + ih) * TShape.InWidth + iw] +=
                                            (double)w[(o * patch) + (c * TShape.KernelHeight + i) * TShape.KernelWidth + j] * delta[n * outputSize + o * positions + oh * outWidth + ow];
                                    }

            foreach (string width in new[] { "512", "256", "128", "scalar", "dispatch" })
            {
                if ((width == "512" && plane < 16) || (width == "256" && plane < 8) || (width == "128" && plane < 4))
                    continue;
                float[] dx = (float[])before.Clone(), scratch = TestData.Normal(Convolution.ScratchLength<TShape>(), 4);
                switch (width)
                {
                    case "512": GridInputGradients.Add<TShape, V512, Vector512<float>>(dx, delta, w, scratch, batch); break;
                    case "256": GridInputGradients.Add<TShape, V256, Vector256<float>>(dx, delta, w, scratch, batch); break;
                    case "128": GridInputGradients.Add<TShape, V128, Vector128<float>>(dx, delta, w, scratch, batch); break;
                    case "scalar": GridInputGradients.Add<TShape, Scalar, float>(dx, delta, w, scratch, batch); break;
                    default: Convolution.AddInputGradients<TShape>(dx, delta, w, scratch, batch); break;
                }
                KernelReference.AssertClose(expected, dx, $"{typeof(TShape).Name}, batch {batch}, {width}");
            }
        }
    }
}
