using System.ComponentModel;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

// Each operator's summary states its maths; its Invoke overloads (scalar and one per vector width) compute exactly that.
#pragma warning disable CS1591

namespace NetGen.Kernels;

// Each activation's forward map sits next to the derivative its backward pass multiplies in,
// written in terms of the forward output y wherever that is exact (σ' = y(1−y), tanh' = 1−y², …).

/// <summary>z ↦ z: the activation of a linear layer, for kernels that fuse one.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IdentityOperator : IUnaryOperator
{
    public static float Invoke(float z) => z;
    public static Vector128<float> Invoke(Vector128<float> z) => z;
    public static Vector256<float> Invoke(Vector256<float> z) => z;
    public static Vector512<float> Invoke(Vector512<float> z) => z;
}

/// <summary>δ·1: the derivative step of a linear layer (nothing to multiply in), for kernels that fuse one.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IdentityDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float y, float d) => d;
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => d;
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => d;
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => d;
}

/// <summary>σ(z) = 1/(1+e^{−z}): e^{−z} overflows to +∞ for z ≪ 0 and then σ = 1/∞ = 0, never NaN.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SigmoidOperator : IUnaryOperator
{
    public static float Invoke(float z) => 1f / (1f + float.Exp(-z));
    public static Vector128<float> Invoke(Vector128<float> z) => FastReciprocal.Of(Vector128<float>.One + FastExp.Exp(-z));
    public static Vector256<float> Invoke(Vector256<float> z) => FastReciprocal.Of(Vector256<float>.One + FastExp.Exp(-z));
    public static Vector512<float> Invoke(Vector512<float> z)
    {
        Vector512<float> d = Vector512<float>.One + FastExp.Exp(-z);
        if (!Avx512F.IsSupported)
            return Vector512<float>.One / d;
        // 1/d by the 14-bit reciprocal estimate and one Newton step r(2 − d·r) (about 2⁻²⁷ relative error): a 512-bit
        // division is several times slower. d is finite (FastExp stays below 1.7·10³⁸), so d·r never becomes ∞·0.
        Vector512<float> r = Avx512F.Reciprocal14(d);
        return r * Vector512.FusedMultiplyAdd(-d, r, Vector512.Create(2f));
    }
}

/// <summary>δ·σ'(z) = δ·y(1−y).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SigmoidDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float y, float d) => d * y * (1f - y);
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => d * y * (Vector128<float>.One - y);
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => d * y * (Vector256<float>.One - y);
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => d * y * (Vector512<float>.One - y);
}

/// <summary>
/// tanh(z) = sign(z)·(1 − 2/(e^{2|z|}+1)): the exponent is never negative-large, e^{2|z|} = ∞ gives exactly ±1.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TanhOperator : IUnaryOperator
{
    public static float Invoke(float z) => float.Tanh(z);
    public static Vector128<float> Invoke(Vector128<float> z)
    {
        Vector128<float> a = Vector128.Abs(z);
        Vector128<float> t = Vector128<float>.One - Vector128.Create(2f) * FastReciprocal.Of(FastExp.Exp(a + a) + Vector128<float>.One);
        return Vector128.CopySign(t, z);
    }
    public static Vector256<float> Invoke(Vector256<float> z)
    {
        Vector256<float> a = Vector256.Abs(z);
        Vector256<float> t = Vector256<float>.One - Vector256.Create(2f) * FastReciprocal.Of(FastExp.Exp(a + a) + Vector256<float>.One);
        return Vector256.CopySign(t, z);
    }
    public static Vector512<float> Invoke(Vector512<float> z)
    {
        Vector512<float> a = Vector512.Abs(z);
        Vector512<float> t = Vector512<float>.One - Vector512.Create(2f) / (FastExp.Exp(a + a) + Vector512<float>.One);
        return Vector512.CopySign(t, z);
    }
}

/// <summary>δ·tanh'(z) = δ·(1−y²).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TanhDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float y, float d) => d * (1f - y * y);
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => d * (Vector128<float>.One - y * y);
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => d * (Vector256<float>.One - y * y);
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => d * (Vector512<float>.One - y * y);
}

/// <summary>(1−e^{−z})/(1+e^{−z}) = tanh(z/2).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BipolarSigmoidOperator : IUnaryOperator
{
    public static float Invoke(float z) => TanhOperator.Invoke(0.5f * z);
    public static Vector128<float> Invoke(Vector128<float> z) => TanhOperator.Invoke(Vector128.Create(0.5f) * z);
    public static Vector256<float> Invoke(Vector256<float> z) => TanhOperator.Invoke(Vector256.Create(0.5f) * z);
    public static Vector512<float> Invoke(Vector512<float> z) => TanhOperator.Invoke(Vector512.Create(0.5f) * z);
}

/// <summary>δ·f'(z) = δ·½(1−y²) for the bipolar sigmoid.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BipolarSigmoidDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float y, float d) => 0.5f * d * (1f - y * y);
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => Vector128.Create(0.5f) * d * (Vector128<float>.One - y * y);
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => Vector256.Create(0.5f) * d * (Vector256<float>.One - y * y);
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => Vector512.Create(0.5f) * d * (Vector512<float>.One - y * y);
}

/// <summary>max(z, 0).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ReluOperator : IUnaryOperator
{
    public static float Invoke(float z) => z > 0f ? z : 0f;
    public static Vector128<float> Invoke(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero);
    public static Vector256<float> Invoke(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero);
}

/// <summary>δ·[y &gt; 0]: exactly zero for a unit that did not fire (a dead unit stays dead).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ReluDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float y, float d) => y > 0f ? d : 0f;
    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> d) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), d, Vector128<float>.Zero);
    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> d) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), d, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> d) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), d, Vector512<float>.Zero);
}

/// <summary>Softplus log(1+e^z) = max(z, 0) + log(1 + e^{−|z|}): the exponent is never positive, so nothing overflows.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SoftplusOperator : IUnaryOperator
{
    public static float Invoke(float z) => float.Max(z, 0f) + float.Log(1f + float.Exp(-float.Abs(z)));
    public static Vector128<float> Invoke(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero) + Vector128.Log(Vector128<float>.One + Vector128.Exp(-Vector128.Abs(z)));
    public static Vector256<float> Invoke(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero) + Vector256.Log(Vector256<float>.One + Vector256.Exp(-Vector256.Abs(z)));
    public static Vector512<float> Invoke(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero) + Vector512.Log(Vector512<float>.One + Vector512.Exp(-Vector512.Abs(z)));
}

/// <summary>δ·softplus'(z) = δ·σ(z), from the pre-activation z (σ from y alone would cancel badly for z ≪ 0).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SoftplusDerivativeOperator : IBinaryOperator
{
    public static float Invoke(float z, float d) => d * SigmoidOperator.Invoke(z);
    public static Vector128<float> Invoke(Vector128<float> z, Vector128<float> d) => d * SigmoidOperator.Invoke(z);
    public static Vector256<float> Invoke(Vector256<float> z, Vector256<float> d) => d * SigmoidOperator.Invoke(z);
    public static Vector512<float> Invoke(Vector512<float> z, Vector512<float> d) => d * SigmoidOperator.Invoke(z);
}
