using System;

namespace NetGen.Samples.LogisticRegression;

/// <summary>The problems' hand-derived gradients, in double, to compare with what the generated backward pass computes.</summary>
public static class ClosedForms
{
    /// <summary>Problem H: ∇L = Σᵢ (σ(wᵀxᵢ) − yᵢ)·xᵢ + 2w.</summary>
    public static double[] LogisticGradient(ReadOnlySpan<float> w, Dataset data)
    {
        var gradient = new double[w.Length];
        for (int n = 0; n < data.Count; n++)
        {
            double f = 1 / (1 + Math.Exp(-Dot(w, data.InputRows(n, 1))));
            Accumulate(gradient, f - data.Targets[n], data.InputRows(n, 1));
        }
        for (int k = 0; k < w.Length; k++)
            gradient[k] += 2 * w[k];
        return gradient;
    }

    /// <summary>Problem I: ∇L = Σᵢ (fᵢ − yᵢ)·½(1 − fᵢ²)·xᵢ with fᵢ = tanh(wᵀxᵢ / 2).</summary>
    public static double[] BipolarGradient(ReadOnlySpan<float> w, Dataset data)
    {
        var gradient = new double[w.Length];
        for (int n = 0; n < data.Count; n++)
        {
            double f = Math.Tanh(Dot(w, data.InputRows(n, 1)) / 2);
            Accumulate(gradient, (f - data.Targets[n]) * 0.5 * (1 - f * f), data.InputRows(n, 1));
        }
        return gradient;
    }

    /// <summary>The largest |aₖ − bₖ|.</summary>
    public static double MaxDifference(ReadOnlySpan<float> generated, double[] closedForm)
    {
        double worst = 0;
        for (int k = 0; k < closedForm.Length; k++)
            worst = Math.Max(worst, Math.Abs(generated[k] - closedForm[k]));
        return worst;
    }

    private static double Dot(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int k = 0; k < w.Length; k++)
            sum += (double)w[k] * x[k];
        return sum;
    }

    private static void Accumulate(double[] gradient, double factor, ReadOnlySpan<float> x)
    {
        for (int k = 0; k < gradient.Length; k++)
            gradient[k] += factor * x[k];
    }
}
