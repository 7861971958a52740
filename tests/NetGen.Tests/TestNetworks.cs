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
