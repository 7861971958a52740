namespace NetGen;

/// <summary>
/// AdamW (Loshchilov and Hutter): Adam with the weight decay decoupled from the gradient, step for step as
/// PyTorch's <c>torch.optim.AdamW</c>:
/// <code>
/// θ ← θ·(1 − η·λ)
/// m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²          (g = ∂L/∂θ, no decay term)
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class AdamW : AdaptiveMomentOptimizer
{
    /// <summary>Creates the optimiser; the defaults are PyTorch's (λ = 0.01).</summary>
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 1e-2f)
        : base(nameof(AdamW), learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    private protected override bool DecoupledDecay => true;
}
