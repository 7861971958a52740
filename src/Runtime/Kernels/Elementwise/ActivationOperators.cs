using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

// Each operator's summary states its maths; its Invoke overloads (scalar and one per vector width) compute exactly that.
#pragma warning disable CS1591

namespace NetGen.Kernels;

// Each activation's forward map sits next to the derivative its backward pass multiplies in,
// written in terms of the forward output y wherever that is exact (σ' = y(1−y), tanh' = (1−y)(1+y), …).
// docs/accuracy.md states each one's bound in ulps; tests/NetGen.Tests/Kernels/ActivationAccuracyTests.cs checks them at every width.

/// <summary>z ↦ z: the activation of a linear layer, for kernels that fuse one.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IdentityOperator : IUnaryOperator
{
    public static float Invoke(float z) => z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> z) => z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> z) => z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> z) => z;
}

/// <summary>δ·1: the derivative step of a linear layer (nothing to multiply in), for kernels that fuse one.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IdentityDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float y, float d) => d;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => d;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => d;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => d;
}

/// <summary>
/// σ(z) = 1/(1+e^{−z}). The vectors compute s = σ(−|z|) = e^{−|z|}/(1 + e^{−|z|}) and then s for z &lt; 0, 1 − s for
/// z ≥ 0: the exponent is never positive, so nothing overflows, small σ keep their relative accuracy down to the
/// subnormals (σ(−100) is 3.7·10⁻⁴⁴, not 0 or 6·10⁻³⁹), and 1 − σ(z) for z ≫ 0, which σ′ = y(1−y) reads, is as exact as
/// a float next to 1 can be. s is <see cref="FastExp.Logistic(Vector512{float})"/>, which divides before it scales, so
/// that saturated layers (σ below 2⁻¹²⁶) cost what others do. One float (see <see cref="Invoke(float)"/>) divides once
/// for either sign.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SigmoidOperator : IUnaryOperator
{
    /// <summary>
    /// σ(−|z|)'s numerator chosen before the division: n/(1 + e), e = e^{−|z|}, n = e for z &lt; 0 and 1 for z ≥ 0 (1/(1 + e)
    /// is 1 − e/(1 + e) rounded once instead of twice). From z to σ that is an exponential, an add and a divide, the
    /// select of n running beside the add: the latency a one-sample call waits on, shorter than s and then 1 − s (the
    /// logistic neuron's one-sample call: median 11.2 → 9.8 ns in six alternating runs on Zen 5). The select is a
    /// vector blend, not a branch: with a branch the call was slower still, as the sign of z is data that branch
    /// prediction cannot learn. The worst error over the accuracy tests' inputs is the same as the two-step form's.
    /// </summary>
    public static float Invoke(float z)
    {
        float e = float.Exp(-float.Abs(z));
        Vector128<float> exponential = Vector128.CreateScalar(e);
        Vector128<float> numerator = Vector128.ConditionalSelect(Vector128.LessThan(Vector128.CreateScalar(z), Vector128<float>.Zero), exponential, Vector128<float>.One);
        return (numerator / (Vector128<float>.One + exponential)).ToScalar();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> z)
    {
        Vector128<float> s = FastExp.Logistic(z | Vector128.Create(-0f)); // −|z|: the sign bit set
        return Vector128.ConditionalSelect(Vector128.LessThan(z, Vector128<float>.Zero), s, Vector128<float>.One - s);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> z)
    {
        Vector256<float> s = FastExp.Logistic(z | Vector256.Create(-0f)); // −|z|: the sign bit set
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<float>.Zero), s, Vector256<float>.One - s);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> z)
    {
        Vector512<float> s = FastExp.Logistic(z | Vector512.Create(-0f)); // −|z|: the sign bit set
        return Vector512.ConditionalSelect(Vector512.LessThan(z, Vector512<float>.Zero), s, Vector512<float>.One - s);
    }
}

