using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>
/// Loss terms and their gradients, called by generated code. Sums are accumulated in double so that a
/// loss over a large batch does not lose the small terms; each gradient method writes ∂L/∂(its input),
/// already multiplied by <c>coefficient</c> (the loss scale divided by the reduction's count). Arguments come in the kernels'
/// one order: what the method writes, then what it reads, then sizes and coefficients.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Losses
{
    /// <summary>Σ (y − t)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredError(ReadOnlySpan<float> y, ReadOnlySpan<float> t)
    {
        CheckLengths(y.Length, t.Length);
        return SumOfSquaredDifferences(y, t);
    }

    /// <summary>
    /// Σ (y − t)², each difference taken and squared in double (a float difference is exact there) and summed in
    /// vectors of doubles over two chains: one scalar chain of double additions cost 4 cycles an element, 8 % of a
    /// large-batch training step.
    /// </summary>
    private static double SumOfSquaredDifferences(ReadOnlySpan<float> y, ReadOnlySpan<float> t)
    {
        ref float py = ref MemoryMarshal.GetReference(y);
        ref float pt = ref MemoryMarshal.GetReference(t);
        int n = y.Length, i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                (Vector256<double> yLow, Vector256<double> yHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref py, (nuint)i));
                (Vector256<double> tLow, Vector256<double> tHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref pt, (nuint)i));
                Vector256<double> dLow = yLow - tLow, dHigh = yHigh - tHigh;
                low += dLow * dLow;
                high += dHigh * dHigh;
            }
            sum = Vector256.Sum(low + high);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            Vector128<double> low = Vector128<double>.Zero, high = Vector128<double>.Zero;
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
            {
                (Vector128<double> yLow, Vector128<double> yHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref py, (nuint)i));
                (Vector128<double> tLow, Vector128<double> tHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref pt, (nuint)i));
                Vector128<double> dLow = yLow - tLow, dHigh = yHigh - tHigh;
                low += dLow * dLow;
                high += dHigh * dHigh;
            }
            sum = Vector128.Sum(low + high);
        }
        for (; i < n; i++)
        {
            double e = (double)Unsafe.Add(ref py, i) - Unsafe.Add(ref pt, i);
            sum += e * e;
        }
        return sum;
    }

    /// <summary>∂/∂y of coefficient·Σ(y − t)²: δ = 2·coefficient·(y − t).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquaredErrorGradient(Span<float> delta, ReadOnlySpan<float> y, ReadOnlySpan<float> t, float coefficient)
    {
        CheckLengths(y.Length, t.Length);
        SpanLoops.ScaledDifference(delta, y, t, 2f * coefficient);
    }

    /// <summary>
    /// Σ binary cross-entropy of logits z against targets t, each term max(z, 0) − z·t + log1p(e^{−|z|}): the exponent is
    /// never positive, so |z| = 1000 gives a finite loss, and log1p keeps the term of a confident right answer (e^{−40}
    /// for z = 40, t = 1), which log(1 + e^{−|z|}) rounds to 0 in double from |z| ≈ 37 and to a few digits well before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double BinaryCrossEntropyWithLogits(ReadOnlySpan<float> z, ReadOnlySpan<float> t)
    {
        CheckLengths(z.Length, t.Length);
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double zi = z[i];
            sum += Math.Max(zi, 0) - zi * t[i] + DoubleSums.Log1P(Math.Exp(-Math.Abs(zi)));
        }
        return sum;
    }

    /// <summary>∂/∂z of coefficient·BCE(σ(z), t): δ = coefficient·(σ(z) − t), with σ(z) = y already computed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryCrossEntropyGradient(Span<float> delta, ReadOnlySpan<float> y, ReadOnlySpan<float> t, float coefficient)
    {
        CheckLengths(y.Length, t.Length);
        SpanLoops.ScaledDifference(delta, y, t, coefficient);
    }

    /// <summary>
    /// Σ over rows of −Σ_j t_j log softmax(z)_j = Σ_j t_j (lse(z) − z_j), with lse(z) − z_j = (m − z_j) + log1p(Σ_{j≠k} e^{z_j − m}),
    /// m = z_k = max z: finite for any finite logits (λ = 1000 on the right class gives ≈ 0, on a wrong class ≈ λ), and a
    /// confident right answer keeps its small loss, which m + log Σ e^{z_j − m} − z_k would lose to m's rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SoftmaxCrossEntropy(ReadOnlySpan<float> z, ReadOnlySpan<float> t, int columns)
    {
        CheckLengths(z.Length, t.Length);
        double sum = 0;
        for (int r = 0; r + columns <= z.Length; r += columns)
        {
            ReadOnlySpan<float> zr = z.Slice(r, columns), tr = t.Slice(r, columns);
            double excess = LogSumExpAboveMax(zr, out float max);
            for (int j = 0; j < columns; j++)
                sum += tr[j] * ((max - (double)zr[j]) + excess);
        }
        return sum;
    }

    /// <summary>The same loss with class indices as targets (one-hot t).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SoftmaxCrossEntropy(ReadOnlySpan<float> z, ReadOnlySpan<int> classes, int columns)
    {
        CheckClasses(z.Length, classes, columns);
        double sum = 0;
        for (int n = 0; n < classes.Length; n++)
        {
            ReadOnlySpan<float> zr = z.Slice(n * columns, columns);
            double excess = LogSumExpAboveMax(zr, out float max);
            sum += (max - (double)zr[classes[n]]) + excess;
        }
        return sum;
    }

    /// <summary>
    /// ∂/∂z of coefficient·CE(softmax(z), t): δ = coefficient·(p·Σ_j t_j − t), with p = softmax(z) = y; p·Σt − t is one fused
    /// multiply-add, so that it is rounded once where p·Σt ≈ t cancels (a confident right answer), and Σt is accumulated in
    /// double and rounded once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxCrossEntropyGradient(Span<float> delta, ReadOnlySpan<float> p, ReadOnlySpan<float> t, int columns, float coefficient)
    {
        CheckLengths(p.Length, t.Length);
        for (int r = 0; r + columns <= p.Length; r += columns)
        {
            ReadOnlySpan<float> pr = p.Slice(r, columns), tr = t.Slice(r, columns);
            Span<float> dr = delta.Slice(r, columns);
            float mass = (float)DoubleSums.Sum(tr);
            for (int j = 0; j < columns; j++)
                dr[j] = coefficient * MathF.FusedMultiplyAdd(pr[j], mass, -tr[j]);
        }
    }

    /// <summary>
    /// The gradient with class indices as targets: δ = coefficient·(p − e_class). The right class's p − 1 is exact (p ≥ ½
    /// where it matters) and multiplied once; coefficient·p − coefficient would cancel the rounding of coefficient·p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxCrossEntropyGradient(Span<float> delta, ReadOnlySpan<float> p, ReadOnlySpan<int> classes, int columns, float coefficient)
    {
        CheckClasses(p.Length, classes, columns);
        TensorPrimitives.Multiply(p, coefficient, delta);
        for (int n = 0; n < classes.Length; n++)
            delta[n * columns + classes[n]] = coefficient * (p[n * columns + classes[n]] - 1f);
    }

    /// <summary>λ‖w‖² (weights only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double L2(ReadOnlySpan<float> weights, float lambda) => lambda * (double)TensorPrimitives.SumOfSquares(weights);

    /// <summary>Adds ∂(λ‖w‖²)/∂w = 2λw to the gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void L2Gradient(Span<float> gradient, ReadOnlySpan<float> weights, float lambda) =>
        TensorPrimitives.MultiplyAdd(weights, 2f * lambda, gradient, gradient);

    /// <summary>
    /// lse(z) − max z = log1p(Σ_{j≠k} e^{z_j − m}), k the first index of the maximum m (its term is exactly 1, so it is
    /// left out of the sum instead of added and cancelled). NaN for a row holding a NaN.
    /// </summary>
    private static double LogSumExpAboveMax(ReadOnlySpan<float> z, out float max)
    {
        int k = TensorPrimitives.IndexOfMax(z);
        max = k < 0 ? float.NaN : z[k];
        if (float.IsNaN(max))
            return double.NaN;
        double sum = 0;
        for (int j = 0; j < z.Length; j++)
            if (j != k)
                sum += Math.Exp((double)z[j] - max);
        return DoubleSums.Log1P(sum);
    }

    private static void CheckLengths(int outputs, int targets)
    {
        if (outputs != targets)
            throw new ArgumentException($"Targets hold {targets} values; the outputs of this batch hold {outputs}.", "targets");
    }

    private static void CheckClasses(int outputs, ReadOnlySpan<int> classes, int columns)
    {
        if (classes.Length * columns != outputs)
            throw new ArgumentException($"{classes.Length} class labels do not match a batch of {outputs / columns}.", nameof(classes));
        foreach (int c in classes)
            if ((uint)c >= (uint)columns)
                throw new ArgumentOutOfRangeException(nameof(classes), c, $"A class label must be between 0 and {columns - 1}.");
    }
}
