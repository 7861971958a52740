using NetGen;

namespace NetGen.Tests;

/// <summary>
/// Fixtures/make_saturation_fixtures.py's SoftChain, declared: softplus, the bipolar sigmoid, tanh and a sigmoid output
/// trained with binary cross-entropy, at inputs of size 10³ (widths that use the kernels' vector paths and their tails).
/// </summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
public partial class SaturatingSoftChain
{
    [Input(16)] public partial Node X { get; }
    [Dense(20, Activation.Softplus)] public partial Node H1 { get; }
    [Dense(17, Activation.BipolarSigmoid)] public partial Node H2 { get; }
    [Dense(12, Activation.Tanh)] public partial Node H3 { get; }
    [Dense(5, Activation.Sigmoid)] public partial Node Y { get; }
}

/// <summary>
/// Fixtures/make_saturation_fixtures.py's ConvNet, declared: a sigmoid convolution over inputs of size 10³ (its z are of
/// that size, so most of its units are saturated), average pooling, a tanh convolution, a bipolar sigmoid dense layer
/// and a softplus output.
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class SaturatingConvNet
{
    [Input(2, 11, 11)] public partial Node Image { get; }
    [Conv2D(6, 3, Activation.Sigmoid)] public partial Node C1 { get; }        // 6 × 9 × 9
    [AvgPool2D(3)] public partial Node S1 { get; }                             // 6 × 3 × 3
    [Conv2D(9, 2, Activation.Tanh)] public partial Node C2 { get; }           // 9 × 2 × 2
    [Dense(10, Activation.BipolarSigmoid)] public partial Node F { get; }
    [Dense(4, Activation.Softplus)] public partial Node Y { get; }
}
