using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

internal static class Transposition
{
    /// <summary>An 8 × 8 block: eight row loads, three rounds of shuffles, eight row stores (AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8x8(ref float source, nint sourceRow, ref float destination, nint destinationRow)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source), r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceRow);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceRow)), r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceRow));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceRow)), r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceRow));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceRow)), r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceRow));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref destination, (nuint)destinationRow);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref destination, (nuint)(2 * destinationRow));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref destination, (nuint)(3 * destinationRow));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref destination, (nuint)(4 * destinationRow));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref destination, (nuint)(5 * destinationRow));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref destination, (nuint)(6 * destinationRow));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref destination, (nuint)(7 * destinationRow));
    }
}
