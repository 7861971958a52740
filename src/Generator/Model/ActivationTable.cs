using System;
using System.Globalization;

namespace NetGen.Generator.Model;

/// <summary>What the generator knows about one activation: its maths as comments show it, the runtime operator structs
/// that compute it and its derivative inside a kernel, and how its backward step reads the forward pass.</summary>
/// <param name="Operator">The <c>NetGen.Kernels</c> struct computing f element-wise, or null when f cannot be fused into a kernel (it needs a parameter or a whole row).</param>
/// <param name="DerivativeOperator">The struct computing δ·f′ from (source, δ), or null when not fusable.</param>
/// <param name="DerivativeReadsPreActivation">f′ is computed from z rather than y (softplus: σ(z) from y would cancel badly), so z is kept.</param>
/// <param name="Formula">f applied to an argument, "{0}" standing for it and "{1}" for the slope, for comments ("σ({0})").</param>
/// <param name="DerivativeFormula">f′ in terms of what the backward pass has at hand ("y(1 − y)"), "{1}" standing for the slope.</param>
/// <param name="KernelName">The name of its span methods in <c>NetGen.Kernels.Activations</c> (Sigmoid, SigmoidBackward), or null
/// when it has none (identity: nothing to compute, so the planner never asks for one).</param>
/// <param name="Extra">What its span methods take after the spans: nothing, the slope, or the row length (softmax).</param>
internal sealed record ActivationInfo(
    Activation Kind,
    string? Operator,
    string? DerivativeOperator,
    bool DerivativeReadsPreActivation,
    string Formula,
    string DerivativeFormula,
    string? KernelName,
    ActivationExtra Extra = ActivationExtra.None)
{
    /// <summary>Computed inside the kernels (the forward product's epilogue, the reader's input-gradient kernel, unrolled code).</summary>
    public bool Fusable => Operator is not null;
}

/// <summary>The argument an activation's span kernels take besides the spans.</summary>
internal enum ActivationExtra
{
    None,
    /// <summary>The leaky ReLU's slope α.</summary>
    Slope,
    /// <summary>The row length: f reads a whole row (softmax).</summary>
    RowLength,
}

/// <summary>The one table of activations, read by the planner (what can be fused, what must be kept) and the emitter (operator names, comments).</summary>
internal static class ActivationTable
{
    /// <summary>One row per member of <see cref="Activation"/>, in the enum's order (a test checks both against the runtime).</summary>
    public static ActivationInfo[] Rows { get; } =
    [
        new(Activation.Identity, "IdentityOperator", "IdentityDerivativeOperator", false, "{0}", "1", KernelName: null),
        new(Activation.Sigmoid, "SigmoidOperator", "SigmoidDerivativeOperator", false, "σ({0})", "y(1 − y)", "Sigmoid"),
        new(Activation.Tanh, "TanhOperator", "TanhDerivativeOperator", false, "tanh({0})", "(1 − y)(1 + y)", "Tanh"),
        new(Activation.ReLU, "ReluOperator", "ReluDerivativeOperator", false, "relu({0})", "[y > 0]", "ReLU"),
        new(Activation.LeakyReLU, null, null, false, "leaky_relu({0}, α = {1})", "(y > 0 ? 1 : {1})", "LeakyReLU", ActivationExtra.Slope),
        new(Activation.Softplus, "SoftplusOperator", "SoftplusDerivativeOperator", true, "softplus({0})", "σ(z)", "Softplus"),
        new(Activation.BipolarSigmoid, "BipolarSigmoidOperator", "BipolarSigmoidDerivativeOperator", false, "bipolar_sigmoid({0})", "½(1 − y)(1 + y)", "BipolarSigmoid"),
        new(Activation.Softmax, null, null, false, "softmax({0})", "softmax Jacobian: δz_i = y_i(δy_i − Σ_j y_j δy_j)", "Softmax", ActivationExtra.RowLength),
    ];

    /// <summary>The row of <paramref name="kind"/>; an undefined value (the validator reports it first) is an error here.</summary>
    public static ActivationInfo Get(Activation kind)
    {
        foreach (ActivationInfo row in Rows)
            if (row.Kind == kind)
                return row;
        throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an activation NetGen knows.");
    }

    /// <summary>f applied to <paramref name="argument"/>, as comments write it.</summary>
    public static string Apply(Activation kind, string argument, float slope) =>
        string.Format(CultureInfo.InvariantCulture, Get(kind).Formula, argument, slope.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>f′, as comments write it.</summary>
    public static string Derivative(Activation kind, float slope) =>
        string.Format(CultureInfo.InvariantCulture, Get(kind).DerivativeFormula, "", slope.ToString("R", CultureInfo.InvariantCulture));
}
