using NetGen;

namespace NetGen.Benchmarks;

// The networks measured. SeedMlp is problem A's network, declared exactly as samples/ThreeLayerMlp declares it.

/// <summary>Seed problem A: 1 → 64 → 64 → 1, sigmoid hidden layers, linear output, mean squared error.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class SeedMlp
{
    [Input(1)]                      public partial Node X { get; }
    [Dense(64, Activation.Sigmoid)] public partial Node Hidden1 { get; }
    [Dense(64, Activation.Sigmoid)] public partial Node Hidden2 { get; }
    [Dense(1)]                      public partial Node Output { get; }
}

/// <summary>The same problem with four times the width: 16× the work in the middle layer.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class WideMlp
{
    [Input(1)]                       public partial Node X { get; }
    [Dense(256, Activation.Sigmoid)] public partial Node Hidden1 { get; }
    [Dense(256, Activation.Sigmoid)] public partial Node Hidden2 { get; }
    [Dense(1)]                       public partial Node Output { get; }
}

/// <summary>An MNIST-sized classifier: 784 → 256 → 128 → 10, ReLU, softmax cross-entropy.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class MnistMlp
{
    [Input(784)]                     public partial Node X { get; }
    [Dense(256, Activation.ReLU)]    public partial Node Hidden1 { get; }
    [Dense(128, Activation.ReLU)]    public partial Node Hidden2 { get; }
    [Dense(10, Activation.Softmax)]  public partial Node Output { get; }
}

/// <summary>Problem L's logistic neuron: ŷ = σ(w₀x₀ + w₁x₁ + b). Its single-sample latency is measured against the expression written by hand.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class LogisticNeuron
{
    [Input(2)]                     public partial Node X { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node Y { get; }
}

/// <summary>A small tabular classifier of the UCI wine data's shape: 13 → 24 → 3, ReLU, softmax cross-entropy.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class SoftmaxClassifier
{
    [Input(13)]                    public partial Node X { get; }
    [Dense(24, Activation.ReLU)]   public partial Node Hidden { get; }
    [Dense(3, Activation.Softmax)] public partial Node Output { get; }
}

/// <summary>SimpleChains.jl's README network: 4 → 32 → 16 → 4, tanh, identity output, squared error (trained with Adam).</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class SimpleChainsMlp
{
    [Input(4)]                    public partial Node X { get; }
    [Dense(32, Activation.Tanh)]  public partial Node Hidden1 { get; }
    [Dense(16, Activation.Tanh)]  public partial Node Hidden2 { get; }
    [Dense(4)]                    public partial Node Output { get; }
}

/// <summary>samples/Digits' classifier: 64 → 64 → 10, ReLU, softmax cross-entropy. Its Backward is what the target check is measured against.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class DigitsMlp
{
    [Input(64)]                     public partial Node X { get; }
    [Dense(64, Activation.ReLU)]    public partial Node Hidden { get; }
    [Dense(10, Activation.Softmax)] public partial Node Output { get; }
}

/// <summary>A yes/no classifier of the breast-cancer data's shape: 30 → 16 → 1, ReLU, binary cross-entropy.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
public partial class BinaryClassifier
{
    [Input(30)]                    public partial Node X { get; }
    [Dense(16, Activation.ReLU)]   public partial Node Hidden { get; }
    [Dense(1, Activation.Sigmoid)] public partial Node Output { get; }
}

/// <summary>LeNet-5 as the convolutional-networks issue declares it (28 × 28 digits, 61 706 parameters).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class LeNet
{
    [Input(1, 28, 28)]                            public partial Node Image { get; }
    [Conv2D(6, 5, Activation.ReLU, Padding = 2)]  public partial Node C1 { get; }
    [MaxPool2D(2)]                                public partial Node S2 { get; }
    [Conv2D(16, 5, Activation.ReLU)]              public partial Node C3 { get; }
    [MaxPool2D(2)]                                public partial Node S4 { get; }
    [Dense(120, Activation.ReLU)]                 public partial Node F5 { get; }
    [Dense(84, Activation.ReLU)]                  public partial Node F6 { get; }
    [Dense(10, Activation.Softmax)]               public partial Node Output { get; }
}

/// <summary>
/// LeNet-5 with a batch normalisation after each convolution and after F5 (conv → bn → relu): the threads table's network
/// whose chunks meet at every normalisation to combine the whole batch's statistics.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class LeNetBatchNorm
{
    [Input(1, 28, 28)]                   public partial Node Image { get; }
    [Conv2D(6, 5, Padding = 2)]          public partial Node C1 { get; }
    [BatchNorm]                          public partial Node N1 { get; }
    [Activation(Activation.ReLU)]        public partial Node R1 { get; }
    [MaxPool2D(2)]                       public partial Node S2 { get; }
    [Conv2D(16, 5)]                      public partial Node C3 { get; }
    [BatchNorm]                          public partial Node N3 { get; }
    [Activation(Activation.ReLU)]        public partial Node R3 { get; }
    [MaxPool2D(2)]                       public partial Node S4 { get; }
    [Dense(120)]                         public partial Node F5 { get; }
    [BatchNorm]                          public partial Node N5 { get; }
    [Activation(Activation.ReLU)]        public partial Node R5 { get; }
    [Dense(84, Activation.ReLU)]         public partial Node F6 { get; }
    [Dense(10, Activation.Softmax)]      public partial Node Output { get; }
}

/// <summary>The 1-D CNN of the convolutional-networks issue: 1 × 128 signals, two convolutions with pooling, 4 classes.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class SignalCnn
{
    [Input(1, 128)]                               public partial Node Signal { get; }
    [Conv1D(16, 7, Activation.ReLU, Padding = 3)] public partial Node C1 { get; }   // 16 × 128
    [MaxPool1D(2)]                                public partial Node P1 { get; }   // 16 × 64
    [Conv1D(32, 5, Activation.ReLU, Padding = 2)] public partial Node C2 { get; }   // 32 × 64
    [MaxPool1D(2)]                                public partial Node P2 { get; }   // 32 × 32
    [Dense(64, Activation.ReLU)]                  public partial Node F3 { get; }
    [Dense(4, Activation.Softmax)]                public partial Node Output { get; }
}
