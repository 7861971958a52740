using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// e^x in single precision for every vector width (Cephes' expf: x = n·ln 2 + r, a degree-7 polynomial for e^r,
/// 1 + r + r²·P(r), 2^n put into the exponent bits; at most 2 ulps from the exact value, docs/accuracy.md). P is evaluated
/// by Estrin's scheme (pairs of terms in r, combined in r²) rather than Horner's: three dependent multiply-adds after r²
/// instead of five, which shortens the chain the sigmoid of a single sample waits on and lets wide loops overlap more. The BCL's Vector512.Exp widens to
/// double for accuracy we do not need, and was 2.3× slower inside the sigmoid. Inputs are clamped to [−104, 88]: e^x stays
/// finite at the top (at most 1.65·10³⁸, so 1 + e^x and its reciprocal are finite too), and at the bottom results below
/// 2⁻¹²⁶ come out as correctly rounded subnormals (gradual underflow, one rounding) and e^x below 2⁻¹⁵⁰ as 0: by
/// vscalefps with AVX-512, else by <see cref="ScaleByPow2(Vector256{float}, Vector256{int})"/>, which on x86 makes them
/// without a multiplication that underflows (an assist a vector).
/// </summary>
internal static class FastExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float Lowest = -104f, Highest = 88f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        if (Avx512F.IsSupported)
        {
            // vscalefps multiplies by 2ⁿ in one instruction and underflows gradually; the bottom clamp only keeps the
            // reduction x − n·ln 2 exact for huge |x| (−10³⁰ would otherwise give a polynomial of ∞ and ∞·2⁻ⁿ = ∞).
            Vector512<float> q = Reduce(x, out Vector512<float> m);
            return Avx512F.Scale(q, m);
        }
        Vector512<float> p = ReduceSoftware(x, out Vector512<int> n);
        return ScaleByPow2(p, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> p = Reduce(x, out Vector256<int> n);
        return ScaleByPow2(p, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> p = Reduce(x, out Vector128<int> n);
        return ScaleByPow2(p, n);
    }

    // ---- e^x/(1 + e^x) for x ≤ 0: the sigmoid of −|z| and tanh's e^{−2|z|}/(1 + e^{−2|z|}) ----

    /// <summary>
    /// e^x/(1 + e^x) for x ≤ 0, within one ulp of the quotient of <see cref="Exp(Vector512{float})"/>'s e^x by 1 + e^x and,
    /// wherever that quotient is a normal float, the same bits. The quotient is taken of the polynomial p (e^x = p·2ⁿ, p
    /// in [0.7, 1.5]) and scaled by 2ⁿ after it: so far below zero that e^x is subnormal, 1 + e^x is exactly 1, and the
    /// quotient of e^x by it is e^x itself, so nothing but the last scaling meets a subnormal. Dividing the subnormal e^x
    /// instead cost a microcode assist per vector on Zen 5: a saturated layer of the seed MLP (a sixth of its sigmoids
    /// below −87) took 12.1 µs for its forward step against 6.7 µs with moderate z.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Logistic(Vector512<float> x)
    {
        // x ≤ 0: only the bottom of the clamp can bite.
        x = Vector512.Max(x, Vector512.Create(Lowest));
        if (Avx512F.IsSupported)
        {
            // vscalefps with a subnormal result costs nothing extra, so 1 + e^x may read the true e^x.
            Vector512<float> q = ReduceClamped(x, out Vector512<float> m);
            return Avx512F.Scale(FastReciprocal.Quotient(q, Vector512<float>.One + Avx512F.Scale(q, m)), m);
        }
        Vector512<float> p = ReduceSoftwareClamped(x, out Vector512<int> n);
        if (!Vector512.LessThanAny(n, Vector512.Create(DenominatorFloor)))
        {
            Vector512<float> power = Pow2(n);
            return FastReciprocal.Quotient(p, Vector512<float>.One + p * power) * power;
        }
        Vector512<float> denominator = Vector512<float>.One + p * Pow2(Vector512.Max(n, Vector512.Create(DenominatorFloor)));
        return ScaleByPow2(FastReciprocal.Quotient(p, denominator), n);
    }

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Logistic(Vector256<float> x)
    {
        Vector256<float> p = ReduceClamped(Vector256.Max(x, Vector256.Create(Lowest)), out Vector256<int> n);
        if (!Vector256.LessThanAny(n, Vector256.Create(DenominatorFloor)))
        {
            // Every 2ⁿ is a normal float: built once, for the denominator and the scaling (ScaleByPow2's first case).
            Vector256<float> power = Pow2(n);
            return FastReciprocal.Quotient(p, Vector256<float>.One + p * power) * power;
        }
        Vector256<float> denominator = Vector256<float>.One + p * Pow2(Vector256.Max(n, Vector256.Create(DenominatorFloor)));
        return ScaleByPow2(FastReciprocal.Quotient(p, denominator), n);
    }

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Logistic(Vector128<float> x)
    {
        Vector128<float> p = ReduceClamped(Vector128.Max(x, Vector128.Create(Lowest)), out Vector128<int> n);
        if (!Vector128.LessThanAny(n, Vector128.Create(DenominatorFloor)))
        {
            // Every 2ⁿ is a normal float: built once, for the denominator and the scaling (ScaleByPow2's first case).
            Vector128<float> power = Pow2(n);
            return FastReciprocal.Quotient(p, Vector128<float>.One + p * power) * power;
        }
        Vector128<float> denominator = Vector128<float>.One + p * Pow2(Vector128.Max(n, Vector128.Create(DenominatorFloor)));
        return ScaleByPow2(FastReciprocal.Quotient(p, denominator), n);
    }

    /// <summary>
    /// The exponent below which 1 + p·2ⁿ is exactly 1 (anything under 2⁻²⁴ is), and above which 2ⁿ is a normal float:
    /// where the multiplications build 2ⁿ (no vscalefps), the denominator reads 2^max(n, −64), a normal product,
    /// instead of a subnormal e^x whose multiplication costs an assist.
    /// </summary>
    private const int DenominatorFloor = -64;

    // ---- x = n·ln 2 + r and e^r = p ----

    /// <summary>The AVX-512 reduction: q = e^r with n kept as a float for vscalefps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce(Vector512<float> x, out Vector512<float> m) =>
        ReduceClamped(Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(Highest)), out m);

    /// <summary>The AVX-512 reduction of an x already in [−104, 88].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ReduceClamped(Vector512<float> x, out Vector512<float> m)
    {
        m = Avx512F.RoundScale(x * Vector512.Create(Log2E), 0);
        Vector512<float> t = Vector512.FusedMultiplyAdd(m, Vector512.Create(-Ln2High), x);
        t = Vector512.FusedMultiplyAdd(m, Vector512.Create(-Ln2Low), t);
        Vector512<float> t2 = t * t;
        Vector512<float> q = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.Create(P0), t, Vector512.Create(P1)), t2,
            Vector512.FusedMultiplyAdd(Vector512.Create(P2), t, Vector512.Create(P3)));
        q = Vector512.FusedMultiplyAdd(q, t2, Vector512.FusedMultiplyAdd(Vector512.Create(P4), t, Vector512.Create(P5)));
        return Vector512.FusedMultiplyAdd(q, t2, t + Vector512<float>.One);
    }

    /// <summary>The 512-bit reduction where Vector512 is not AVX-512 (software vectors): n as whole numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ReduceSoftware(Vector512<float> x, out Vector512<int> ni) =>
        ReduceSoftwareClamped(Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(Highest)), out ni);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ReduceSoftwareClamped(Vector512<float> x, out Vector512<int> ni)
    {
        Vector512<float> n = Vector512.Round(x * Vector512.Create(Log2E));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        Vector512<float> r2 = r * r;
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1)), r2,
            Vector512.FusedMultiplyAdd(Vector512.Create(P2), r, Vector512.Create(P3)));
        p = Vector512.FusedMultiplyAdd(p, r2, Vector512.FusedMultiplyAdd(Vector512.Create(P4), r, Vector512.Create(P5)));
        ni = Vector512.ConvertToInt32Native(n);
        return Vector512.FusedMultiplyAdd(p, r2, r + Vector512<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce(Vector256<float> x, out Vector256<int> ni) =>
        ReduceClamped(Vector256.Min(Vector256.Max(x, Vector256.Create(Lowest)), Vector256.Create(Highest)), out ni);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ReduceClamped(Vector256<float> x, out Vector256<int> ni)
    {
        Vector256<float> n = Vector256.Round(x * Vector256.Create(Log2E));
        // n is a whole number in [−150, 127]: the native conversion below is exact and skips the saturation fix-ups.
        Vector256<float> r = Fma256(n, Vector256.Create(-Ln2High), x);
        r = Fma256(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> r2 = r * r;
        Vector256<float> p = Fma256(Fma256(Vector256.Create(P0), r, Vector256.Create(P1)), r2, Fma256(Vector256.Create(P2), r, Vector256.Create(P3)));
        p = Fma256(p, r2, Fma256(Vector256.Create(P4), r, Vector256.Create(P5)));
        ni = Vector256.ConvertToInt32Native(n);
        return Fma256(p, r2, r + Vector256<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Reduce(Vector128<float> x, out Vector128<int> ni) =>
        ReduceClamped(Vector128.Min(Vector128.Max(x, Vector128.Create(Lowest)), Vector128.Create(Highest)), out ni);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ReduceClamped(Vector128<float> x, out Vector128<int> ni)
    {
        Vector128<float> n = Vector128.Round(x * Vector128.Create(Log2E));
        Vector128<float> r = x - n * Vector128.Create(Ln2High);
        r -= n * Vector128.Create(Ln2Low);
        Vector128<float> r2 = r * r;
        Vector128<float> p = (Vector128.Create(P0) * r + Vector128.Create(P1)) * r2 + (Vector128.Create(P2) * r + Vector128.Create(P3));
        p = p * r2 + (Vector128.Create(P4) * r + Vector128.Create(P5));
        ni = Vector128.ConvertToInt32Native(n);
        return p * r2 + (r + Vector128<float>.One);
    }

    // ---- r·2ⁿ, correctly rounded, without a multiplication whose result is subnormal ----
    //
    // r in [0.35, 1.5] (the polynomial, or its quotient by 1 + e^x), n in [−150, 127]. For n ≥ −124 the product is a
    // normal float and exact: one multiplication by 2ⁿ. Below, it may be a subnormal, rounded to a multiple of 2⁻¹⁴⁹, and
    // on x86 a multiplication that rounds so costs a microcode assist a vector (a saturated sigmoid layer's forward
    // step at 256 bits on Zen 5: 15.2 µs for 8192 values against 5.8 µs). There the subnormal results are made as
    // integers: w = r·2^(n+149) is exact and normal, and below 2²³ its nearest whole number (ties to even, as the
    // multiplication rounds) is the subnormal's bit pattern (2²³ itself being 2⁻¹²⁶'s); the multiplication is kept for
    // the normal results, with n replaced where its result is not used. Elsewhere (Arm rounds subnormals at full speed)
    // 2ⁿ is applied as two normal factors 2^⌊n/2⌋·2^(n−⌊n/2⌋), one rounding. Both give the bits one rounding gives.

    /// <summary>From this exponent on r·2ⁿ is normal for every r the callers pass (0.35·2⁻¹²⁴ ≥ 2⁻¹²⁶).</summary>
    private const int NormalExponents = -124;

    /// <summary>2²³ as a float, the bit pattern of 2⁻¹²⁶: below it, w's whole number is the subnormal result's bits.</summary>
    private const float SmallestNormalBits = 8388608f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> ScaleByPow2(Vector512<float> r, Vector512<int> n)
    {
        if (!Vector512.LessThanAny(n, Vector512.Create(NormalExponents)))
            return r * Pow2(n);
        if (!X86Base.IsSupported)
            return r * Pow2(n >> 1) * Pow2(n - (n >> 1));
        Vector512<float> w = r * Pow2(Vector512.Min(n, Vector512.Create(-100)) + Vector512.Create(149));
        Vector512<int> subnormal = Vector512.LessThan(w, Vector512.Create(SmallestNormalBits)).AsInt32();
        Vector512<float> bits = Vector512.ConvertToInt32Native(Vector512.Round(w)).AsSingle();
        Vector512<float> normal = r * Pow2(Vector512.ConditionalSelect(subnormal, Vector512<int>.Zero, n));
        return Vector512.ConditionalSelect(subnormal.AsSingle(), bits, normal);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ScaleByPow2(Vector256<float> r, Vector256<int> n)
    {
        if (!Vector256.LessThanAny(n, Vector256.Create(NormalExponents)))
            return r * Pow2(n);
        if (!X86Base.IsSupported)
            return r * Pow2(n >> 1) * Pow2(n - (n >> 1));
        Vector256<float> w = r * Pow2(Vector256.Min(n, Vector256.Create(-100)) + Vector256.Create(149));
        Vector256<int> subnormal = Vector256.LessThan(w, Vector256.Create(SmallestNormalBits)).AsInt32();
        Vector256<float> bits = Vector256.ConvertToInt32Native(Vector256.Round(w)).AsSingle();
        Vector256<float> normal = r * Pow2(Vector256.ConditionalSelect(subnormal, Vector256<int>.Zero, n));
        return Vector256.ConditionalSelect(subnormal.AsSingle(), bits, normal);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ScaleByPow2(Vector128<float> r, Vector128<int> n)
    {
        if (!Vector128.LessThanAny(n, Vector128.Create(NormalExponents)))
            return r * Pow2(n);
        if (!X86Base.IsSupported)
            return r * Pow2(n >> 1) * Pow2(n - (n >> 1));
        Vector128<float> w = r * Pow2(Vector128.Min(n, Vector128.Create(-100)) + Vector128.Create(149));
        Vector128<int> subnormal = Vector128.LessThan(w, Vector128.Create(SmallestNormalBits)).AsInt32();
        Vector128<float> bits = Vector128.ConvertToInt32Native(Vector128.Round(w)).AsSingle();
        Vector128<float> normal = r * Pow2(Vector128.ConditionalSelect(subnormal, Vector128<int>.Zero, n));
        return Vector128.ConditionalSelect(subnormal.AsSingle(), bits, normal);
    }

    /// <summary>2ⁿ for n in [−126, 127], from the exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pow2(Vector512<int> n) => ((n + Vector512.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pow2(Vector256<int> n) => ((n + Vector256.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pow2(Vector128<int> n) => ((n + Vector128.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Vector256.FusedMultiplyAdd(a, b, c) : a * b + c;
}

/// <summary>e^x as an element-wise map (<see cref="FastExp"/> at every vector width, the BCL's expf for scalars).</summary>
internal readonly struct ExpOperator : IUnaryOperator
{
    public static float Invoke(float x) => float.Exp(x);
    public static Vector128<float> Invoke(Vector128<float> x) => FastExp.Exp(x);
    public static Vector256<float> Invoke(Vector256<float> x) => FastExp.Exp(x);
    public static Vector512<float> Invoke(Vector512<float> x) => FastExp.Exp(x);
}
