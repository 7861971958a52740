using System.Globalization;

namespace NetGen.Generator.Model;

/// <summary>What the generator knows about one activation: its maths as comments show it, the runtime operator structs
/// that compute it and its derivative inside a kernel, and how its backward step reads the forward pass.</summary>
/// <param name="Operator">The <c>NetGen.Kernels</c> struct computing f element-wise, or null when f cannot be fused into a kernel (it needs a parameter or a whole row).</param>
/// <param name="DerivativeOperator">The struct computing δ·f′ from (source, δ), or null when not fusable.</param>
/// <param name="DerivativeReadsPreActivation">f′ is computed from z rather than y (softplus: σ(z) from y would cancel badly), so z is kept.</param>
/// <param name="Formula">f applied to an argument, "{0}" standing for it and "{1}" for the slope, for comments ("σ({0})").</param>
/// <param name="DerivativeFormula">f′ in terms of what the backward pass has at hand ("y(1 − y)"), "{1}" standing for the slope.</param>
/// <param name="KernelName">The name of its methods in <c>NetGen.Kernels.Activations</c> (Sigmoid, SigmoidBackward).</param>
internal sealed record ActivationInfo(
    ActivationKind Kind,
    string? Operator,
    string? DerivativeOperator,
    bool DerivativeReadsPreActivation,
    string Formula,
    string DerivativeFormula,
    string KernelName)
{
    /// <summary>Computed inside the kernels (the forward product's epilogue, the reader's input-gradient kernel, unrolled code).</summary>
    public bool Fusable => Operator is not null;
}

/// <summary>The one table of activations, read by the planner (what can be fused, what must be kept) and the emitter (operator names, comments).</summary>
internal static class ActivationTable
{
    private static readonly ActivationInfo[] s_rows =
    [
        new(ActivationKind.Identity, "IdentityOperator", "IdentityDerivativeOperator", false, "{0}", "1", "Identity"),
        new(ActivationKind.Sigmoid, "SigmoidOperator", "SigmoidDerivativeOperator", false, "σ({0})", "y(1 − y)", "Sigmoid"),
        new(ActivationKind.Tanh, "TanhOperator", "TanhDerivativeOperator", false, "tanh({0})", "1 − y²", "Tanh"),
        new(ActivationKind.ReLU, "ReluOperator", "ReluDerivativeOperator", false, "relu({0})", "[y > 0]", "ReLU"),
        new(ActivationKind.LeakyReLU, null, null, false, "leaky_relu({0}, α = {1})", "(y > 0 ? 1 : {1})", "LeakyReLU"),
        new(ActivationKind.Softplus, "SoftplusOperator", "SoftplusDerivativeOperator", true, "softplus({0})", "σ(z)", "Softplus"),
        new(ActivationKind.BipolarSigmoid, "BipolarSigmoidOperator", "BipolarSigmoidDerivativeOperator", false, "bipolar_sigmoid({0})", "½(1 − y²)", "BipolarSigmoid"),
        new(ActivationKind.Softmax, null, null, false, "softmax({0})", "softmax Jacobian: δz_i = y_i(δy_i − Σ_j y_j δy_j)", "Softmax"),
    ];

    public static ActivationInfo Get(ActivationKind kind) => s_rows[(int)kind];

    /// <summary>f applied to <paramref name="argument"/>, as comments write it.</summary>
    public static string Apply(ActivationKind kind, string argument, float slope) =>
        string.Format(CultureInfo.InvariantCulture, Get(kind).Formula, argument, slope.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>f′, as comments write it.</summary>
    public static string Derivative(ActivationKind kind, float slope) =>
        string.Format(CultureInfo.InvariantCulture, Get(kind).DerivativeFormula, "", slope.ToString("R", CultureInfo.InvariantCulture));
}
