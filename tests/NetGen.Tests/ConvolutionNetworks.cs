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

/// <summary>
/// Max pooling of the input, then a convolution and an average pooling with overlapping windows. The max pooling reads
/// the input, whose values the gradient test spaces apart: a finite difference across a tie within a window measures a
/// kink, not a gradient (the pooling kernels' own tests cover pooling after a layer).
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class PooledImage
{
    [Input(1, 8, 8)] public partial Node X { get; }
    [MaxPool2D(2)] public partial Node S1 { get; }
    [Conv2D(3, 3, Activation.Tanh, Padding = 1)] public partial Node C2 { get; }
    [AvgPool2D(2, Stride = 1)] public partial Node S3 { get; }
    [Dense(3)] public partial Node Y { get; }
}

/// <summary>
/// Max pooling with windows side by side after a convolution's activation: the pooling writes the convolution's δ and
/// applies its f′ in the same pass, reading z (softplus, the image; its convolution runs direct) or y (tanh, the signal).
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class PooledActivationImage
{
    [Input(1, 6, 8)] public partial Node X { get; }
    [Conv2D(3, 3, Activation.Softplus, Padding = 1)] public partial Node C1 { get; }
    [MaxPool2D(2)] public partial Node S1 { get; }
    [Dense(3)] public partial Node Y { get; }
}

/// <inheritdoc cref="PooledActivationImage"/>
[Network(Loss = Loss.MeanSquaredError)]
public partial class PooledActivationSignal
{
    [Input(2, 12)] public partial Node X { get; }
    [Conv1D(3, 3, Activation.Tanh, Padding = 1)] public partial Node C1 { get; }
    [MaxPool1D(2)] public partial Node S1 { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>Pooling a signal on two branches (the input's δ has two readers), an overlapping mean, and a sum of the branches.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class PooledSignal
{
    [Input(2, 12)] public partial Node X { get; }
    [MaxPool1D(2)] public partial Node S1 { get; }
    [Conv1D(3, 3, Activation.Sigmoid)] public partial Node C2 { get; }
    [AvgPool1D(3, Stride = 1)] public partial Node S3 { get; }
    [MaxPool1D(4, From = nameof(X))] public partial Node P { get; }
    [Conv1D(3, 2, From = nameof(P))] public partial Node Q { get; }
    [Add(nameof(S3), nameof(Q))] public partial Node Sum { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>The declaration of the convolutional-networks issue, verbatim: LeNet-5 on 28 × 28 digits.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class LeNet
{
    [Input(1, 28, 28)]                            public partial Node Image { get; }  // channels, height, width: PyTorch's C×H×W
    [Conv2D(6, 5, Activation.ReLU, Padding = 2)]  public partial Node C1 { get; }     // 6 × 28 × 28
    [MaxPool2D(2)]                                public partial Node S2 { get; }     // 6 × 14 × 14
    [Conv2D(16, 5, Activation.ReLU)]              public partial Node C3 { get; }     // 16 × 10 × 10
    [MaxPool2D(2)]                                public partial Node S4 { get; }     // 16 × 5 × 5
    [Dense(120, Activation.ReLU)]                 public partial Node F5 { get; }     // reads S4 flattened in C, H, W order
    [Dense(84, Activation.ReLU)]                  public partial Node F6 { get; }
    [Dense(10, Activation.Softmax)]               public partial Node Output { get; }
}

/// <summary>Dropout between two dense layers.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class DropoutChain
{
    [Input(6)] public partial Node X { get; }
    [Dense(16, Activation.Tanh)] public partial Node H { get; }
    [Dropout(0.5f)] public partial Node D { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary><see cref="DropoutChain"/> without its dropout: the same parameters in the same layout.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class DropoutChainEvaluated
{
    [Input(6)] public partial Node X { get; }
    [Dense(16, Activation.Tanh)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>Layer normalisation of a hidden layer, and of the input (its δ only when input gradients are asked for).</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class LayerNormChain
{
    [Input(5)] public partial Node X { get; }
    [LayerNorm] public partial Node N0 { get; }
    [Dense(12, Activation.Tanh)] public partial Node H { get; }
    [LayerNorm(Epsilon = 1e-3f)] public partial Node N1 { get; }
    [Dense(3)] public partial Node Y { get; }
}

/// <summary>Layer normalisation over a convolution's [3, 5, 5] values, as nn.LayerNorm([3, 5, 5]).</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ConvLayerNorm
{
    [Input(2, 5, 5)] public partial Node X { get; }
    [Conv2D(3, 3, Padding = 1)] public partial Node C { get; }
    [LayerNorm] public partial Node N { get; }
    [Dense(2)] public partial Node Y { get; }
}
