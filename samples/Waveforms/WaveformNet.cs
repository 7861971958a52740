using NetGen;

namespace NetGen.Samples.Waveforms;

// The 1-D CNN of issue 15: two convolutions with ReLU, each followed by max pooling that halves the length, then a dense
// layer and a softmax over the four shapes; trained on the mean cross-entropy of the class labels. 68,580 parameters.
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class WaveformNet
{
    [Input(1, Problem.Length)]                      public partial Node Signal { get; }  // channels, length: PyTorch's C×L
    [Conv1D(16, 7, Activation.ReLU, Padding = 3)]   public partial Node C1 { get; }      // 16 × 128
    [MaxPool1D(2)]                                  public partial Node P1 { get; }      // 16 × 64
    [Conv1D(32, 5, Activation.ReLU, Padding = 2)]   public partial Node C2 { get; }      // 32 × 64
    [MaxPool1D(2)]                                  public partial Node P2 { get; }      // 32 × 32
    [Dense(64, Activation.ReLU)]                    public partial Node Hidden { get; }  // reads P2 flattened in C, L order
    [Dense(Problem.Classes, Activation.Softmax)]    public partial Node Output { get; }
}
