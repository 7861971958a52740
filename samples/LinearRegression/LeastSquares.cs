using System;

namespace NetGen.Samples.LinearRegression;

/// <summary>The closed-form least-squares solution w* = (XᵀX)⁻¹Xᵀy, in double, by a Cholesky factorisation of XᵀX.</summary>
public static class LeastSquares
{
    /// <param name="x">Row-major [rows, columns].</param>
    /// <param name="y">[rows].</param>
    public static double[] Solve(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int columns)
    {
        int rows = y.Length;
        if (x.Length != rows * columns)
            throw new ArgumentException($"X holds {x.Length} values; {rows} rows of {columns} need {rows * columns}.", nameof(x));

        // Normal equations: A = XᵀX (symmetric positive definite when X has full column rank), b = Xᵀy.
        var a = new double[columns, columns];
        var b = new double[columns];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < columns; i++)
            {
                double xi = x[r * columns + i];
                b[i] += xi * y[r];
                for (int j = 0; j <= i; j++)
                    a[i, j] += xi * x[r * columns + j];
            }
        }

        // A = LLᵀ, L lower triangular, written over the lower half of A.
        for (int j = 0; j < columns; j++)
        {
            double diagonal = a[j, j];
            for (int k = 0; k < j; k++)
                diagonal -= a[j, k] * a[j, k];
            // Relative to A[j, j]: rounding leaves a tiny positive pivot where an exact one would be 0.
            if (!(diagonal > 1e-12 * a[j, j]))
                throw new ArgumentException("XᵀX is singular: the columns of X are linearly dependent.", nameof(x));
            a[j, j] = Math.Sqrt(diagonal);
            for (int i = j + 1; i < columns; i++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                    sum -= a[i, k] * a[j, k];
                a[i, j] = sum / a[j, j];
            }
        }

        // Solve L u = b (forward), then Lᵀ w = u (backward).
        var w = new double[columns];
        for (int i = 0; i < columns; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++)
                sum -= a[i, k] * w[k];
            w[i] = sum / a[i, i];
        }
        for (int i = columns - 1; i >= 0; i--)
        {
            double sum = w[i];
            for (int k = i + 1; k < columns; k++)
                sum -= a[k, i] * w[k];
            w[i] = sum / a[i, i];
        }
        return w;
    }
}
