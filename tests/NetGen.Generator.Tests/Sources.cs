namespace NetGen.Generator.Tests;

/// <summary>Declarations shared by the generator tests, written as a user would.</summary>
public static class Sources
{
    public const string ThreeLayerMlp = """
        using NetGen;

        namespace Samples;

        // Seed problem A: 1 → 64 → 64 → 1, sigmoid hidden layers, mean squared error.
        [Network(Loss = Loss.MeanSquaredError)]
        public partial class ThreeLayerMlp
        {
            [Input(1)]                      public partial Node X { get; }
            [Dense(64, Activation.Sigmoid)] public partial Node Hidden1 { get; }
            [Dense(64, Activation.Sigmoid)] public partial Node Hidden2 { get; }
            [Dense(1)]                      public partial Node Output { get; }
        }
        """;

    public const string ResidualNetwork = """
        using NetGen;

        namespace Samples;

        // Seed problem K: a graph, not a chain.
        [Network(Loss = Loss.SumSquaredError, LossScale = 0.5f)]
        public partial class ResidualNetwork
        {
            [Input(8)]                                                      public partial Node X { get; }
            [Dense(16, Activation.Sigmoid, Bias = false)]                   public partial Node Z { get; }
            [Dense(8, Activation.Sigmoid, Bias = false)]                    public partial Node S { get; }
            [Add(nameof(X), nameof(S))]                                     public partial Node H { get; }
            [Dense(1, Activation.Sigmoid, Bias = false, From = nameof(H))]  public partial Node G { get; }
        }
        """;
}
