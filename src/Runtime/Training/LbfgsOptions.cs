namespace NetGen;

/// <summary>How <see cref="Lbfgs"/> chooses the step length along its search direction.</summary>
public enum LbfgsLineSearch
{
    /// <summary>A fixed step: the learning rate (on the very first iteration min(1, 1/‖g‖₁)·lr), one evaluation per iteration.</summary>
    None,

    /// <summary>
    /// A line search for a step satisfying the strong Wolfe conditions (sufficient decrease c₁ = 1e−4, curvature c₂ = 0.9),
    /// bracketing then zooming with cubic interpolation, at most 25 evaluations: PyTorch's <c>line_search_fn="strong_wolfe"</c>.
    /// </summary>
    StrongWolfe,
}

/// <summary>Why the latest <see cref="Lbfgs"/> step returned.</summary>
public enum LbfgsStop
{
    /// <summary>The largest |gradient component| is at most the gradient tolerance (at the start, or after an iteration).</summary>
    GradientTolerance,

    /// <summary>The directional derivative gᵀd was above −(change tolerance): no descent is left along d.</summary>
    NoDescentDirection,

    /// <summary>The step's largest |component| was at most the change tolerance.</summary>
    StepTolerance,

    /// <summary>The loss changed by less than the change tolerance.</summary>
    LossChangeTolerance,

    /// <summary>The step ran its maximum number of iterations.</summary>
    MaxIterations,

    /// <summary>The step used its maximum number of function evaluations.</summary>
    MaxEvaluations,
}

/// <summary>What one <see cref="Lbfgs"/> step did.</summary>
/// <param name="InitialLoss">The loss at the parameters the step started from (what PyTorch's <c>step</c> returns).</param>
/// <param name="Loss">The loss at the parameters the step ended with (its last evaluation).</param>
/// <param name="Iterations">Iterations in this step.</param>
/// <param name="Evaluations">Evaluations of the objective in this step.</param>
/// <param name="Stop">Why the step returned.</param>
public readonly record struct LbfgsReport(float InitialLoss, float Loss, int Iterations, int Evaluations, LbfgsStop Stop);

/// <summary>One finished <see cref="Lbfgs"/> iteration, as its progress callback hears of it.</summary>
/// <param name="Iteration">Iterations so far (<see cref="Lbfgs.TotalIterations"/>).</param>
/// <param name="Loss">The loss at the new parameters; when <paramref name="Evaluated"/> is false (the last iteration of a step without a line search, which PyTorch does not re-evaluate) the loss before the iteration.</param>
/// <param name="Evaluations">Evaluations so far (<see cref="Lbfgs.TotalEvaluations"/>).</param>
/// <param name="StepLength">t of the iteration.</param>
/// <param name="Evaluated">Whether the objective was evaluated at the new parameters.</param>
public readonly record struct LbfgsIteration(int Iteration, float Loss, int Evaluations, double StepLength, bool Evaluated);
