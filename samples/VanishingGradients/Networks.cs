using NetGen;

namespace NetGen.Samples.VanishingGradients;

// Seed problem M, wide: a_0 = x, a_i = σ(W_i·a_(i−1)) for i = 1..10, y = σ(w·a_10); no biases; L = ½ Σ (y − t)².
[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class DeepSigmoidChain
{
    [Input(Problem.Width)] public partial Node X { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A1 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A2 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A3 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A4 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A5 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A6 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A7 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A8 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A9 { get; }
    [Dense(Problem.Width, Activation.Sigmoid, Bias = false)] public partial Node A10 { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node Y { get; }
}

// The same chain with tanh, whose derivative is at most 1 instead of 1/4.
[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class DeepTanhChain
{
    [Input(Problem.Width)] public partial Node X { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A1 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A2 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A3 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A4 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A5 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A6 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A7 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A8 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A9 { get; }
    [Dense(Problem.Width, Activation.Tanh, Bias = false)] public partial Node A10 { get; }
    [Dense(1, Activation.Tanh, Bias = false)] public partial Node Y { get; }
}

// Seed problem M as written: one unit per layer, a_i = σ(w_i·a_(i−1)), y = a_6, so ∂y/∂x = Π_i w_i·σ′(w_i·a_(i−1)).
[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class ScalarSigmoidChain
{
    [Input(1)] public partial Node X { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node A1 { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node A2 { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node A3 { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node A4 { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node A5 { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node A6 { get; }
}
