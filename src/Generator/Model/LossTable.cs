using System;

namespace NetGen.Generator.Model;

/// <summary>What the generator knows about one loss: its maths, the activation it fuses with, how it reduces over the
/// batch, and the runtime kernels that compute it and its gradient.</summary>
/// <param name="FusedActivation">The output activation the loss requires and folds into its gradient (σ for binary
/// cross-entropy, softmax for cross-entropy), or null when it takes the output as it is.</param>
/// <param name="TakesReduction">Whether [Network(Reduction = …)] applies; a loss without it reduces as <paramref name="Mean"/> says.</param>
/// <param name="Mean">How it reduces by default (and always, without <paramref name="TakesReduction"/>): a mean, or a sum.</param>
/// <param name="MeanOverOutputs">A mean divides by batch × outputs (PyTorch's MSELoss and BCELoss) rather than by the batch (CrossEntropyLoss).</param>
/// <param name="Formula">The loss for comments: "{s}" the scale, "{r}" the reduction, "{y}" the output's name.</param>
/// <param name="Value">The kernel call returning the sum of the terms: "{y}" the output values, "{z}" its logits, "{t}" the targets, "{n}" the row length.</param>
/// <param name="GradientComment">∂L/∂(what the backward pass starts from), for comments: "{y}" the output's name, "{c}" the coefficient.</param>
/// <param name="Gradient">The kernel call writing that gradient into "{d}", scaled by "{c}".</param>
/// <param name="HasClassIndexApi">The generated class also takes class labels as targets (a one-hot row as one int): it
/// implements ILabelNetwork with BackwardOnLabels and ComputeLossOnLabels.</param>
/// <param name="TargetCheck">The NetworkArguments method that Backward and ComputeLoss call on their targets (the loss
/// has no answer for other values), or null when any finite target will do; "Describe…" in place of its "Check" names
/// the twin that returns the problem, for INetwork.DescribeInvalidTargets (which a Dataset is checked with).</param>
internal sealed record LossInfo(
    Loss Kind,
    Activation? FusedActivation,
    bool TakesReduction,
    bool Mean,
    bool MeanOverOutputs,
    string Formula,
    string Value,
    string GradientComment,
    string Gradient,
    bool HasClassIndexApi,
    string? TargetCheck)
{
    /// <summary>The NetworkArguments method that returns what <see cref="TargetCheck"/> would throw about, or null.</summary>
    public string? TargetDescription => TargetCheck is null ? null : "Describe" + TargetCheck.Substring("Check".Length);
}

/// <summary>The one table of losses: the validator, the planner and the emitter read it, and nothing else knows a loss.</summary>
internal static class LossTable
{
    /// <summary>One row per member of <see cref="Loss"/>, in the enum's order (a test checks both against the runtime).</summary>
    public static LossInfo[] Rows { get; } =
    [
        new(Loss.MeanSquaredError, null, TakesReduction: false, Mean: true, MeanOverOutputs: true,
            "L = {s}{r}({y} − t)²",
            "SquaredError({y}, {t})",
            "δ{y} = ∂L/∂{y} = 2·c·({y} − t), c = {c}",
            "SquaredErrorGradient({d}, {y}, {t}, {c})",
            HasClassIndexApi: false, TargetCheck: null),
        new(Loss.SumSquaredError, null, TakesReduction: false, Mean: false, MeanOverOutputs: true,
            "L = {s}{r}({y} − t)²",
            "SquaredError({y}, {t})",
            "δ{y} = ∂L/∂{y} = 2·c·({y} − t), c = {c}",
            "SquaredErrorGradient({d}, {y}, {t}, {c})",
            HasClassIndexApi: false, TargetCheck: null),
        new(Loss.BinaryCrossEntropy, Activation.Sigmoid, TakesReduction: true, Mean: true, MeanOverOutputs: true,
            "L = {s}{r}[max(z, 0) − z·t + log(1 + e^−|z|)], z the logit of {y} = σ(z)",
            "BinaryCrossEntropyWithLogits({z}, {t})",
            "Fused with the sigmoid: δz = ∂L/∂z = c·(σ(z) − t), c = {c}",
            "BinaryCrossEntropyGradient({d}, {y}, {t}, {c})",
            HasClassIndexApi: false, TargetCheck: "CheckBinaryTargets"),
        new(Loss.SoftmaxCrossEntropy, Activation.Softmax, TakesReduction: true, Mean: true, MeanOverOutputs: false,
            "L = {s}{r}Σ_j t_j (logsumexp(z) − z_j), z the logits of {y} = softmax(z)",
            "SoftmaxCrossEntropy({z}, {t}, {n})",
            "Fused with the softmax: δz = ∂L/∂z = c·(softmax(z)·Σ_j t_j − t), c = {c}",
            "SoftmaxCrossEntropyGradient({d}, {y}, {t}, {n}, {c})",
            HasClassIndexApi: true, TargetCheck: "CheckDistributionTargets"),
    ];

    /// <summary>The row of <paramref name="kind"/>; an undefined value (the validator reports it first) is an error here.</summary>
    public static LossInfo Get(Loss kind)
    {
        foreach (LossInfo row in Rows)
            if (row.Kind == kind)
                return row;
        throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a loss NetGen knows.");
    }

    public static bool IsDefined(Loss kind) => Array.Exists(Rows, row => row.Kind == kind);
}
