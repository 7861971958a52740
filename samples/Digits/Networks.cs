using NetGen;

namespace NetGen.Samples.Digits;

// A softmax MLP for the 8 × 8 digits: 64 standardised pixels → 64 ReLU units → 10 class probabilities, trained on the
// mean cross-entropy of one-hot targets (fused with the softmax, computed with log-sum-exp).
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class DigitsMlp
{
    [Input(Problem.Pixels)]                        public partial Node X { get; }
    [Dense(Problem.Hidden, Activation.ReLU)]       public partial Node Hidden { get; }
    [Dense(Problem.Classes, Activation.Softmax)]   public partial Node Output { get; }
}
