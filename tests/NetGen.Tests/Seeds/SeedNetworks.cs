using NetGen;

namespace NetGen.Tests.Seeds;

// Small networks that cover every activation, loss and graph construct of the language, with sizes chosen
// to be odd (1, 3, 5, 7, 17, 33: below, at and across the 8- and 16-lane vector widths).

[Network(Loss = Loss.MeanSquaredError)]
public partial class LeakyReluChain
{
    [Input(5)] public partial Node X { get; }
    [Dense(7, Activation.LeakyReLU, Slope = 0.1f)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class SoftplusChain
{
    [Input(4)] public partial Node X { get; }
    [Dense(17, Activation.Softplus)] public partial Node H { get; }
    [Dense(3)] public partial Node Y { get; }
}

[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class BipolarSigmoidChain
{
    [Input(4)] public partial Node X { get; }
    [Dense(5, Activation.BipolarSigmoid)] public partial Node H { get; }
    [Dense(2, Activation.BipolarSigmoid, Bias = false)] public partial Node Y { get; }
}

/// <summary>Softmax inside the network and on an output without a fused loss: its full Jacobian runs.</summary>
[Network(Loss = Loss.SumSquaredError)]
public partial class SoftmaxWithSquaredError
{
    [Input(3)] public partial Node X { get; }
    [Dense(4, Activation.Softmax)] public partial Node P { get; }
    [Dense(6, Activation.Tanh)] public partial Node H { get; }
#pragma warning disable NG0026 // deliberate: this network exists to test the softmax Jacobian's backward pass
    [Dense(5, Activation.Softmax)] public partial Node Y { get; }
#pragma warning restore NG0026
}

[Network(Loss = Loss.BinaryCrossEntropy)]
public partial class BinaryCrossEntropyMean
{
    [Input(4)] public partial Node X { get; }
    [Dense(5, Activation.Tanh)] public partial Node H { get; }
    [Dense(3, Activation.Sigmoid)] public partial Node Y { get; }
}

/// <summary>Problem H's shape with a hidden layer: Σ BCE + λ‖W‖².</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum, L2 = 0.5f)]
public partial class BinaryCrossEntropySumWithL2
{
    [Input(4)] public partial Node X { get; }
    [Dense(3, Activation.Sigmoid)] public partial Node H { get; }
    [Dense(1, Activation.Sigmoid, Bias = false)] public partial Node Y { get; }
}

[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class SoftmaxCrossEntropyMean
{
    [Input(4)] public partial Node X { get; }
    [Dense(6, Activation.Tanh)] public partial Node H { get; }
    [Dense(5, Activation.Softmax)] public partial Node Y { get; }
}

[Network(Loss = Loss.SoftmaxCrossEntropy, Reduction = Reduction.Sum, LossScale = 2f, L2 = 0.1f)]
public partial class SoftmaxCrossEntropySumWithL2
{
    [Input(3)] public partial Node X { get; }
    [Dense(33, Activation.Sigmoid)] public partial Node H { get; }
    [Dense(3, Activation.Softmax)] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError, L2 = 0.25f)]
public partial class SquaredErrorWithL2
{
    [Input(3)] public partial Node X { get; }
    [Dense(5, Activation.Tanh)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>Problem K's residual shape, small: H = X + S, and X is read twice (by Z and by H).</summary>
[Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
public partial class SmallResidual
{
    [Input(3)] public partial Node X { get; }
    [Dense(5, Activation.Sigmoid, Bias = false)] public partial Node Z { get; }
    [Dense(3, Activation.Sigmoid, Bias = false)] public partial Node S { get; }
    [Add(nameof(X), nameof(S))] public partial Node H { get; }
    [Dense(2, Activation.Sigmoid, Bias = false, From = nameof(H))] public partial Node G { get; }
}

/// <summary>An element-wise max of three branches that all read the input (problem D).</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class MaxOfThree
{
    [Input(3)] public partial Node X { get; }
    [Dense(4, Activation.Tanh)] public partial Node A { get; }
    [Dense(4, Activation.Sigmoid, From = nameof(X))] public partial Node B { get; }
    [Dense(4, From = nameof(X))] public partial Node C { get; }
    [Max(nameof(A), nameof(B), nameof(C))] public partial Node M { get; }
    [Dense(2)] public partial Node Y { get; }
}

/// <summary>
/// One node with several consumers (H feeds A, B and the sum), an output declared before the nodes it reads
/// (<c>Output =</c> and a forward <c>From</c>), and an Add of three operands.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Output = nameof(Y))]
public partial class SharedNodes
{
    [Input(4)] public partial Node X { get; }
    [Dense(2, From = nameof(Sum))] public partial Node Y { get; }
    [Dense(5, Activation.Tanh, From = nameof(X))] public partial Node H { get; }
    [Dense(5, Activation.Sigmoid)] public partial Node A { get; }
    [Dense(5, Activation.Softplus, From = nameof(H))] public partial Node B { get; }
    [Add(nameof(A), nameof(B), nameof(H))] public partial Node Sum { get; }
}

/// <summary>Problem C's cross-entropy on logits f: W = I and b = 0 make the logits equal the input.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Reduction = Reduction.Sum)]
public partial class CrossEntropyOfLogits
{
    [Input(3)] public partial Node F { get; }
    [Dense(3, Activation.Softmax)] public partial Node P { get; }
}

/// <summary>Binary cross-entropy on a logit: W = 1 and b = 0 make z equal the input.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum)]
public partial class BinaryCrossEntropyOfLogit
{
    [Input(1)] public partial Node Z { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node Y { get; }
}

/// <summary>Problem D: y = max(a, b) of two linear maps of x, then a linear read-out.</summary>
[Network(Loss = Loss.SumSquaredError)]
public partial class MaxOfTwo
{
    [Input(2)] public partial Node X { get; }
    [Dense(3, Bias = false)] public partial Node A { get; }
    [Dense(3, Bias = false, From = nameof(X))] public partial Node B { get; }
    [Max(nameof(A), nameof(B))] public partial Node M { get; }
    [Dense(1, Bias = false)] public partial Node Y { get; }
}

// Problem E.

[Network(Loss = Loss.MeanSquaredError)]
public partial class ReluOnce
{
    [Input(7)] public partial Node X { get; }
    [Dense(7, Activation.ReLU)] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class ReluTwice
{
    [Input(7)] public partial Node X { get; }
    [Dense(7, Activation.ReLU)] public partial Node R1 { get; }
    [Dense(7, Activation.ReLU)] public partial Node R2 { get; }
}

[Network(Loss = Loss.SumSquaredError)]
public partial class OneUnit
{
    [Input(1)] public partial Node X { get; }
    [Dense(1, Activation.Tanh)] public partial Node Tanh { get; }
    [Dense(1, Activation.Sigmoid, From = nameof(X))] public partial Node Sigmoid { get; }
    [Dense(1, Activation.Softplus, From = nameof(X))] public partial Node Softplus { get; }
    [Add(nameof(Tanh), nameof(Sigmoid), nameof(Softplus))] public partial Node Y { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class SigmoidMlp
{
    [Input(3)] public partial Node X { get; }
    [Dense(5, Activation.Sigmoid)] public partial Node Y1 { get; }
    [Dense(4, Activation.Sigmoid)] public partial Node Y2 { get; }
    [Dense(2)] public partial Node Y3 { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class TanhMlp
{
    [Input(3)] public partial Node X { get; }
    [Dense(5, Activation.Tanh)] public partial Node Y1 { get; }
    [Dense(4, Activation.Tanh)] public partial Node Y2 { get; }
    [Dense(2)] public partial Node Y3 { get; }
}

// Problem F: f(x) = Σ_j u_j·σ(a_j x + b_j), no output bias.

[Network(Loss = Loss.MeanSquaredError)]
public partial class TwoLayerRelu
{
    [Input(1)] public partial Node X { get; }
    [Dense(4, Activation.ReLU)] public partial Node H { get; }
    [Dense(1, Bias = false)] public partial Node F { get; }
}

[Network(Loss = Loss.MeanSquaredError)]
public partial class TwoLayerLeakyRelu
{
    [Input(1)] public partial Node X { get; }
    [Dense(4, Activation.LeakyReLU, Slope = 0.01f)] public partial Node H { get; }
    [Dense(1, Bias = false)] public partial Node F { get; }
}

/// <summary><see cref="SquaredErrorWithL2"/> without its L2 term: the same layout, to isolate what L2 adds.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class SquaredErrorTwinWithoutL2
{
    [Input(3)] public partial Node X { get; }
    [Dense(5, Activation.Tanh)] public partial Node H { get; }
    [Dense(2)] public partial Node Y { get; }
}
