using NetGen;

namespace NetGen.Tests;

// Small networks, one per activation, for gradient checks and the reference comparison.

[Network(Loss = Loss.MeanSquaredError)]
public partial class IdentityChain
{
    [Input(3)] public partial Node X { get; }
    [Dense(5)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class SigmoidChain
{
    [Input(3)] public partial Node X { get; }
    [Dense(5, Activation.Sigmoid)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class TanhChain
{
    [Input(4)] public partial Node X { get; }
    [Dense(6, Activation.Tanh)] public partial Node H { get; }
    [Dense(3, Activation.Tanh)] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class ReluChain
{
    [Input(4)] public partial Node X { get; }
    [Dense(7, Activation.ReLU)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class NoBiasChain
{
    [Input(3)] public partial Node X { get; }
    [Dense(4, Activation.Sigmoid, Bias = false)] public partial Node H { get; }
    [Dense(1, Bias = false)] public partial Node Y { get; }
}

/// <summary>Wide enough that every kernel runs its vector path and its remainder (19 and 33 straddle 8 and 16 lanes).</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class WideChain
{
    [Input(19)] public partial Node X { get; }
    [Dense(33, Activation.Sigmoid)] public partial Node H1 { get; }
    [Dense(17, Activation.Tanh)] public partial Node H2 { get; }
    [Dense(5)] public partial Node Y { get; }
}

/// <summary>
/// Sizes that are multiples of no vector width (1, 3, 7, 15, 17, 33, 100), a fan-in long enough for the dot-product
/// tiles (300), and a tiny unrolled head: every lowering and kernel path of a dense layer in one network.
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class OddSizesChain
{
    [Input(7)] public partial Node X { get; }
    [Dense(15, Activation.Tanh)] public partial Node H1 { get; }
    [Dense(17, Activation.Sigmoid)] public partial Node H2 { get; }
    [Dense(33, Activation.Softplus)] public partial Node H3 { get; }
    [Dense(100, Activation.Tanh)] public partial Node H4 { get; }
    [Dense(300, Activation.ReLU)] public partial Node H5 { get; }
    [Dense(3, Activation.Sigmoid)] public partial Node H6 { get; }
    [Dense(1)] public partial Node Y { get; }
}

/// <summary>Problem L's logistic neuron, 2 → 1: the smallest straight-line sample.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
public partial class LogisticNeuron
{
    [Input(2)]                     public partial Node X { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node Y { get; }
}

/// <summary>Three unrolled layers with tanh and ReLU between them: locals passed from layer to layer.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class TanhHead
{
    [Input(4)]                   public partial Node X { get; }
    [Dense(3, Activation.Tanh)]  public partial Node H1 { get; }
    [Dense(4, Activation.ReLU)]  public partial Node H2 { get; }
    [Dense(2)]                   public partial Node Y { get; }
}
