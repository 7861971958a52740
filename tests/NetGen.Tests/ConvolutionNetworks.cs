using NetGen;

namespace NetGen.Tests;

/// <summary>
/// Padding, a stride of 2, a non-square image, odd channel counts, and a dense layer reading a [4, 3, 3] node
/// flattened (C, then H, then W).
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class Conv2DChain
{
    [Input(2, 7, 6)] public partial Node Image { get; }
    [Conv2D(3, 3, Activation.Tanh, Padding = 1)] public partial Node C1 { get; }
    [Conv2D(4, 2, Activation.Sigmoid, Stride = 2)] public partial Node C2 { get; }
    [Dense(3)] public partial Node Y { get; }
}

/// <summary>A signal: softplus (its f′ reads the kept z), stride and padding together, then a pointwise (1×1) layer without bias.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class Conv1DChain
{
    [Input(3, 11)] public partial Node Signal { get; }
    [Conv1D(5, 3, Activation.Softplus, Stride = 2, Padding = 2)] public partial Node C1 { get; }
    [Conv1D(2, 1, Bias = false)] public partial Node C2 { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>
/// A residual block on an image (the input's δ gets two readers), a pointwise layer whose leaky ReLU runs after the
/// product (it needs its slope).
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ConvResidual
{
    [Input(2, 5, 5)] public partial Node X { get; }
    [Conv2D(2, 3, Activation.Tanh, Padding = 1)] public partial Node A { get; }
    [Add(nameof(A), nameof(X))] public partial Node S { get; }
    [Conv2D(3, 1, Activation.LeakyReLU, Slope = 0.2f)] public partial Node P { get; }
    [Dense(3)] public partial Node Y { get; }
}
