using NetGen;

namespace NetGen.Samples.ResidualNetwork;

// Seed problem K: a graph, not a chain, and no biases anywhere.
//   z = σ(W0·x)        [M] ← [D]
//   h = x + σ(W1·z)    [D]          (the residual connection)
//   g = σ(w2·h)        [1] ← [D]
//   L = ½ Σᵢ (g(xᵢ) − yᵢ)²
[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class ResidualNetwork
{
    [Input(Problem.D)]                                              public partial Node X { get; }
    [Dense(Problem.M, Activation.Sigmoid, Bias = false)]            public partial Node Z { get; }
    [Dense(Problem.D, Activation.Sigmoid, Bias = false)]            public partial Node S { get; }
    [Add(nameof(X), nameof(S))]                                     public partial Node H { get; }
    [Dense(1, Activation.Sigmoid, Bias = false, From = nameof(H))]  public partial Node G { get; }
}

// The last layer alone, g = σ(w2·h) with the same loss: its gradient with respect to its input is ∂L/∂h.
[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class ResidualHead
{
    [Input(Problem.D)]                            public partial Node H { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)]  public partial Node G { get; }
}
