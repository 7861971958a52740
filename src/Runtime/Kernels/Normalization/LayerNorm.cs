using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// Layer normalisation as PyTorch's nn.LayerNorm over all of a sample's values: x̂ = (x − μ)/√(σ² + ε) with the
/// sample's mean μ and biased variance σ², then y = γ ⊙ x̂ + β (γ and β of the node's shape). Nothing is kept between
/// the passes: the backward step recomputes μ and σ from x, which is still in the arena. Sums run in double, so a
/// sample of large mean loses nothing to cancellation.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerNorm
{
    /// <summary>y = γ ⊙ (x − μ)/√(σ² + ε) + β for each of <paramref name="batch"/> samples of <paramref name="size"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, int size, float epsilon, int batch)
    {
        Check(y.Length, x.Length, scale.Length, shift.Length, size, batch);
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> xn = x.Slice(n * size, size);
            Span<float> yn = y.Slice(n * size, size);
            (double mean, double inverse) = Moments(xn, epsilon);
            for (int i = 0; i < size; i++)
                yn[i] = (float)((xn[i] - mean) * inverse) * scale[i] + shift[i];
        }
    }

    /// <summary>
    /// ∂L/∂γ = Σ_n δy ⊙ x̂ and ∂L/∂β = Σ_n δy (overwritten); when <paramref name="inputGradients"/> is not empty,
    /// δx += (1/σ)(g − mean(g) − x̂·mean(g ⊙ x̂)) with g = γ ⊙ δy, added to what other readers put there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Span<float> scaleGradients, Span<float> shiftGradients, Span<float> inputGradients, ReadOnlySpan<float> delta,
        ReadOnlySpan<float> x, ReadOnlySpan<float> scale, int size, float epsilon, int batch)
    {
        Check(delta.Length, x.Length, scale.Length, scaleGradients.Length, size, batch);
        if (shiftGradients.Length < size || (!inputGradients.IsEmpty && inputGradients.Length < batch * size))
            throw new ArgumentException("A buffer is smaller than the batch and the node's size need.");
        scaleGradients[..size].Clear();
        shiftGradients[..size].Clear();
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> xn = x.Slice(n * size, size), dn = delta.Slice(n * size, size);
            (double mean, double inverse) = Moments(xn, epsilon);
            double sumG = 0, sumGX = 0;
            for (int i = 0; i < size; i++)
            {
                double normalized = (xn[i] - mean) * inverse, g = (double)scale[i] * dn[i];
                scaleGradients[i] += (float)(dn[i] * normalized);
                shiftGradients[i] += dn[i];
                sumG += g;
                sumGX += g * normalized;
            }
            if (inputGradients.IsEmpty)
                continue;
            Span<float> dxn = inputGradients.Slice(n * size, size);
            double meanG = sumG / size, meanGX = sumGX / size;
            for (int i = 0; i < size; i++)
            {
                double normalized = (xn[i] - mean) * inverse;
                dxn[i] += (float)(inverse * ((double)scale[i] * dn[i] - meanG - normalized * meanGX));
            }
        }
    }

    /// <summary>The sample's mean and 1/√(σ² + ε), σ² the biased variance (two passes, in double).</summary>
    private static (double Mean, double Inverse) Moments(ReadOnlySpan<float> x, float epsilon)
    {
        double mean = DoubleSums.Sum(x) / x.Length, squares = 0;
        foreach (float v in x)
            squares += (v - mean) * (v - mean);
        return (mean, 1.0 / Math.Sqrt(squares / x.Length + epsilon));
    }

    private static void Check(int first, int second, int scale, int other, int size, int batch)
    {
        if (size < 1 || first < batch * size || second < batch * size || scale < size || other < size)
            throw new ArgumentException("A buffer is smaller than the batch and the node's size need.");
    }
}
