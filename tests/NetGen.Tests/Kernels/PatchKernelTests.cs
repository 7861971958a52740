using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The patch matrix (im2col) and its adjoint (col2im) with each width's run code called on its own (the 512-bit type
/// runs in software where it is not accelerated), against a reference written from the definition, for output rows
/// shorter than, equal to and longer than each width, with and without padding, a stride, and runs that padding
/// shortens below a vector. Copies and sums in the same order are exact, so the results must be equal, not close.
/// </summary>
public class PatchKernelTests
{
    // LeNet's second convolution: runs of 10 (one 256-bit vector and a bit; shorter than a 512-bit one).
    private readonly struct Image6x14x14Kernel5 : IConvolutionShape
    {
        public static int InChannels => 6; public static int InHeight => 14; public static int InWidth => 14; public static int OutChannels => 16;
        public static int KernelHeight => 5; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 0;
    }

    // LeNet's first convolution: output rows of 28, runs of 26 to 28 between the padding zeros.
    private readonly struct Image1x28x28Kernel5Padding2 : IConvolutionShape
    {
        public static int InChannels => 1; public static int InHeight => 28; public static int InWidth => 28; public static int OutChannels => 6;
        public static int KernelHeight => 5; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 2; public static int PaddingWidth => 2;
    }

    // Padding as wide as the input: at the edge columns the run inside the row is 1 or 2 values, shorter than any vector.
    private readonly struct Image2x3x17Kernel7Padding3 : IConvolutionShape
    {
        public static int InChannels => 2; public static int InHeight => 3; public static int InWidth => 17; public static int OutChannels => 1;
        public static int KernelHeight => 3; public static int KernelWidth => 7; public static int Stride => 1;
        public static int PaddingHeight => 1; public static int PaddingWidth => 3;
    }

    // Rows of zeros above and below but none beside (the whole-run path's padding rows; a 1-D layer's kernel is 1 high).
    private readonly struct Image2x5x9Kernel3PaddingRowsOnly : IConvolutionShape
    {
        public static int InChannels => 2; public static int InHeight => 5; public static int InWidth => 9; public static int OutChannels => 1;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 1; public static int PaddingWidth => 0;
    }

    // A stride (the value-by-value path) with padding.
    private readonly struct Image3x9x8Kernel3Stride2Padding1 : IConvolutionShape
    {
        public static int InChannels => 3; public static int InHeight => 9; public static int InWidth => 8; public static int OutChannels => 2;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 2;
        public static int PaddingHeight => 1; public static int PaddingWidth => 1;
    }

    // A signal of 37 (two 512-bit vectors and a bit), padded.
    private readonly struct Signal2x37Kernel5Padding2 : IConvolutionShape
    {
        public static int InChannels => 2; public static int InHeight => 1; public static int InWidth => 37; public static int OutChannels => 4;
        public static int KernelHeight => 1; public static int KernelWidth => 5; public static int Stride => 1;
        public static int PaddingHeight => 0; public static int PaddingWidth => 2;
    }

    /// <summary>The 8 × 8 digits CNN's second convolution: runs of 4 values, one vector at 128 bits, a third of them cut by the padding.</summary>
    private readonly struct Image8x4x4Kernel3Padding1 : IConvolutionShape
    {
        public static int InChannels => 8; public static int InHeight => 4; public static int InWidth => 4; public static int OutChannels => 16;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 1; public static int PaddingWidth => 1;
    }

    /// <summary>A padded sample too large for the stack copy (6 × 30 × 30 padded to 32 × 32: 6,144 floats): the runs cut by the padding.</summary>
    private readonly struct Image6x30x30Kernel3Padding1 : IConvolutionShape
    {
        public static int InChannels => 6; public static int InHeight => 30; public static int InWidth => 30; public static int OutChannels => 2;
        public static int KernelHeight => 3; public static int KernelWidth => 3; public static int Stride => 1;
        public static int PaddingHeight => 1; public static int PaddingWidth => 1;
    }

    [Fact] public void TinyPaddedImage_EveryWidth_MatchesTheReference() => Check<Image8x4x4Kernel3Padding1>();

    [Fact] public void PaddedImageTooLargeForTheStack_EveryWidth_MatchesTheReference() => Check<Image6x30x30Kernel3Padding1>();

    [Fact] public void LeNetC3_EveryWidth_MatchesTheReference() => Check<Image6x14x14Kernel5>();

    [Fact] public void LeNetC1_EveryWidth_MatchesTheReference() => Check<Image1x28x28Kernel5Padding2>();

    [Fact] public void RunsShorterThanAVector_EveryWidth_MatchTheReference() => Check<Image2x3x17Kernel7Padding3>();

    [Fact] public void PaddingRowsOnly_EveryWidth_MatchesTheReference() => Check<Image2x5x9Kernel3PaddingRowsOnly>();

    [Fact] public void Strided_EveryWidth_MatchesTheReference() => Check<Image3x9x8Kernel3Stride2Padding1>();

    [Fact] public void Signal_EveryWidth_MatchesTheReference() => Check<Signal2x37Kernel5Padding2>();

    [Fact]
    public void Runs_EveryWidthAndLength_CopyAndAddExactly()
    {
        for (int length = 0; length <= 40; length++)
        {
            float[] source = TestData.Normal(length + 1, (ulong)length + 1), destination = TestData.Normal(length + 1, (ulong)length + 100);
            foreach (string width in Widths)
            {
                float[] copied = (float[])destination.Clone(), added = (float[])destination.Clone();
                Run(width, source, copied, added, length);
                for (int i = 0; i < length; i++)
                {
                    Assert.Equal(source[i], copied[i]);
                    Assert.Equal(destination[i] + source[i], added[i]);
                }
                // The value after the run is untouched.
                Assert.Equal(destination[length], copied[length]);
                Assert.Equal(destination[length], added[length]);
            }
        }
    }

