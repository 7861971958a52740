using System;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// The strong-Wolfe line search of PyTorch's <c>torch.optim.lbfgs._strong_wolfe</c>, for <see cref="Lbfgs"/>: along d
/// from θ, find t with
/// <code>
/// f(θ + t·d) ≤ f(θ) + c₁·t·gᵀd        (sufficient decrease, c₁ = 1e−4)
/// |∇f(θ + t·d)ᵀd| ≤ −c₂·gᵀd           (curvature, c₂ = 0.9)
/// </code>
/// First it brackets (growing t by cubic extrapolation, at most 10× per trial), then zooms into the bracket by cubic
/// interpolation, guarding against steps within 10 % of its ends; at most 25 evaluations after the first, and it stops when the bracket is
/// narrower than 1e−9 in ‖·‖∞ of t·d.
/// </summary>
internal sealed class StrongWolfeLineSearch(int parameterCount)
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const double ToleranceChange = 1e-9;
    private const int MaxIterations = 25;   // PyTorch's max_ls

    private readonly float[] _start = new float[parameterCount];           // θ
    private readonly float[] _startGradient = new float[parameterCount];   // g at θ
    private readonly float[] _newGradient = new float[parameterCount];
    private readonly float[] _previousGradient = new float[parameterCount];
    private readonly float[][] _bracketGradient = [new float[parameterCount], new float[parameterCount]];

    /// <summary>
    /// Searches from the current <paramref name="parameters"/> along <paramref name="direction"/>, starting with step
    /// <paramref name="step"/>. On return the parameters are back at θ, <paramref name="gradientAtStep"/> holds the
    /// gradient at θ + t·d (on entry: the gradient at θ) and the result is (f(θ + t·d), t, evaluations).
    /// </summary>
    public (double Loss, double Step, int Evaluations) Search(Span<float> parameters, ReadOnlySpan<float> gradient, Func<float> closure,
        ReadOnlySpan<float> direction, double step, double loss, Span<float> gradientAtStep, double directional)
    {
        parameters.CopyTo(_start);
        gradientAtStep.CopyTo(_startGradient);
        double t = step, f = loss, gtd = directional;
        double dNorm = Lbfgs.MaxAbs(direction);

        double fNew = Trial(parameters, gradient, closure, direction, t, _newGradient);
        int evaluations = 1;
        double gtdNew = DoubleSums.Dot(_newGradient, direction);
        double tPrevious = 0, fPrevious = f, gtdPrevious = gtd;
        _startGradient.CopyTo(_previousGradient);

        // Bracketing: the bracket holds one point (done) or two, with their losses, gradients and directional derivatives.
        Span<double> bracket = stackalloc double[2];
        Span<double> bracketLoss = stackalloc double[2];
        Span<double> bracketGtd = stackalloc double[2];
        bool done = false, twoPoints = true;
        int iteration = 0;
        while (iteration < MaxIterations)
        {
            if (fNew > f + C1 * t * gtd || (iteration > 1 && fNew >= fPrevious))
            {
                SetBracket(bracket, bracketLoss, bracketGtd, tPrevious, fPrevious, gtdPrevious, _previousGradient, t, fNew, gtdNew, _newGradient);
                break;
            }
            if (Math.Abs(gtdNew) <= -C2 * gtd)   // both conditions hold: t is the step
            {
                bracket[0] = t;
                bracketLoss[0] = fNew;
                bracketGtd[0] = gtdNew;
                _newGradient.CopyTo(_bracketGradient[0]);
                done = true;
                twoPoints = false;
                break;
            }
            if (gtdNew >= 0)   // the slope turned: a minimum lies in [t_prev, t]
            {
                SetBracket(bracket, bracketLoss, bracketGtd, tPrevious, fPrevious, gtdPrevious, _previousGradient, t, fNew, gtdNew, _newGradient);
                break;
            }
            // Extrapolate: the cubic's minimiser, kept in [t + 0.01·(t − t_prev), 10·t].
            double minStep = t + 0.01 * (t - tPrevious);
            double maxStep = t * 10;
            double previous = t;
            t = CubicInterpolate(tPrevious, fPrevious, gtdPrevious, t, fNew, gtdNew, minStep, maxStep);
            tPrevious = previous;
            fPrevious = fNew;
            _newGradient.CopyTo(_previousGradient);
            gtdPrevious = gtdNew;
            fNew = Trial(parameters, gradient, closure, direction, t, _newGradient);
            evaluations++;
            gtdNew = DoubleSums.Dot(_newGradient, direction);
            iteration++;
        }
        if (iteration == MaxIterations)
        {
            // Out of evaluations while still descending: the bracket is [0, t] (PyTorch leaves its derivatives unset; the zoom below never runs).
            SetBracket(bracket, bracketLoss, bracketGtd, 0, f, gtd, _startGradient, t, fNew, gtdNew, _newGradient);
        }

        // Zoom.
        bool insufficientProgress = false;
        int low = 0, high = 1;
        if (twoPoints && bracketLoss[0] > bracketLoss[1])
            (low, high) = (1, 0);
        while (!done && iteration < MaxIterations)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < ToleranceChange)
                break;
            double lo = Math.Min(bracket[0], bracket[1]), hi = Math.Max(bracket[0], bracket[1]);
            t = CubicInterpolate(bracket[0], bracketLoss[0], bracketGtd[0], bracket[1], bracketLoss[1], bracketGtd[1], lo, hi);
            // Too close to an end of the bracket: move 10 % of its width inside, unless the last step made progress.
            double eps = 0.1 * (hi - lo);
            if (Math.Min(hi - t, t - lo) < eps)
            {
                if (insufficientProgress || t >= hi || t <= lo)
                {
                    t = Math.Abs(t - hi) < Math.Abs(t - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }

            fNew = Trial(parameters, gradient, closure, direction, t, _newGradient);
            evaluations++;
            gtdNew = DoubleSums.Dot(_newGradient, direction);
            iteration++;

            if (fNew > f + C1 * t * gtd || fNew >= bracketLoss[low])
            {
                // Not enough decrease: t replaces the high end.
                bracket[high] = t;
                bracketLoss[high] = fNew;
                bracketGtd[high] = gtdNew;
                _newGradient.CopyTo(_bracketGradient[high]);
                (low, high) = bracketLoss[0] <= bracketLoss[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -C2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                {
                    // The minimum lies between t and the low end: the old low end becomes the high one.
                    bracket[high] = bracket[low];
                    bracketLoss[high] = bracketLoss[low];
                    bracketGtd[high] = bracketGtd[low];
                    _bracketGradient[low].CopyTo(_bracketGradient[high]);
                }
                bracket[low] = t;
                bracketLoss[low] = fNew;
                bracketGtd[low] = gtdNew;
                _newGradient.CopyTo(_bracketGradient[low]);
            }
        }

        _start.CopyTo(parameters);
        _bracketGradient[low].CopyTo(gradientAtStep);
        return (bracketLoss[low], bracket[low], evaluations);
    }

    private void SetBracket(Span<double> bracket, Span<double> loss, Span<double> gtd,
        double t0, double f0, double gtd0, float[] g0, double t1, double f1, double gtd1, float[] g1)
    {
        bracket[0] = t0;
        loss[0] = f0;
        gtd[0] = gtd0;
        g0.CopyTo(_bracketGradient[0]);
        bracket[1] = t1;
        loss[1] = f1;
        gtd[1] = gtd1;
        g1.CopyTo(_bracketGradient[1]);
    }

    /// <summary>f and ∇f at θ + t·d (the parameters are restored to θ afterwards).</summary>
    private double Trial(Span<float> parameters, ReadOnlySpan<float> gradient, Func<float> closure, ReadOnlySpan<float> direction, double t, float[] gradientCopy)
    {
        _start.CopyTo(parameters);
        Lbfgs.Add(parameters, t, direction);
        float loss = Lbfgs.Evaluate(closure, gradient, gradientCopy, lineSearch: true);
        _start.CopyTo(parameters);
        return loss;
    }

    /// <summary>
    /// The minimiser of the cubic through (x₁, f₁) and (x₂, f₂) with slopes g₁ and g₂, clamped to [lower, upper]; the
    /// interval's midpoint when the cubic has no minimiser (d₂² &lt; 0).
    /// </summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lower, double upper)
    {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0)
        {
            double d2 = Math.Sqrt(d2Square);
            double minimum = x1 <= x2
                ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.Min(Math.Max(minimum, lower), upper);
        }
        return (lower + upper) / 2;
    }
}
