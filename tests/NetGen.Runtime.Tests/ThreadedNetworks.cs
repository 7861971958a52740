using NetGen;

namespace NetGen.Runtime.Tests;

/// <summary>A dense network for chunked training: 12 → 24 → 16 → 3.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ChunkedDense
{
    [Input(12)] public partial Node X { get; }
    [Dense(24, Activation.Tanh)] public partial Node H1 { get; }
    [Dense(16, Activation.ReLU)] public partial Node H2 { get; }
    [Dense(3)] public partial Node Y { get; }
}

/// <summary>A residual graph: y = W·relu(x + tanh(W₁x)) + b.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ChunkedResidual
{
    [Input(8)] public partial Node X { get; }
    [Dense(8, Activation.Tanh)] public partial Node H { get; }
    [Add(nameof(X), nameof(H))] public partial Node S { get; }
    [Dense(6, Activation.ReLU)] public partial Node R { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>A small LeNet-like CNN on 1 × 8 × 8 images, three classes, trained on labels.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class ChunkedCnn
{
    [Input(1, 8, 8)] public partial Node X { get; }
    [Conv2D(4, 3, Activation.ReLU)] public partial Node C1 { get; }
    [MaxPool2D(2)] public partial Node P1 { get; }
    [Conv2D(6, 2, Activation.ReLU)] public partial Node C2 { get; }
    [Dense(10, Activation.Tanh)] public partial Node F { get; }
    [Dense(3, Activation.Softmax)] public partial Node Y { get; }
}

/// <summary>Dropout between two dense layers: its masks are drawn per chunk.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ChunkedDropout
{
    [Input(6)] public partial Node X { get; }
    [Dense(16, Activation.ReLU)] public partial Node H { get; }
    [Dropout(0.3f)] public partial Node D { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>A summed loss with an L2 penalty: the chunks' losses add up, and the penalty must count once.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum, L2 = 0.01f)]
public partial class ChunkedSumL2
{
    [Input(5)] public partial Node X { get; }
    [Dense(7, Activation.Tanh)] public partial Node H { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node Y { get; }
}

/// <summary>A mean loss with an L2 penalty: every chunk carries the penalty, weighted by its share of the batch.</summary>
[Network(Loss = Loss.MeanSquaredError, L2 = 0.01f)]
public partial class ChunkedMeanL2
{
    [Input(5)] public partial Node X { get; }
    [Dense(7, Activation.Tanh)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>The breast-cancer problem's model on 30 features: a logistic regression, summed cross-entropy plus λ‖w‖².</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum, L2 = 1f)]
public partial class ChunkedLogistic
{
    [Input(30)] public partial Node X { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node P { get; }
}

/// <summary>
/// A CNN with batch normalisation after its convolution (per channel, over the batch and the positions) and after its
/// hidden layer (per feature, over the batch): the chunks of a cut batch meet at both, forward and backward.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class ChunkedBatchNormCnn
{
    [Input(1, 8, 8)] public partial Node X { get; }
    [Conv2D(4, 3)] public partial Node C1 { get; }
    [BatchNorm] public partial Node N1 { get; }
    [Activation(Activation.ReLU)] public partial Node R1 { get; }
    [MaxPool2D(2)] public partial Node P1 { get; }
    [Dense(10)] public partial Node F { get; }
    [BatchNorm(Momentum = 0.2f)] public partial Node N2 { get; }
    [Activation(Activation.Tanh)] public partial Node T { get; }
    [Dense(3, Activation.Softmax)] public partial Node Y { get; }
}
