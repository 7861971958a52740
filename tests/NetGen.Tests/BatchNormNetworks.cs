using NetGen;

namespace NetGen.Tests;

// Batch normalisation in each of its three forms (nn.BatchNorm1d of a vector, of a [C, L] node, nn.BatchNorm2d), at
// channel counts of 1, 3 and 5 and values per channel that are no multiple of any vector width.

/// <summary>BatchNorm1d of the input's 5 features (its δ only when input gradients are asked for) and of a hidden layer's 7.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class BatchNormVector
{
    [Input(5)] public partial Node X { get; }
    [BatchNorm] public partial Node N0 { get; }
    [Dense(7, Activation.Tanh)] public partial Node H { get; }
    [BatchNorm(Momentum = 0.25f, Epsilon = 1e-3f)] public partial Node N1 { get; }
    [Dense(3)] public partial Node Y { get; }
}

/// <summary>BatchNorm1d of a [3, 11] signal: three channels over 11 values and the batch.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class BatchNormSignal
{
    [Input(2, 13)] public partial Node X { get; }
    [Conv1D(3, 3)] public partial Node C { get; }
    [BatchNorm] public partial Node N { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>BatchNorm2d of a [5, 7, 9] image after a convolution: five channels over 63 values and the batch.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class BatchNormImage
{
    [Input(2, 7, 9)] public partial Node X { get; }
    [Conv2D(5, 3, Padding = 1)] public partial Node C { get; }
    [BatchNorm(Momentum = 0.5f)] public partial Node N { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>BatchNorm1d of a one-channel signal read straight from the input, and a residual around it.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class BatchNormOneChannel
{
    [Input(1, 13)] public partial Node X { get; }
    [BatchNorm] public partial Node N { get; }
    [Add("X", "N")] public partial Node R { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>
/// The network of the PyTorch fixture (Fixtures/make_batchnorm_fixture.py): a convolution with ReLU, BatchNorm2d, max
/// pooling, a linear layer, BatchNorm1d and a softmax head. PyTorch's modules C, N1, H, N2 and Y hold the same tensors
/// under the same names.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class BatchNormCnn
{
    [Input(2, 8, 8)] public partial Node Image { get; }
    [Conv2D(4, 3, Activation.ReLU, Padding = 1)] public partial Node C { get; }   // 4 × 8 × 8
    [BatchNorm] public partial Node N1 { get; }
    [MaxPool2D(2)] public partial Node P { get; }                                // 4 × 4 × 4
    [Dense(6)] public partial Node H { get; }
    [BatchNorm(Momentum = 0.2f)] public partial Node N2 { get; }
    [Dense(3, Activation.Softmax)] public partial Node Y { get; }
}
