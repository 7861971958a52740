using NetGen;

namespace NetGen.Samples.LogisticRegression;

// Seed problem H: f(x; w) = σ(wᵀx), no bias; L(w) = Σᵢ [−yᵢ ln f − (1 − yᵢ) ln(1 − f)] + ‖w‖².
[Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum, L2 = 1f)]
public partial class RegularizedLogisticRegression
{
    [Input(Problem.Features)]                     public partial Node X { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)]  public partial Node F { get; }
}

// The same model without the L2 term, to show what the term does.
[Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum)]
public partial class PlainLogisticRegression
{
    [Input(Problem.Features)]                     public partial Node X { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)]  public partial Node F { get; }
}

// Seed problem I: f(x; w) = (1 − e^{−wᵀx})/(1 + e^{−wᵀx}), y ∈ {−1, 1}, L = ½ Σᵢ (f − yᵢ)².
[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class BipolarSigmoidRegression
{
    [Input(Problem.Features)]                            public partial Node X { get; }
    [Dense(1, Activation.BipolarSigmoid, Bias = false)]  public partial Node F { get; }
}

// Seed problem L: ŷ = σ(w₁x₁ + w₂x₂ + p₀), L = (ŷ − y)²: the bias of the layer is p₀.
[Network(Loss = Loss.SumSquaredError)]
public partial class LogisticNeuron
{
    [Input(2)]                     public partial Node X { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node Y { get; }
}