    private static readonly string[] Widths = ["512", "256", "128", "scalar"];

    private static void Run(string width, float[] source, float[] copied, float[] added, int length)
    {
        switch (width)
        {
            case "512": Runs.Copy<V512, System.Runtime.Intrinsics.Vector512<float>>(ref source[0], ref copied[0], length); Runs.Add<V512, System.Runtime.Intrinsics.Vector512<float>>(ref source[0], ref added[0], length); break;
            case "256": Runs.Copy<V256, System.Runtime.Intrinsics.Vector256<float>>(ref source[0], ref copied[0], length); Runs.Add<V256, System.Runtime.Intrinsics.Vector256<float>>(ref source[0], ref added[0], length); break;
            case "128": Runs.Copy<V128, System.Runtime.Intrinsics.Vector128<float>>(ref source[0], ref copied[0], length); Runs.Add<V128, System.Runtime.Intrinsics.Vector128<float>>(ref source[0], ref added[0], length); break;
            default: Runs.Copy<Scalar, float>(ref source[0], ref copied[0], length); Runs.Add<Scalar, float>(ref source[0], ref added[0], length); break;
        }
    }

    private static void Check<TShape>() where TShape : IConvolutionShape
    {
        int outHeight = (TShape.InHeight + 2 * TShape.PaddingHeight - TShape.KernelHeight) / TShape.Stride + 1;
        int outWidth = (TShape.InWidth + 2 * TShape.PaddingWidth - TShape.KernelWidth) / TShape.Stride + 1;
        int positions = outHeight * outWidth, patch = TShape.InChannels * TShape.KernelHeight * TShape.KernelWidth;
        int inputSize = TShape.InChannels * TShape.InHeight * TShape.InWidth;
        float[] x = TestData.Normal(inputSize, 1), dcols = TestData.Normal(patch * positions, 2), before = TestData.Normal(inputSize, 3);

        // The definition: row (c, i, j), column (oh, ow) reads x[c, oh·s − ph + i, ow·s − pw + j], zero outside.
        var expectedCols = new float[patch * positions];
        float[] expectedDx = (float[])before.Clone();
        int row = 0;
        for (int c = 0; c < TShape.InChannels; c++)
            for (int i = 0; i < TShape.KernelHeight; i++)
                for (int j = 0; j < TShape.KernelWidth; j++, row++)
                    for (int oh = 0; oh < outHeight; oh++)
                        for (int ow = 0; ow < outWidth; ow++)
                        {
                            int ih = oh * TShape.Stride - TShape.PaddingHeight + i, iw = ow * TShape.Stride - TShape.PaddingWidth + j;
                            if (ih < 0 || ih >= TShape.InHeight || iw < 0 || iw >= TShape.InWidth)
                                continue;
                            int at = (c * TShape.InHeight + ih) * TShape.InWidth + iw, column = oh * outWidth + ow;
                            expectedCols[row * positions + column] = x[at];
                            expectedDx[at] += dcols[row * positions + column];
                        }

        foreach (string width in Widths)
        {
            float[] cols = TestData.Normal(patch * positions, 4); // stale values where the padding must write zeros
            float[] dx = (float[])before.Clone();
            switch (width)
            {
                case "512":
                    Patches.ToColumns<TShape, V512, System.Runtime.Intrinsics.Vector512<float>>(ref x[0], ref cols[0], positions);
                    Patches.AddColumns<TShape, V512, System.Runtime.Intrinsics.Vector512<float>>(ref dx[0], ref dcols[0]);
                    break;
                case "256":
                    Patches.ToColumns<TShape, V256, System.Runtime.Intrinsics.Vector256<float>>(ref x[0], ref cols[0], positions);
                    Patches.AddColumns<TShape, V256, System.Runtime.Intrinsics.Vector256<float>>(ref dx[0], ref dcols[0]);
                    break;
                case "128":
                    Patches.ToColumns<TShape, V128, System.Runtime.Intrinsics.Vector128<float>>(ref x[0], ref cols[0], positions);
                    Patches.AddColumns<TShape, V128, System.Runtime.Intrinsics.Vector128<float>>(ref dx[0], ref dcols[0]);
                    break;
                default:
                    Patches.ToColumns<TShape, Scalar, float>(ref x[0], ref cols[0], positions);
                    Patches.AddColumns<TShape, Scalar, float>(ref dx[0], ref dcols[0]);
                    break;
            }
            Assert.True(expectedCols.AsSpan().SequenceEqual(cols), $"{width}-bit patches differ from the definition");

            // The same patches as the second of two samples side by side (a weight-gradient group): rows 2·positions
            // apart, this sample's columns from positions on, the first sample's columns untouched.
            float[] group = TestData.Normal(2 * patch * positions, 8), untouched = (float[])group.Clone();
            Patches.ToColumns<TShape>(ref x[0], ref group[positions], 2 * positions);
            for (int r = 0; r < patch; r++)
            {
                Assert.True(expectedCols.AsSpan(r * positions, positions).SequenceEqual(group.AsSpan((2 * r + 1) * positions, positions)), $"grouped row {r}");
                Assert.True(untouched.AsSpan(2 * r * positions, positions).SequenceEqual(group.AsSpan(2 * r * positions, positions)), $"grouped row {r}: the other sample's columns changed");
            }
            for (int i = 0; i < dx.Length; i++)
                Assert.True(Math.Abs(expectedDx[i] - dx[i]) <= 1e-5f, $"{width}-bit: δx[{i}] = {dx[i]}, expected {expectedDx[i]}");
        }
    }
}
