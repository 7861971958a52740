using NetGen;

namespace NetGen.Tests;

// [Activation] nodes on every path the planner can give them: of the input, after an Add (softplus: z kept), after
// another activation node, the identity, read by a Dense (its f′ applied in the Dense's input-gradient step), after a
// BatchNorm of an image (conv → batch norm → ReLU), and as the output.

/// <summary>
/// tanh of the input (δX only when asked for), a residual sum then softplus (z kept, its own f′), a leaky ReLU and the
/// identity after it, a ReLU read by a Dense alone (f′ fused into the Dense), and a sigmoid output under squared error.
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ActivationChain
{
    [Input(6)]                                         public partial Node X { get; }
    [Activation(Activation.Tanh)]                      public partial Node T { get; }
    [Dense(5)]                                         public partial Node H { get; }
    [Dense(5)]                                         public partial Node G { get; }
    [Add(nameof(H), nameof(G))]                        public partial Node S { get; }
    [Activation(Activation.Softplus)]                  public partial Node P { get; }
    [Activation(Activation.LeakyReLU, Slope = 0.2f)]   public partial Node L { get; }
    [Activation(Activation.Identity)]                  public partial Node I { get; }
    [Dense(4)]                                         public partial Node D { get; }
    [Activation(Activation.ReLU)]                      public partial Node R { get; }
    [Dense(3)]                                         public partial Node Z { get; }
    [Activation(Activation.Sigmoid)]                   public partial Node Y { get; }
}

/// <summary>
/// Conv → BatchNorm2d → an activation, the block a convolution's activation cannot express, then a bipolar sigmoid of the
/// pooled image. Softplus rather than the usual ReLU: a batch normalisation centres its values on 0, where a ReLU's kink
/// lets finite differences of ±1e-3 measure the kink, not the gradient (the residual CNN fixture checks ReLU there
/// against PyTorch instead).
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class BatchNormActivation
{
    [Input(1, 6, 6)]                                   public partial Node X { get; }
    [Conv2D(3, 3, Padding = 1)]                        public partial Node C { get; }
    [BatchNorm]                                        public partial Node N { get; }
    [Activation(Activation.Softplus)]                  public partial Node R { get; }
    [AvgPool2D(2)]                                     public partial Node P { get; }
    [Activation(Activation.BipolarSigmoid)]            public partial Node B { get; }
    [Dense(2)]                                         public partial Node Y { get; }
}

/// <summary>A layer's activation as an argument of its Dense: what <see cref="SplitSoftmax"/> computes with a node of its own.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class FusedSoftmax
{
    [Input(7)]                                         public partial Node X { get; }
    [Dense(9, Activation.Tanh)]                        public partial Node H { get; }
    [Dense(4, Activation.Softmax)]                     public partial Node Y { get; }
}

/// <summary><see cref="FusedSoftmax"/> with each activation a node of its own; the softmax output is still fused with the loss.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class SplitSoftmax
{
    [Input(7)]                                         public partial Node X { get; }
    [Dense(9)]                                         public partial Node H { get; }
    [Activation(Activation.Tanh)]                      public partial Node HT { get; }
    [Dense(4)]                                         public partial Node Z { get; }
    [Activation(Activation.Softmax)]                   public partial Node Y { get; }
}
