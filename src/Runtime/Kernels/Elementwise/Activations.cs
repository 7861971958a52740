using System;
using System.Runtime.CompilerServices;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>
/// Vectorised activation functions and their backward rules, called by generated code.
/// Each <c>…Backward</c> method turns δ = ∂L/∂y into ∂L/∂z in place. Arguments come in the kernels' one order: what the
/// method writes, then what it reads, then sizes and coefficients.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Activations
{
    /// <summary>y = σ(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid(Span<float> y, ReadOnlySpan<float> z) => ElementwiseLoop.Map<SigmoidOperator>(z, y);

    /// <summary>δ ← δ·y(1−y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackward(Span<float> delta, ReadOnlySpan<float> y) => ElementwiseLoop.Map<SigmoidDerivativeOperator>(y, delta, delta);

    /// <summary>y = tanh(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh(Span<float> y, ReadOnlySpan<float> z) => ElementwiseLoop.Map<TanhOperator>(z, y);

    /// <summary>δ ← δ·(1−y²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(Span<float> delta, ReadOnlySpan<float> y) => ElementwiseLoop.Map<TanhDerivativeOperator>(y, delta, delta);

    /// <summary>y = (1−e^{−z})/(1+e^{−z}).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BipolarSigmoid(Span<float> y, ReadOnlySpan<float> z) => ElementwiseLoop.Map<BipolarSigmoidOperator>(z, y);

    /// <summary>δ ← δ·½(1−y²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BipolarSigmoidBackward(Span<float> delta, ReadOnlySpan<float> y) => ElementwiseLoop.Map<BipolarSigmoidDerivativeOperator>(y, delta, delta);

    /// <summary>y = max(z, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReLU(Span<float> y, ReadOnlySpan<float> z) => ElementwiseLoop.Map<ReluOperator>(z, y);

    /// <summary>δ ← δ·[y &gt; 0].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReLUBackward(Span<float> delta, ReadOnlySpan<float> y) => ElementwiseLoop.Map<ReluDerivativeOperator>(y, delta, delta);

    /// <summary>y = z for z &gt; 0, αz otherwise (α &gt; 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyReLU(Span<float> y, ReadOnlySpan<float> z, float slope)
    {
        // Element by element, because generated code calls this in place (y aliases z): a two-pass
        // max(z, αz) through y would overwrite z with αz before the max reads it.
        for (int i = 0; i < y.Length; i++)
            y[i] = z[i] > 0f ? z[i] : slope * z[i];
    }

    /// <summary>δ ← δ·(y &gt; 0 ? 1 : α).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyReLUBackward(Span<float> delta, ReadOnlySpan<float> y, float slope)
    {
        for (int i = 0; i < delta.Length; i++)
            delta[i] = y[i] > 0f ? delta[i] : slope * delta[i];
    }

    /// <summary>y = log(1+e^z), stable for every z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softplus(Span<float> y, ReadOnlySpan<float> z) => ElementwiseLoop.Map<SoftplusOperator>(z, y);

    /// <summary>δ ← δ·σ(z), from the pre-activation z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftplusBackward(Span<float> delta, ReadOnlySpan<float> z) => ElementwiseLoop.Map<SoftplusDerivativeOperator>(z, delta, delta);

    /// <summary>
    /// Row-wise softmax of [rows, columns]: y = e^{z − max z} / Σ e^{z − max z} (y may be z). Three passes over the whole
    /// batch rather than three calls per row: the exponentials run as one vectorised map across rows (a classifier's
    /// rows of 3 or 10 are shorter than a vector, and per-row calls were a third of a small network's inference). Each
    /// row's sum is accumulated in double and rounded once, so that its error does not grow with the row's length (or
    /// depend on how wide the machine's sum is).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(Span<float> y, ReadOnlySpan<float> z, int columns)
    {
        int length = z.Length - z.Length % columns;
        Span<float> values = y.Slice(0, length);
        // Subtracting each row's maximum keeps every e^{…} ≤ 1, so nothing overflows and the largest term is exactly 1.
        for (int r = 0; r < length; r += columns)
        {
            ReadOnlySpan<float> zr = z.Slice(r, columns);
            TensorPrimitives.Subtract(zr, RowMaximum(zr), values.Slice(r, columns));
        }
        ElementwiseLoop.Map<ExpOperator>(values, values);
        for (int r = 0; r < length; r += columns)
        {
            Span<float> yr = values.Slice(r, columns);
            TensorPrimitives.Divide(yr, (float)DoubleSums.Sum(yr), yr);
        }
    }

    /// <summary>max of a row: a loop for rows shorter than a vector, where a library call costs more than the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float RowMaximum(ReadOnlySpan<float> row)
    {
        if (row.Length >= 16)
            return TensorPrimitives.Max(row);
        float maximum = row[0];
        for (int i = 1; i < row.Length; i++)
            maximum = float.Max(maximum, row[i]);   // NaN if either is, as TensorPrimitives.Max
        return maximum;
    }


    /// <summary>Row-wise softmax backward: δ_i ← y_i(δ_i − Σ_j y_j δ_j), the dot product accumulated in double and rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxBackward(Span<float> delta, ReadOnlySpan<float> y, int columns)
    {
        for (int r = 0; r + columns <= y.Length; r += columns)
        {
            ReadOnlySpan<float> yr = y.Slice(r, columns);
            Span<float> dr = delta.Slice(r, columns);
            TensorPrimitives.Subtract(dr, (float)DoubleSums.Dot(yr, dr), dr);
            TensorPrimitives.Multiply(dr, yr, dr);
        }
    }
}
