namespace NetGen;

/// <summary>
/// Adam (Kingma and Ba), step for step as PyTorch's <c>torch.optim.Adam</c>:
/// <code>
/// g ← ∂L/∂θ + λ·θ                        (weight decay λ, added to the gradient: L2 regularisation)
/// m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// For weight decay decoupled from the gradient (usually the better choice with Adam) use <see cref="AdamW"/>.
/// </summary>
public sealed class Adam : AdaptiveMomentOptimizer
{
    /// <summary>Creates the optimiser; the defaults are PyTorch's.</summary>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(nameof(Adam), learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    private protected override bool DecoupledDecay => false;
}
