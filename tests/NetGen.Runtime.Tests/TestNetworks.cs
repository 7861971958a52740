using NetGen;

namespace NetGen.Runtime.Tests;

/// <summary>Wide layers: enough weights (256·512 and 512·128) for sample variances within a few percent.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class WideNetwork
{
    [Input(256)] public partial Node X { get; }
    [Dense(512, Activation.ReLU)] public partial Node Hidden { get; }
    [Dense(128)] public partial Node Output { get; }
}

/// <summary>The smallest network with a weight and a bias per layer, for weight files.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class TinyNetwork
{
    [Input(2)] public partial Node X { get; }
    [Dense(3, Activation.Tanh)] public partial Node Hidden { get; }
    [Dense(1)] public partial Node Output { get; }
}

/// <summary>Weights only, to show that bias-free layers save and load.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class NoBiasNetwork
{
    [Input(2)] public partial Node X { get; }
    [Dense(2, Bias = false)] public partial Node Output { get; }
}

/// <summary>A yes/no classifier: binary cross-entropy takes targets in [0, 1].</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
public partial class BinaryNetwork
{
    [Input(2)]                     public partial Node X { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node P { get; }
}

/// <summary>Three classes: softmax cross-entropy takes distributions as target rows, or class labels.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class ThreeClassNetwork
{
    [Input(2)]                     public partial Node X { get; }
    [Dense(5, Activation.Tanh)]    public partial Node H { get; }
    [Dense(3, Activation.Softmax)] public partial Node P { get; }
}
