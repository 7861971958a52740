using NetGen;

namespace NetGen.Samples.ThreeLayerMlp;

// Seed problem A: 1 → 64 → 64 → 1, sigmoid hidden layers, linear output, PyTorch's MSELoss.
[Network(Loss = Loss.MeanSquaredError)]
public partial class ThreeLayerMlp
{
    [Input(1)]                      public partial Node X { get; }
    [Dense(64, Activation.Sigmoid)] public partial Node Hidden1 { get; }
    [Dense(64, Activation.Sigmoid)] public partial Node Hidden2 { get; }
    [Dense(1)]                      public partial Node Output { get; }
}