/// <summary>δ·σ'(z) = δ·y(1−y) (1 − y is exact for y ≥ ½).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SigmoidDerivativeOperator : IBinaryOperator, IRegisterDerivative
{
    public static float Invoke(float y, float d) => d * (y * (1f - y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => d * (y * (Vector128<float>.One - y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => d * (y * (Vector256<float>.One - y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => d * (y * (Vector512<float>.One - y));
}

/// <summary>
/// tanh(z) = sign(z)·t(|z|): for |z| &lt; 0.625 Cephes' odd polynomial a + a³·P(a²) (no cancellation near 0: tanh(±0) = ±0,
/// tanh of a subnormal is itself); above, t = 1 − 2e/(1+e) with e = e^{−2|z|} ≤ 0.29, so the exponent is never positive
/// and 1 − t ≥ 0.55 cancels nothing. e/(1+e) is <see cref="FastExp.Logistic(Vector512{float})"/> (the same bits as
/// dividing e, doubled exactly), which never divides a subnormal: |z| above 43.7 costs what smaller ones do.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TanhOperator : IUnaryOperator
{
    private const float Switch = 0.625f;
    private const float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f, T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;

    public static float Invoke(float z) => float.Tanh(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> z)
    {
        // V128.MultiplyAdd: x64 without FMA (the 128-bit path of DOTNET_EnableAVX2=0, pre-2013 CPUs) emulated
        // Vector128.FusedMultiplyAdd in software, one scalar call a lane, which made tanh layers 12 times slower there.
        Vector128<float> a = Vector128.Abs(z);
        Vector128<float> s = a * a;
        Vector128<float> p = V128.MultiplyAdd(Vector128.Create(T0), s, Vector128.Create(T1));
        p = V128.MultiplyAdd(p, s, Vector128.Create(T2));
        p = V128.MultiplyAdd(p, s, Vector128.Create(T3));
        p = V128.MultiplyAdd(p, s, Vector128.Create(T4));
        p = V128.MultiplyAdd(p * s, a, a);
        // −2|z| and 1 − 2l, the doubling exact either way: one instruction each.
        Vector128<float> l = FastExp.Logistic(a * Vector128.Create(-2f));
        Vector128<float> t = V128.MultiplyAdd(l, Vector128.Create(-2f), Vector128<float>.One);
        return Vector128.CopySign(Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(Switch)), p, t), z);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> z)
    {
        Vector256<float> a = Vector256.Abs(z);
        Vector256<float> s = a * a;
        Vector256<float> p = V256.MultiplyAdd(Vector256.Create(T0), s, Vector256.Create(T1));
        p = V256.MultiplyAdd(p, s, Vector256.Create(T2));
        p = V256.MultiplyAdd(p, s, Vector256.Create(T3));
        p = V256.MultiplyAdd(p, s, Vector256.Create(T4));
        p = V256.MultiplyAdd(p * s, a, a);
        // −2|z| and 1 − 2l, the doubling exact either way: one instruction each.
        Vector256<float> l = FastExp.Logistic(a * Vector256.Create(-2f));
        Vector256<float> t = V256.MultiplyAdd(l, Vector256.Create(-2f), Vector256<float>.One);
        return Vector256.CopySign(Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(Switch)), p, t), z);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> z)
    {
        Vector512<float> a = Vector512.Abs(z);
        Vector512<float> s = a * a;
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(T0), s, Vector512.Create(T1));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T2));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T3));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T4));
        p = Vector512.FusedMultiplyAdd(p * s, a, a);
        // −2|z| and 1 − 2l, the doubling exact either way: one instruction each.
        Vector512<float> l = FastExp.Logistic(a * Vector512.Create(-2f));
        Vector512<float> t = Vector512.FusedMultiplyAdd(l, Vector512.Create(-2f), Vector512<float>.One);
        return Vector512.CopySign(Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(Switch)), p, t), z);
    }
}

