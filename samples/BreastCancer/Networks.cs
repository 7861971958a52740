using NetGen;

namespace NetGen.Samples.BreastCancer;

// Problem H on real data: p(benign | x) = σ(wᵀx + b) over the 30 standardised features, and
// L(w, b) = Σ_train [−y ln p − (1 − y) ln(1 − p)] + λ‖w‖², λ = 1. Reduction.Sum makes the data term a sum over the
// training rows (not a mean); L2 = λ adds λ‖w‖² over the weight matrix only, so the bias b is not penalised.
[Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum, L2 = Problem.Lambda)]
public partial class BreastCancerModel
{
    [Input(Problem.Features)]       public partial Node X { get; }
    [Dense(1, Activation.Sigmoid)]  public partial Node P { get; }
}
