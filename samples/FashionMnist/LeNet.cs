using NetGen;

namespace NetGen.Samples.FashionMnist;

// LeNet-5 as issue 15 declares it: two 5 × 5 convolutions with ReLU, each followed by 2 × 2 max pooling, then three dense
// layers; softmax over the 10 classes, trained on the mean cross-entropy of the class labels (fused with the softmax).
// 61,706 parameters.
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
