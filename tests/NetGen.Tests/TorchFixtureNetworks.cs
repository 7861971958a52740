using NetGen;

namespace NetGen.Tests;

/// <summary>
/// Fixtures/make_torch_fixtures.py's ImageNet, declared: padding, a stride of 2 with padding, a leaky ReLU, max and
/// overlapping average pooling, a layer normalisation over a [5, 3, 3] node and a dense layer reading it flattened.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class TorchImageNet
{
    [Input(2, 10, 10)] public partial Node Image { get; }
    [Conv2D(4, 3, Activation.LeakyReLU, Padding = 1, Slope = 0.1f)] public partial Node C1 { get; }   // 4 × 10 × 10
    [MaxPool2D(2)] public partial Node S1 { get; }                                                       // 4 × 5 × 5
    [Conv2D(5, 2, Activation.Tanh, Stride = 2, Padding = 1)] public partial Node C2 { get; }            // 5 × 3 × 3
    [LayerNorm] public partial Node N { get; }
    [AvgPool2D(2, Stride = 1)] public partial Node S2 { get; }                                           // 5 × 2 × 2
    [Dense(6, Activation.Sigmoid)] public partial Node F { get; }
    [Dense(3, Activation.Softmax)] public partial Node Output { get; }
}

/// <summary>
/// Fixtures/make_torch_fixtures.py's SignalNet, declared: a padded Conv1D, an overlapping max pooling with a stride,
/// a strided Conv1D without bias whose stride leaves the last value unread, softplus, an average pooling.
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class TorchSignalNet
{
    [Input(3, 17)] public partial Node Signal { get; }
    [Conv1D(4, 5, Activation.ReLU, Padding = 2)] public partial Node C1 { get; }                        // 4 × 17
    [MaxPool1D(3, Stride = 2)] public partial Node S1 { get; }                                           // 4 × 8
    [Conv1D(6, 3, Activation.Softplus, Stride = 2, Bias = false)] public partial Node C2 { get; }       // 6 × 3
    [AvgPool1D(3)] public partial Node S2 { get; }                                                       // 6 × 1
    [Dense(2)] public partial Node Y { get; }
}
