using System.Collections.Generic;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The one table of accuracy bounds. Every accuracy test reads its bound here, and docs/accuracy.md shows the same
/// numbers (a test compares the two, row by row, so that neither can move alone). The key is the first cell of the
/// row in docs/accuracy.md, written there as code.
/// </summary>
public static class AccuracyBounds
{
    /// <summary>
    /// Activation and derivative operators, in ulps of the exact result, the same at every width. softplus′ = δ·σ(z)
    /// may also be off by |δ|·2⁻¹⁴⁹: σ(z) is rounded to a float (a subnormal, or 0 below z ≈ −103.3) before δ multiplies it.
    /// </summary>
    public static readonly Dictionary<string, double> Ulps = new()
    {
        ["sigmoid"] = 2.5, ["tanh"] = 2, ["bipolar"] = 2, ["softplus"] = 1, ["relu"] = 0, ["identity"] = 0,
        ["exp"] = 2, ["quotient"] = 1,
        ["sigmoid′"] = 2, ["tanh′"] = 2, ["bipolar′"] = 2, ["softplus′"] = 3, ["relu′"] = 0, ["identity′"] = 0,
    };

    /// <summary>
    /// Softmax, its backward step, the losses and their gradients. softmax: ulps of p_i per unit of (1 + |z_i − max z|),
    /// since z_i − max z is rounded to a float before e^x reads it. softmax′: in units of 2⁻²⁴·y_i·(|δ_i| + Σ_j y_j|δ_j|),
    /// the size of what δ_i − Σ_j y_j δ_j cancels. The loss sums (accumulated in double): relative to the exact sum. The
    /// loss gradients: ulps of the exact result (the soft-target cross-entropy's in ulps of the larger of c·p·Σt and c·t,
    /// because p·Σt − t cancels).
    /// </summary>
    public static readonly Dictionary<string, double> Losses = new()
    {
        ["softmax"] = 3, ["softmax′"] = 3,
        ["squared-error"] = 1e-14, ["bce-with-logits"] = 1e-14, ["softmax-ce"] = 1e-14, ["softmax-ce-labels"] = 1e-14,
        ["squared-error′"] = 1, ["bce′"] = 1.5, ["softmax-ce′"] = 3, ["softmax-ce-labels′"] = 1.5,
    };

    /// <summary>
    /// End to end, networks of saturating layers at inputs of size 10³ against float64: per tensor, the largest error
    /// relative to the tensor's largest value (the loss: relative to the loss). "chain" is SaturationAccuracyTests'
    /// own float64 pass; "torch-chain", "soft-chain" and "conv-net" are SaturationFixtureTests' PyTorch float64 fixtures.
    /// "first-layer" covers ∂L/∂inputs and the first layer's gradients, which pass through σ′ or tanh′ of z of size 10³.
    /// </summary>
    public static readonly Dictionary<string, double> EndToEnd = new()
    {
        ["chain-first-layer"] = 4e-3, ["chain-first-layer-y-rounded"] = 4e-4, ["chain-deeper-layers"] = 2e-6, ["chain-loss"] = 1e-6,
        ["torch-chain-outputs"] = 1e-6, ["torch-chain-loss"] = 1e-6, ["torch-chain-first-layer"] = 2.5e-4, ["torch-chain-deeper-layers"] = 1e-5,
        ["soft-chain-outputs"] = 2e-6, ["soft-chain-loss"] = 1e-6, ["soft-chain-first-layer"] = 2e-5, ["soft-chain-deeper-layers"] = 2e-5,
        ["conv-net-outputs"] = 2e-6, ["conv-net-loss"] = 1e-6, ["conv-net-first-layer"] = 4e-4, ["conv-net-deeper-layers"] = 1e-5,
    };
}
