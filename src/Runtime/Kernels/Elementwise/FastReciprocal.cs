using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// n/d for the activations' quotients, d in [1, 2] (1 + e^{−|z|}). At 128 and 256 bits: the hardware's reciprocal
/// estimate (12 bits on SSE/AVX, 8 on NEON) refined by a Newton step to r, then one Newton step on the quotient itself,
/// q = n·r + r·(n − d·n·r), with fused multiply-adds, so that the residual n − d·q is computed exactly: within one ulp of
/// n/d (docs/accuracy.md), where a division cost 3–5 times more issue slots on the AVX2 machines it was tuned on
/// (vdivps ymm: one every 3.5 cycles on Zen 3). Without FMA it divides. At 512 bits it divides: the machines with
/// AVX-512 divide fast enough that the estimate and its two steps (four dependent instructions) were the slower way,
/// a sigmoid of 8192 floats taking 1.84 µs with them and 1.46 µs with vdivps zmm on Zen 5, correctly rounded.
/// </summary>
internal static class FastReciprocal
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Quotient(Vector512<float> n, Vector512<float> d) => n / d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Quotient(Vector256<float> n, Vector256<float> d)
    {
        if (!Fma.IsSupported)
            return n / d;
        // 12 bits: one step on r (about 2⁻²³), then the quotient step (about 2⁻⁴⁶ before the final rounding).
        Vector256<float> r = Avx.Reciprocal(d);
        r = Fma.MultiplyAdd(r, Fma.MultiplyAddNegated(d, r, Vector256<float>.One), r);
        Vector256<float> q = n * r;
        return Fma.MultiplyAdd(r, Fma.MultiplyAddNegated(d, q, n), q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Quotient(Vector128<float> n, Vector128<float> d)
    {
        if (Fma.IsSupported)
        {
            Vector128<float> r = Sse.Reciprocal(d);
            r = Fma.MultiplyAdd(r, Fma.MultiplyAddNegated(d, r, Vector128<float>.One), r);
            Vector128<float> q = n * r;
            return Fma.MultiplyAdd(r, Fma.MultiplyAddNegated(d, q, n), q);
        }
        if (AdvSimd.IsSupported)
        {
            // vrecpe gives 8 bits; each vrecps step (2 − d·r) doubles them: two steps reach 2⁻²², the quotient step the rest.
            Vector128<float> r = AdvSimd.ReciprocalEstimate(d);
            r *= AdvSimd.ReciprocalStep(d, r);
            r *= AdvSimd.ReciprocalStep(d, r);
            Vector128<float> q = n * r;
            return AdvSimd.FusedMultiplyAdd(q, r, AdvSimd.FusedMultiplySubtract(n, d, q));
        }
        return n / d;
    }
}
