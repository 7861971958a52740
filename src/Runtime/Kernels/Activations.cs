using System;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>
/// Vectorised activation functions and their backward rules, called by generated code.
/// Each <c>…Backward</c> method turns δ = ∂L/∂y into ∂L/∂z in place.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Activations
{
    /// <summary>y = σ(z).</summary>
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> y) => ElementwiseLoop.Map<SigmoidOperator>(z, y);

    /// <summary>δ ← δ·y(1−y).</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, Span<float> delta) => ElementwiseLoop.Map<SigmoidDerivativeOperator>(y, delta, delta);

    /// <summary>y = tanh(z).</summary>
    public static void Tanh(ReadOnlySpan<float> z, Span<float> y) => ElementwiseLoop.Map<TanhOperator>(z, y);

    /// <summary>δ ← δ·(1−y²).</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, Span<float> delta) => ElementwiseLoop.Map<TanhDerivativeOperator>(y, delta, delta);

    /// <summary>y = (1−e^{−z})/(1+e^{−z}).</summary>
    public static void BipolarSigmoid(ReadOnlySpan<float> z, Span<float> y) => ElementwiseLoop.Map<BipolarSigmoidOperator>(z, y);

    /// <summary>δ ← δ·½(1−y²).</summary>
    public static void BipolarSigmoidBackward(ReadOnlySpan<float> y, Span<float> delta) => ElementwiseLoop.Map<BipolarSigmoidDerivativeOperator>(y, delta, delta);

    /// <summary>y = max(z, 0).</summary>
    public static void ReLU(ReadOnlySpan<float> z, Span<float> y) => ElementwiseLoop.Map<ReluOperator>(z, y);

    /// <summary>δ ← δ·[y &gt; 0].</summary>
    public static void ReLUBackward(ReadOnlySpan<float> y, Span<float> delta) => ElementwiseLoop.Map<ReluDerivativeOperator>(y, delta, delta);

    /// <summary>y = z for z &gt; 0, αz otherwise (α &gt; 0).</summary>
    public static void LeakyReLU(ReadOnlySpan<float> z, Span<float> y, float slope)
    {
        // Element by element, because generated code calls this in place (y aliases z): a two-pass
        // max(z, αz) through y would overwrite z with αz before the max reads it.
        for (int i = 0; i < y.Length; i++)
            y[i] = z[i] > 0f ? z[i] : slope * z[i];
    }

    /// <summary>δ ← δ·(y &gt; 0 ? 1 : α).</summary>
    public static void LeakyReLUBackward(ReadOnlySpan<float> y, Span<float> delta, float slope)
    {
        for (int i = 0; i < delta.Length; i++)
            delta[i] = y[i] > 0f ? delta[i] : slope * delta[i];
    }

    /// <summary>y = log(1+e^z), stable for every z.</summary>
    public static void Softplus(ReadOnlySpan<float> z, Span<float> y) => ElementwiseLoop.Map<SoftplusOperator>(z, y);

    /// <summary>δ ← δ·σ(z), from the pre-activation z.</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> z, Span<float> delta) => ElementwiseLoop.Map<SoftplusDerivativeOperator>(z, delta, delta);

    /// <summary>Row-wise softmax of [rows, columns]: y = e^{z − max z} / Σ e^{z − max z}.</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> y, int columns)
    {
        for (int r = 0; r + columns <= z.Length; r += columns)
        {
            ReadOnlySpan<float> zr = z.Slice(r, columns);
            Span<float> yr = y.Slice(r, columns);
            // TensorPrimitives.SoftMax does not subtract the maximum; this does, so e^{…} ≤ 1 never overflows.
            TensorPrimitives.Subtract(zr, TensorPrimitives.Max(zr), yr);
            TensorPrimitives.Exp(yr, yr);
            TensorPrimitives.Divide(yr, TensorPrimitives.Sum(yr), yr);
        }
    }

    /// <summary>Row-wise softmax backward: δ_i ← y_i(δ_i − Σ_j y_j δ_j).</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, Span<float> delta, int columns)
    {
        for (int r = 0; r + columns <= y.Length; r += columns)
        {
            ReadOnlySpan<float> yr = y.Slice(r, columns);
            Span<float> dr = delta.Slice(r, columns);
            float dot = TensorPrimitives.Dot(yr, dr);
            TensorPrimitives.Subtract(dr, dot, dr);
            TensorPrimitives.Multiply(dr, yr, dr);
        }
    }
}
