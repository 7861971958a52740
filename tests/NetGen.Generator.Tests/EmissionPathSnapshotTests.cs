using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// One snapshot per emission path of the emitter: each loss, each activation (fused into the kernels or run after
/// them), softmax unfused, L2, Max, Add, layers without bias, tiny layers unrolled into straight-line code (and one
/// applying its source's f′), softplus′ by its span kernel, an unreachable layer, a loss scale, the global namespace.
/// Each also compiles without a warning.
/// </summary>
public class EmissionPathSnapshotTests
{
    private const string Usings = "using NetGen;\n\n";

    /// <summary>Declared outside any namespace; the rest are in namespace Paths.</summary>
    private static readonly HashSet<string> s_inGlobalNamespace = ["GlobalNamespace"];

    /// <summary>The generator's warnings a path expects (it has no errors).</summary>
    private static readonly Dictionary<string, string[]> s_expectedWarnings = new() { ["UnreachableLayer"] = ["NG0015"] };

    public static readonly Dictionary<string, string> Networks = new()
    {
        // Every activation on a kernel-lowered layer (20 × 20 weights), softmax not fused with a loss (MSE), leaky ReLU's slope.
        ["EveryActivation"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class EveryActivation
            {
                [Input(5)]                                        public partial Node X { get; }
                [Dense(20, Activation.Sigmoid)]                   public partial Node A { get; }
                [Dense(20, Activation.Tanh)]                      public partial Node B { get; }
                [Dense(20, Activation.ReLU)]                      public partial Node C { get; }
                [Dense(20, Activation.LeakyReLU, Slope = 0.1f)]   public partial Node D { get; }
                [Dense(20, Activation.Softplus)]                  public partial Node E { get; }
                [Dense(20, Activation.BipolarSigmoid)]            public partial Node F { get; }
                [Dense(20, Activation.Softmax)]                   public partial Node G { get; }
                [Dense(3)]                                        public partial Node Y { get; }
            }
            """,
        // Sum of squared errors with an L2 term and layers without bias.
        ["SumSquaredErrorL2NoBias"] = """
            [Network(Loss = Loss.SumSquaredError, L2 = 0.01f)]
            public partial class SumSquaredErrorL2NoBias
            {
                [Input(6)]                                        public partial Node X { get; }
                [Dense(32, Activation.Tanh, Bias = false)]        public partial Node H { get; }
                [Dense(2, Bias = false)]                          public partial Node Y { get; }
            }
            """,
        // Problem L's logistic neuron: binary cross-entropy fused with the sigmoid, the layer unrolled.
        ["LogisticNeuron"] = """
            [Network(Loss = Loss.BinaryCrossEntropy)]
            public partial class LogisticNeuron
            {
                [Input(2)]                                        public partial Node X { get; }
                [Dense(1, Activation.Sigmoid)]                    public partial Node Y { get; }
            }
            """,
        // Softmax fused with cross-entropy, on a kernel layer (24 × 3).
        ["SoftmaxClassifier"] = """
            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            public partial class SoftmaxClassifier
            {
                [Input(13)]                                       public partial Node X { get; }
                [Dense(24, Activation.Tanh)]                      public partial Node H { get; }
                [Dense(3, Activation.Softmax)]                    public partial Node Y { get; }
            }
            """,
        // Max and Add of two branches; unrolled layers (4 × 4, 4 × 2) whose input δ is added to (two readers) or written.
        ["MaxAddUnrolled"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class MaxAddUnrolled
            {
                [Input(4)]                                        public partial Node X { get; }
                [Dense(4, Activation.Tanh)]                       public partial Node P { get; }
                [Dense(4, Activation.ReLU, From = nameof(X))]     public partial Node Q { get; }
                [Max(nameof(P), nameof(Q))]                       public partial Node M { get; }
                [Add(nameof(M), nameof(X))]                       public partial Node S { get; }
                [Dense(2, Activation.Softplus)]                   public partial Node Y { get; }
            }
            """,
        // Two unrolled layers (2 × 3, 3 × 1): Y, H's only reader, writes δH and applies H's tanh′ in the same pass.
        ["UnrolledReaderFusedDerivative"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class UnrolledReaderFusedDerivative
            {
                [Input(2)]                                        public partial Node X { get; }
                [Dense(3, Activation.Tanh)]                       public partial Node H { get; }
                [Dense(1)]                                        public partial Node Y { get; }
            }
            """,
        // A softplus layer with two readers: its δ is added to, then softplus′ = σ(z) runs by its span kernel from the kept z.
        ["SoftplusKernelBackward"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class SoftplusKernelBackward
            {
                [Input(8)]                                        public partial Node X { get; }
                [Dense(20, Activation.Softplus)]                  public partial Node A { get; }
                [Dense(20, Activation.Tanh)]                      public partial Node B { get; }
                [Add(nameof(A), nameof(B))]                       public partial Node S { get; }
                [Dense(3)]                                        public partial Node Y { get; }
            }
            """,
        // U reads the input but nothing reads U (NG0015): it is computed, never trained, and its gradients are cleared.
        ["UnreachableLayer"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class UnreachableLayer
            {
                [Input(6)]                                        public partial Node X { get; }
                [Dense(8, Activation.Tanh)]                       public partial Node H { get; }
                [Dense(8, Activation.ReLU, From = nameof(X))]     public partial Node U { get; }
                [Dense(2, From = nameof(H))]                      public partial Node Y { get; }
            }
            """,
        // A loss scale other than 1 with a summed binary cross-entropy: the coefficient is 0.5, not divided by the batch.
        ["LossScale"] = """
            [Network(Loss = Loss.BinaryCrossEntropy, LossScale = 0.5f, Reduction = Reduction.Sum)]
            public partial class LossScale
            {
                [Input(20)]                                       public partial Node X { get; }
                [Dense(24, Activation.ReLU)]                      public partial Node H { get; }
                [Dense(1, Activation.Sigmoid)]                    public partial Node Y { get; }
            }
            """,
        // Convolutions on an image: padding (ReLU fused into the product), a strided leaky ReLU layer without bias (f runs
        // after the product: it needs its slope), a dense softmax head reading [6, 6, 6] flattened.
        ["Conv2DImage"] = """
            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            public partial class Conv2DImage
            {
                [Input(1, 12, 12)]                                            public partial Node Image { get; }
                [Conv2D(4, 5, Activation.ReLU, Padding = 2)]                  public partial Node C1 { get; }
                [Conv2D(6, 3, Activation.LeakyReLU, Stride = 2, Bias = false)] public partial Node C2 { get; }
                [Dense(10, Activation.Softmax)]                               public partial Node Output { get; }
            }
            """,
        // A signal: softplus keeps z for its f′, then a pointwise (1×1) layer, then a sigmoid output fused with BCE.
        ["Conv1DSignal"] = """
            [Network(Loss = Loss.BinaryCrossEntropy)]
            public partial class Conv1DSignal
            {
                [Input(2, 16)]                                    public partial Node Signal { get; }
                [Conv1D(4, 3, Activation.Softplus)]               public partial Node C1 { get; }
                [Conv1D(3, 1)]                                    public partial Node C2 { get; }
                [Dense(1, Activation.Sigmoid)]                    public partial Node Y { get; }
            }
            """,
        // LeNet-5 as the convolutional-networks issue declares it: convolutions, max pooling after them, dense layers
        // reading a pooled [16, 5, 5] flattened.
        ["LeNet"] = """
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
            """,
        // Max pooling with windows side by side after a convolution whose f′ reads z (softplus): the pooling writes the
        // convolution's δ and applies that f′ from its z; with stride 1 the windows overlap and the pooling adds.
        ["PooledActivations"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class PooledActivations
            {
                [Input(1, 6, 8)]                                  public partial Node X { get; }
                [Conv2D(3, 3, Activation.Softplus, Padding = 1)]  public partial Node C1 { get; }
                [MaxPool2D(2)]                                    public partial Node S1 { get; }
                [Conv2D(2, 2, Activation.ReLU)]                   public partial Node C2 { get; }
                [MaxPool2D(2, Stride = 1)]                        public partial Node S2 { get; }
                [Dense(2)]                                        public partial Node Y { get; }
            }
            """,
        // Pooling the input itself (its δ only when input gradients are asked for), overlapping average windows.
        ["PooledSignal"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class PooledSignal
            {
                [Input(2, 12)]                                    public partial Node X { get; }
                [MaxPool1D(2)]                                    public partial Node S1 { get; }
                [Conv1D(3, 3, Activation.Sigmoid)]                public partial Node C2 { get; }
                [AvgPool1D(3, Stride = 1)]                        public partial Node S3 { get; }
                [Dense(2)]                                        public partial Node Y { get; }
            }
            """,
        // Dropout of the input (its backward only when input gradients are asked for) and between layers: RunForward
        // knows whether it trains, and the class has the masks' seed and SeedDropout.
        ["Dropout"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class Dropout
            {
                [Input(4)]                                        public partial Node X { get; }
                [Dropout(0.2f)]                                   public partial Node D0 { get; }
                [Dense(8, Activation.ReLU)]                       public partial Node H { get; }
                [Dropout(0.5f)]                                   public partial Node D1 { get; }
                [Dense(1)]                                        public partial Node Y { get; }
            }
            """,
        // Layer normalisation of the input and over a convolution's [2, 4, 4] values: γ and β as the node's weight and bias.
        ["LayerNorm"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class LayerNorm
            {
                [Input(1, 4, 4)]                                  public partial Node X { get; }
                [LayerNorm]                                       public partial Node N0 { get; }
                [Conv2D(2, 3, Activation.Tanh, Padding = 1)]      public partial Node C { get; }
                [LayerNorm(Epsilon = 1e-3f)]                      public partial Node N1 { get; }
                [Dense(2)]                                        public partial Node Y { get; }
            }
            """,
        // Batch normalisation of the input image (one channel), of a convolution's [2, 3, 3] values (BatchNorm2d), and of a
        // vector with Momentum and Epsilon (BatchNorm1d, whose training batches need two samples): the training flag, the
        // state buffers and their views, each node's batch moments, the batch check of Backward and BackwardOnLabels.
        ["BatchNorm"] = """
            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            public partial class BatchNorm
            {
                [Input(1, 3, 3)]                                  public partial Node X { get; }
                [BatchNorm]                                       public partial Node N0 { get; }
                [Conv2D(2, 3, Activation.ReLU, Padding = 1)]      public partial Node C { get; }
                [BatchNorm]                                       public partial Node N1 { get; }
                [Dense(4)]                                        public partial Node H { get; }
                [BatchNorm(Momentum = 0.01f, Epsilon = 1e-3f)]    public partial Node N2 { get; }
                [Dense(3, Activation.Softmax)]                    public partial Node Y { get; }
            }
            """,
        // [Activation] nodes: of the input (δX only when asked), ReLU after a BatchNorm2d read by a Dense alone (its f′ in
        // the Dense's input-gradient kernel), softplus after an Add (z kept, its own f′), a leaky ReLU and the identity
        // after it, and the softmax output fused with the cross-entropy (z kept for the loss).
        ["ActivationNodes"] = """
            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            public partial class ActivationNodes
            {
                [Input(1, 4, 4)]                                  public partial Node X { get; }
                [Activation(Activation.Tanh)]                     public partial Node T { get; }
                [Conv2D(2, 3, Padding = 1)]                       public partial Node C { get; }
                [BatchNorm]                                       public partial Node N { get; }
                [Activation(Activation.ReLU)]                     public partial Node R { get; }
                [Dense(5)]                                        public partial Node H { get; }
                [Dense(5)]                                        public partial Node G { get; }
                [Add(nameof(H), nameof(G))]                       public partial Node S { get; }
                [Activation(Activation.Softplus)]                 public partial Node P { get; }
                [Activation(Activation.LeakyReLU, Slope = 0.2f)]  public partial Node L { get; }
                [Activation(Activation.Identity)]                 public partial Node I { get; }
                [Dense(3)]                                        public partial Node Z { get; }
                [Activation(Activation.Softmax)]                  public partial Node Y { get; }
            }
            """,
        // A network outside any namespace: no namespace declaration, global:: names throughout.
        ["GlobalNamespace"] = """
            [Network(Loss = Loss.MeanSquaredError)]
            public partial class GlobalNamespace
            {
                [Input(3)]                                        public partial Node X { get; }
                [Dense(16, Activation.Sigmoid)]                   public partial Node H { get; }
                [Dense(2)]                                        public partial Node Y { get; }
            }
            """,
    };

    public static IEnumerable<object[]> Names()
    {
        foreach (string name in Networks.Keys)
            yield return [name];
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EmissionPath_MatchesSnapshotAndCompilesClean(string name)
    {
        bool global = s_inGlobalNamespace.Contains(name);
        GeneratorRun run = GeneratorHarness.Run(Usings + (global ? "" : "namespace Paths;\n\n") + Networks[name]);
        Assert.Equal(s_expectedWarnings.GetValueOrDefault(name, []), run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Empty(run.CompilationDiagnostics);
        Snapshot.Match(run.Source(global ? $"{name}.g.cs" : $"Paths.{name}.g.cs"), "Paths." + name);
    }
}
