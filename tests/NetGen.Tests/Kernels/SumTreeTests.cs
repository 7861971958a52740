using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// StoreSums8, which ends the 3 × 8 dot-product tiles, at every width: the sums of eight vectors added in exactly the
/// order of two StoreSums4 (the 512-bit transposing tree included), so the same bits, and within rounding of the sums
/// in double; and Reduce16, which ends the one-sample dot products at 512 bits, in its halving order. The lanes span
/// twelve orders of magnitude and both signs, so a different grouping of the adds would change the low bits of most sums.
/// </summary>
public class SumTreeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void StoreSums8_EveryWidth_GivesTheBitsOfTwoStoreSums4(ulong seed)
    {
        float[] values = Values(8 * 16, seed);
        Check<V512, Vector512<float>>(values, "512");
        Check<V256, Vector256<float>>(values, "256");
        Check<V128, Vector128<float>>(values, "128");
        Check<Scalar, float>(values, "scalar");
    }

    [Fact]
    public void StoreSums8_At512Bits_AddsTheHalvesFirst()
    {
        // The check above compares the tree with StoreSums4; this pins the grouping itself, with one accumulator whose
        // lane-by-lane sum differs from the grouped one, in the fourth place of eight (a mix-up of the outputs shows).
        var lanes = new float[16];
        lanes[0] = 1e8f; lanes[8] = -1e8f; lanes[1] = 1f; lanes[4] = 0.5f;
        var accumulators = new Vector512<float>[8];
        accumulators[3] = Vector512.Create(lanes);
        var sums = new float[8];
        V512.StoreSums8(accumulators[0], accumulators[1], accumulators[2], accumulators[3], accumulators[4], accumulators[5], accumulators[6],
            accumulators[7], ref sums[0]);
        // Lanes 0 and 8 meet first (the 256-bit halves added): 0, then + 0.5 (lane 4) + 1 (lane 1) = 1.5 exactly. Added
        // in lane order, 1e8 + 1 + 0.5 rounds back to 1e8 and −1e8 leaves 0.
        Assert.Equal(new float[] { 0, 0, 0, 1.5f, 0, 0, 0, 0 }, sums);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reduce16_GivesEachRowItsHalvingSum_InItsLane(ulong seed)
    {
        // Block16's reduction (the one-sample dot products at 512 bits): sum k, in lane k, adds its accumulator's lanes j
        // and j + 8, then j and j + 4, j + 2, j + 1, the order of the two-source permutes it replaced, bit for bit.
        float[] values = Values(16 * 16, seed);
        var a = new Vector512<float>[16];
        for (int r = 0; r < 16; r++)
            a[r] = Vector512.Create(values, r * 16);
        float[] sums = new float[16];
        DotProducts.Reduce16(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]).CopyTo(sums);
        for (int r = 0; r < 16; r++)
        {
            float[] lanes = values[(r * 16)..(r * 16 + 16)];
            for (int half = 8; half >= 1; half /= 2)
                for (int j = 0; j < half; j++)
                    lanes[j] += lanes[j + half];
            AssertNearExact(sums[r], values.AsSpan(r * 16, 16), $"512-bit Reduce16: sum {r}");
            // Without AVX-512 (where the dispatch never picks Block16) the portable fallback adds in another order.
            if (Avx512F.IsSupported)
                Assert.True(BitConverter.SingleToInt32Bits(lanes[0]) == BitConverter.SingleToInt32Bits(sums[r]),
                    $"sum {r} is {sums[r]:R}, the halving order gives {lanes[0]:R}");
        }
    }

    private static void Check<TOps, TV>(float[] values, string width) where TOps : IVectorOps<TV> where TV : struct
    {
        int count = TOps.Count;
        var a = new TV[8];
        for (int j = 0; j < 8; j++)
            a[j] = TOps.Load(ref values[j * count], 0);
        var tree = new float[8];
        var pairs = new float[8];
        TOps.StoreSums8(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], ref tree[0]);
        TOps.StoreSums4(a[0], a[1], a[2], a[3], ref pairs[0]);
        TOps.StoreSums4(a[4], a[5], a[6], a[7], ref pairs[4]);
        for (int j = 0; j < 8; j++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(pairs[j]) == BitConverter.SingleToInt32Bits(tree[j]),
                $"{width}-bit: sum {j} is {tree[j]:R}, two StoreSums4 give {pairs[j]:R}");
            AssertNearExact(tree[j], values.AsSpan(j * count, count), $"{width}-bit: sum {j}");
        }
    }

    /// <summary>A float sum within rounding (10⁻⁶ of the sum of magnitudes) of its terms' sum in double.</summary>
    private static void AssertNearExact(float sum, ReadOnlySpan<float> terms, string label)
    {
        double exact = 0, magnitude = 0;
        foreach (float term in terms)
        {
            exact += term;
            magnitude += Math.Abs(term);
        }
        Assert.True(Math.Abs(sum - exact) <= 1e-6 * magnitude, $"{label} is {sum:R}, exact {exact:R}");
    }

    /// <summary>Normal values scaled by 10^−6 .. 10^6, so that the order of the adds shows in the low bits.</summary>
    private static float[] Values(int count, ulong seed)
    {
        float[] values = TestData.Normal(count, seed);
        for (int i = 0; i < count; i++)
            values[i] *= MathF.Pow(10, i * 7 % 13 - 6);
        return values;
    }
}
