using NetGen;

namespace NetGen.Runtime.Tests.OnnxExport;

// Networks for the ONNX export tests: together they hold every layer kind and every activation (ExportCoverageTests
// checks that), with odd sizes, strides, padding and windows, so that a wrong pad order, flatten order or window shows.

/// <summary>5 → 20 sigmoid (a kernel layer) → 3 sigmoid.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportSigmoid
{
    [Input(5)]                      public partial Node X { get; }
    [Dense(20, Activation.Sigmoid)] public partial Node H { get; }
    [Dense(3, Activation.Sigmoid)]  public partial Node Y { get; }
}

/// <summary>5 → 20 tanh → 3 (the last layer without bias).</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportTanh
{
    [Input(5)]                   public partial Node X { get; }
    [Dense(20, Activation.Tanh)] public partial Node H { get; }
    [Dense(3, Bias = false)]     public partial Node Y { get; }
}

/// <summary>5 → 20 ReLU → 3 ReLU.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportRelu
{
    [Input(5)]                   public partial Node X { get; }
    [Dense(20, Activation.ReLU)] public partial Node H { get; }
    [Dense(3, Activation.ReLU)]  public partial Node Y { get; }
}

/// <summary>5 → 20 leaky ReLU (α = 0.2) → 3 leaky ReLU (α = 0.05).</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportLeakyRelu
{
    [Input(5)]                                        public partial Node X { get; }
    [Dense(20, Activation.LeakyReLU, Slope = 0.2f)]   public partial Node H { get; }
    [Dense(3, Activation.LeakyReLU, Slope = 0.05f)]   public partial Node Y { get; }
}

/// <summary>5 → 20 softplus → 3 softplus.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportSoftplus
{
    [Input(5)]                       public partial Node X { get; }
    [Dense(20, Activation.Softplus)] public partial Node H { get; }
    [Dense(3, Activation.Softplus)]  public partial Node Y { get; }
}

/// <summary>5 → 20 bipolar sigmoid → 3 bipolar sigmoid.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportBipolarSigmoid
{
    [Input(5)]                             public partial Node X { get; }
    [Dense(20, Activation.BipolarSigmoid)] public partial Node H { get; }
    [Dense(3, Activation.BipolarSigmoid)]  public partial Node Y { get; }
}

/// <summary>2 → 3 softmax: an unrolled layer (6 weights) fused with cross-entropy in training, plain softmax in Forward.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class ExportSoftmax
{
    [Input(2)]                     public partial Node X { get; }
    [Dense(3, Activation.Softmax)] public partial Node Y { get; }
}

/// <summary>
/// 2×9×7 → Conv2D(4, 3, leaky ReLU, stride 2, padding 1) 4×5×4 → MaxPool2D(2, stride 1) 4×4×3 → Conv2D(3, 2, bipolar
/// sigmoid) 3×3×2 → AvgPool2D(2, stride 1) 3×2×1 → Dense(5, softplus), reading the pooling flattened → Dense(2, sigmoid).
/// </summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
public partial class ExportConv2D
{
    [Input(2, 9, 7)]                                                           public partial Node X { get; }
    [Conv2D(4, 3, Activation.LeakyReLU, Slope = 0.1f, Stride = 2, Padding = 1)] public partial Node C1 { get; }
    [MaxPool2D(2, Stride = 1)]                                                 public partial Node P1 { get; }
    [Conv2D(3, 2, Activation.BipolarSigmoid)]                                  public partial Node C2 { get; }
    [AvgPool2D(2, Stride = 1)]                                                 public partial Node P2 { get; }
    [Dense(5, Activation.Softplus)]                                            public partial Node H { get; }
    [Dense(2, Activation.Sigmoid)]                                             public partial Node Y { get; }
}

/// <summary>1×6×6 → Conv2D(2, 3, softmax over all 2×4×4 values of a sample) → Dense(3): softmax on a shaped node.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportConvSoftmax
{
    [Input(1, 6, 6)]                      public partial Node X { get; }
    [Conv2D(2, 3, Activation.Softmax)]    public partial Node C { get; }
    [Dense(3)]                            public partial Node Y { get; }
}

