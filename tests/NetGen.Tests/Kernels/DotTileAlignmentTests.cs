using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;
using static NetGen.Tests.Kernels.KernelReference;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The dot-product tiles read x as line-aligned vectors stitched together where the width can (AVX-512), choosing by
/// the address where x lies. Here x and W are placed at every offset from a 64-byte boundary, for fan-ins that are
/// whole vectors (the stitched path) and that are not, at every width: the sums must match the reference in double,
/// and be the same bits at every offset (the lanes each element meets never depend on the address).
/// </summary>
public class DotTileAlignmentTests
{
    [Theory]
    [InlineData(3, 16, 8)]
    [InlineData(4, 32, 9)]
    [InlineData(7, 48, 17)]
    [InlineData(6, 64, 16)]
    [InlineData(5, 256, 24)]
    [InlineData(3, 33, 8)]
    [InlineData(8, 100, 12)]
    public void RowTiles_AtEveryOffsetFromACacheLine_MatchTheReference_WithTheSameBits(int batch, int inputs, int units)
    {
        float[] x = TestData.Normal(batch * inputs, 41), w = TestData.Normal(units * inputs, 42, 1 / Math.Sqrt(inputs));
        double[] z = Affine(x, w, null, batch, inputs, units);
        foreach (string width in new[] { "512", "256", "128", "scalar" })
        {
            float[]? first = null;
            for (int offset = 0; offset < 16; offset++)
            {
                float[] sums = RowTiles(width, x, w, batch, inputs, units, xOffset: offset, wOffset: (offset * 5 + 3) % 16);
                AssertClose(z, sums, $"{width}-bit tiles, x {offset} floats past a line");
                first ??= sums;
                for (int k = 0; k < sums.Length; k++)
                    Assert.True(BitConverter.SingleToInt32Bits(first[k]) == BitConverter.SingleToInt32Bits(sums[k]),
                        $"{width}-bit, x {offset} floats past a line: sum {k} is {sums[k]:R}, at offset 0 {first[k]:R}");
            }
        }
    }

    [Fact]
    public void Stitch_EveryWidth_TakesTheLanesFromTheOffsetOn()
    {
        StitchOneWidth<V512, Vector512<float>>("512");
        StitchOneWidth<V256, Vector256<float>>("256");
        StitchOneWidth<V128, Vector128<float>>("128");
        StitchOneWidth<Scalar, float>("scalar");
    }

    private static void StitchOneWidth<TOps, TV>(string width) where TOps : IVectorOps<TV> where TV : struct
    {
        int count = TOps.Count;
        var both = new float[2 * count];
        for (int i = 0; i < both.Length; i++)
            both[i] = 100 + i;
        TV previous = TOps.Load(ref both[0], 0), current = TOps.Load(ref both[0], count);
        var lanes = new float[count];
        for (int offset = 0; offset <= count; offset++)
        {
            TOps.Store(TOps.Stitch(previous, current, TOps.StitchIndex(offset)), ref lanes[0], 0);
            Assert.True(both.AsSpan(offset, count).SequenceEqual(lanes), $"{width}-bit, offset {offset}: [{string.Join(", ", lanes)}]");
        }
    }

    /// <summary>x·Wᵀ by one width's tiles with x and W copied to the given offsets (in floats) past a 64-byte boundary of pinned arrays.</summary>
    private static float[] RowTiles(string width, float[] x, float[] w, int batch, int inputs, int units, int xOffset, int wOffset)
    {
        var (xs, xStart) = Placed(x, xOffset);
        var (ws, wStart) = Placed(w, wOffset);
        var sums = new float[batch * units];
        var sizes = new RuntimeSizes(inputs, units);
        ref float y = ref sums[0];
        ref float xr = ref xs[xStart];
        ref float wr = ref ws[wStart];
        switch (width)
        {
            case "512": Dense.RowTiles<V512, Vector512<float>, RuntimeSizes, IdentityOperator>(sizes, ref y, ref y, false, ref xr, ref wr, ref y, false, batch); break;
            case "256": Dense.RowTiles<V256, Vector256<float>, RuntimeSizes, IdentityOperator>(sizes, ref y, ref y, false, ref xr, ref wr, ref y, false, batch); break;
            case "128": Dense.RowTiles<V128, Vector128<float>, RuntimeSizes, IdentityOperator>(sizes, ref y, ref y, false, ref xr, ref wr, ref y, false, batch); break;
            default: Dense.RowTiles<Scalar, float, RuntimeSizes, IdentityOperator>(sizes, ref y, ref y, false, ref xr, ref wr, ref y, false, batch); break;
        }
        return sums;
    }

    private static (float[] Array, int Start) Placed(float[] values, int offset)
    {
        float[] array = GC.AllocateArray<float>(values.Length + 32, pinned: true);
        long address = Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref array[0]);
        int start = (int)((64 - address % 64) % 64 / sizeof(float)) + offset;
        values.CopyTo(array, start);
        return (array, start);
    }
}