/// <summary>δ·tanh'(z) = δ·(1−y)(1+y): 1 − y is exact for |y| ≥ ½, where 1 − y² would cancel (y near ±1 is saturation).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TanhDerivativeOperator : IBinaryOperator, IRegisterDerivative
{
    public static float Invoke(float y, float d) => d * ((1f - y) * (1f + y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => d * ((Vector128<float>.One - y) * (Vector128<float>.One + y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => d * ((Vector256<float>.One - y) * (Vector256<float>.One + y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => d * ((Vector512<float>.One - y) * (Vector512<float>.One + y));
}

/// <summary>(1−e^{−z})/(1+e^{−z}) = tanh(z/2).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BipolarSigmoidOperator : IUnaryOperator
{
    public static float Invoke(float z) => TanhOperator.Invoke(0.5f * z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> z) => TanhOperator.Invoke(Vector128.Create(0.5f) * z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> z) => TanhOperator.Invoke(Vector256.Create(0.5f) * z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> z) => TanhOperator.Invoke(Vector512.Create(0.5f) * z);
}

/// <summary>δ·f'(z) = δ·½(1−y)(1+y) for the bipolar sigmoid (the factored form, as for tanh).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BipolarSigmoidDerivativeOperator : IBinaryOperator, IRegisterDerivative
{
    public static float Invoke(float y, float d) => d * (0.5f * ((1f - y) * (1f + y)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => d * (Vector128.Create(0.5f) * ((Vector128<float>.One - y) * (Vector128<float>.One + y)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => d * (Vector256.Create(0.5f) * ((Vector256<float>.One - y) * (Vector256<float>.One + y)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => d * (Vector512.Create(0.5f) * ((Vector512<float>.One - y) * (Vector512<float>.One + y)));
}

/// <summary>max(z, 0), NaN for NaN at every width (the vector Max propagates it, and so does float.Max in the tail).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ReluOperator : IUnaryOperator, IRegisterActivation
{
    public static float Invoke(float z) => float.Max(z, 0f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero);
}

/// <summary>δ·[y &gt; 0]: exactly zero for a unit that did not fire (a dead unit stays dead).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ReluDerivativeOperator : IBinaryOperator, IRegisterDerivative
{
    public static float Invoke(float y, float d) => y > 0f ? d : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), d, Vector128<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), d, Vector256<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), d, Vector512<float>.Zero);
}

/// <summary>
/// Softplus log(1+e^z) = max(z, 0) + log1p(e^{−|z|}), in double and rounded once to a float (within 0.51 ulps): the
/// exponent is never positive, so nothing overflows, and log1p keeps e^z's relative accuracy for z ≪ 0, where
/// log(1 + e^z) would round 1 + e^z to 1 and give 0 (from z ≈ −17 down in float). log1p(x) is log(u)·x/(u − 1) with
/// u = 1 + x (u − 1 is exact; the factor cancels u's rounding), and x itself when u = 1. In float the same steps were
/// 4 ulps off near z = −1.26; softplus is rare and memory-bound, so the wider arithmetic costs little where it is used.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SoftplusOperator : IUnaryOperator
{
    public static float Invoke(float z)
    {
        return (float)(double.Max(z, 0) + DoubleSums.Log1P(double.Exp(-double.Abs(z))));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> z)
    {
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(z);
        return Vector128.Narrow(InDouble(lower), InDouble(upper));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> z)
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(z);
        return Vector256.Narrow(InDouble(lower), InDouble(upper));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> z)
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(z);
        return Vector512.Narrow(InDouble(lower), InDouble(upper));
    }

    private static Vector128<double> InDouble(Vector128<double> z)
    {
        Vector128<double> e = Vector128.Exp(-Vector128.Abs(z)), u = Vector128<double>.One + e;
        Vector128<double> log1p = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<double>.One), e, Vector128.Log(u) * (e / (u - Vector128<double>.One)));
        return Vector128.Max(z, Vector128<double>.Zero) + log1p;
    }
    private static Vector256<double> InDouble(Vector256<double> z)
    {
        Vector256<double> e = Vector256.Exp(-Vector256.Abs(z)), u = Vector256<double>.One + e;
        Vector256<double> log1p = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.One), e, Vector256.Log(u) * (e / (u - Vector256<double>.One)));
        return Vector256.Max(z, Vector256<double>.Zero) + log1p;
    }
    private static Vector512<double> InDouble(Vector512<double> z)
    {
        Vector512<double> e = Vector512.Exp(-Vector512.Abs(z)), u = Vector512<double>.One + e;
        Vector512<double> log1p = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.One), e, Vector512.Log(u) * (e / (u - Vector512<double>.One)));
        return Vector512.Max(z, Vector512<double>.Zero) + log1p;
    }
}

/// <summary>δ·softplus'(z) = δ·σ(z), from the pre-activation z (σ from y alone would cancel badly for z ≪ 0).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SoftplusDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float z, float d) => d * SigmoidOperator.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> d) => d * SigmoidOperator.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> d) => d * SigmoidOperator.Invoke(z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> d) => d * SigmoidOperator.Invoke(z);
}