/// <summary>
/// 3×16 → BatchNorm (per channel) → Conv1D(5, 3, ReLU, padding 1) 5×16 → MaxPool1D(2) 5×8 → Conv1D(4, 3, tanh, stride 2,
/// no bias) 4×3 → AvgPool1D(3) 4×1 → Dense(2).
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportConv1D
{
    [Input(3, 16)]                                             public partial Node X { get; }
    [BatchNorm(Momentum = 0.2f, Epsilon = 1e-3f)]              public partial Node N { get; }
    [Conv1D(5, 3, Activation.ReLU, Padding = 1)]               public partial Node C1 { get; }
    [MaxPool1D(2)]                                             public partial Node P1 { get; }
    [Conv1D(4, 3, Activation.Tanh, Stride = 2, Bias = false)]  public partial Node C2 { get; }
    [AvgPool1D(3)]                                             public partial Node P2 { get; }
    [Dense(2)]                                                 public partial Node Y { get; }
}

/// <summary>
/// 2×5×4 → BatchNorm2d → Conv2D(3, 3, ReLU, padding 1) → LayerNorm over 3×5×4 → Dense(8, ReLU) → BatchNorm1d (8 values)
/// → Dropout(0.3) → LayerNorm (ε 1e-3) → Dense(2).
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportNorms
{
    [Input(2, 5, 4)]                              public partial Node X { get; }
    [BatchNorm]                                   public partial Node B1 { get; }
    [Conv2D(3, 3, Activation.ReLU, Padding = 1)]  public partial Node C { get; }
    [LayerNorm]                                   public partial Node L1 { get; }
    [Dense(8, Activation.ReLU)]                   public partial Node H { get; }
    [BatchNorm]                                   public partial Node B2 { get; }
    [Dropout(0.3f)]                               public partial Node D { get; }
    [LayerNorm(Epsilon = 1e-3f)]                  public partial Node L2 { get; }
    [Dense(2)]                                    public partial Node Y { get; }
}

/// <summary>A residual graph: S = X + A + B (three operands), M = max(S, B), Y = Dense(3) of M.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ExportResidual
{
    [Input(6)]                                         public partial Node X { get; }
    [Dense(6, Activation.Tanh)]                        public partial Node A { get; }
    [Dense(6, Activation.ReLU, From = nameof(X))]      public partial Node B { get; }
    [Add(nameof(X), nameof(A), nameof(B))]             public partial Node S { get; }
    [Max(nameof(S), nameof(B))]                        public partial Node M { get; }
    [Dense(3)]                                         public partial Node Y { get; }
}

/// <summary>
/// [Activation] nodes, each its activation's operator reading the node before: tanh of the input, a ReLU after a
/// BatchNorm2d, a leaky ReLU after an Add, the identity (an Identity node), a softplus after pooling, a softmax output.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class ExportActivations
{
    [Input(1, 4, 4)]                                   public partial Node X { get; }
    [Activation(Activation.Tanh)]                      public partial Node T { get; }
    [Conv2D(2, 3, Padding = 1)]                        public partial Node C { get; }
    [BatchNorm]                                        public partial Node N { get; }
    [Activation(Activation.ReLU)]                      public partial Node R { get; }
    [MaxPool2D(2)]                                     public partial Node P { get; }
    [Activation(Activation.Softplus)]                  public partial Node SP { get; }
    [Dense(5, Activation.Sigmoid)]                     public partial Node H { get; }
    [Dense(5)]                                         public partial Node G { get; }
    [Add(nameof(H), nameof(G))]                        public partial Node S { get; }
    [Activation(Activation.LeakyReLU, Slope = 0.2f)]   public partial Node L { get; }
    [Activation(Activation.Identity)]                  public partial Node I { get; }
    [Dense(3)]                                         public partial Node Z { get; }
    [Activation(Activation.Softmax)]                   public partial Node Y { get; }
}
