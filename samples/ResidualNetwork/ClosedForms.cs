using System;

namespace NetGen.Samples.ResidualNetwork;

/// <summary>Problem K's gradients for one sample, computed by hand in double from the weights.</summary>
public static class ClosedForms
{
    /// <param name="w0">[M, D], row-major.</param>
    /// <param name="w1">[D, M], row-major.</param>
    /// <param name="w2">[D].</param>
    /// <returns>(a) ∂L/∂h_j = (g − y)·g(1 − g)·w2[j], and (b) ∂L/∂W1[d, m] = (g − y)·g(1 − g)·w2[d]·s_d(1 − s_d)·z_m, row-major [D, M].</returns>
    public static (double[] DLossDH, double[] DLossDW1) Gradients(ReadOnlySpan<float> w0, ReadOnlySpan<float> w1, ReadOnlySpan<float> w2, ReadOnlySpan<float> x, float y)
    {
        const int D = Problem.D, M = Problem.M;
        var z = new double[M];
        for (int m = 0; m < M; m++)
        {
            double sum = 0;
            for (int d = 0; d < D; d++)
                sum += w0[m * D + d] * (double)x[d];
            z[m] = Sigmoid(sum);
        }
        var s = new double[D];
        double a = 0;
        for (int d = 0; d < D; d++)
        {
            double sum = 0;
            for (int m = 0; m < M; m++)
                sum += w1[d * M + m] * z[m];
            s[d] = Sigmoid(sum);
            a += w2[d] * (x[d] + s[d]); // h_d = x_d + s_d
        }
        double g = Sigmoid(a);
        double common = (g - y) * g * (1 - g);

        var dh = new double[D];
        var dw1 = new double[D * M];
        for (int d = 0; d < D; d++)
        {
            dh[d] = common * w2[d];
            for (int m = 0; m < M; m++)
                dw1[d * M + m] = common * w2[d] * s[d] * (1 - s[d]) * z[m];
        }
        return (dh, dw1);
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
