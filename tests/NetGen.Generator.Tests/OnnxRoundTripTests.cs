using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Fuzzing;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Export, then import: a declared network with random parameters and running statistics, written by
/// <c>Onnx.Serialize</c> and compiled back by [OnnxNetwork], holds the same tensors under the same names and
/// answers the same outputs, for every layer kind and activation (issue "ONNX both ways": the round trip is exact).
/// </summary>
public sealed class OnnxRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-roundtrip-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, string, string> Networks() => new()
    {
        { "EveryActivation", "SoftmaxCrossEntropy", """
            [Input(5)]                                        public partial Node X { get; }
            [Dense(8, Activation.Sigmoid)]                    public partial Node A { get; }
            [Dense(8, Activation.Tanh)]                       public partial Node B { get; }
            [Dense(8, Activation.ReLU, Bias = false)]         public partial Node C { get; }
            [Dense(8, Activation.LeakyReLU, Slope = 0.1f)]    public partial Node D { get; }
            [Dense(8, Activation.Softplus)]                   public partial Node E { get; }
            [Dense(8, Activation.BipolarSigmoid)]             public partial Node F { get; }
            [Dense(4, Activation.Softmax)]                    public partial Node Y { get; }
            """ },
        { "Cnn", "MeanSquaredError", """
            [Input(2, 8, 8)]                                  public partial Node X { get; }
            [BatchNorm]                                       public partial Node N0 { get; }
            [Conv2D(3, 3, Activation.ReLU, Padding = 1)]      public partial Node C1 { get; }
            [MaxPool2D(2)]                                    public partial Node P1 { get; }
            [Conv2D(4, 2, Stride = 2)]                        public partial Node C2 { get; }
            [BatchNorm(Momentum = 0.3f)]                      public partial Node N2 { get; }
            [Activation(Activation.ReLU)]                     public partial Node R2 { get; }
            [AvgPool2D(2)]                                    public partial Node P2 { get; }
            [LayerNorm]                                       public partial Node L { get; }
            [Dropout(0.25f)]                                  public partial Node D { get; }
            [Dense(3)]                                        public partial Node Y { get; }
            """ },
        { "Signal", "BinaryCrossEntropy", """
            [Input(2, 16)]                                    public partial Node X { get; }
            [Conv1D(4, 3, Activation.Tanh, Padding = 1)]      public partial Node C { get; }
            [MaxPool1D(2)]                                    public partial Node P { get; }
            [AvgPool1D(2, Stride = 2)]                        public partial Node A { get; }
            [Dense(2, Activation.Sigmoid)]                    public partial Node Y { get; }
            """ },
        { "Residual", "MeanSquaredError", """
            [Input(6)]                                        public partial Node X { get; }
            [Dense(6, Activation.Tanh)]                       public partial Node A { get; }
            [Dense(6, From = nameof(X))]                      public partial Node B { get; }
            [Add(nameof(X), nameof(A), nameof(B))]            public partial Node S { get; }
            [Activation(Activation.ReLU)]                     public partial Node R { get; }
            [Max(nameof(R), nameof(A))]                       public partial Node M { get; }
            [BatchNorm]                                       public partial Node N { get; }
            [Activation(Activation.LeakyReLU, Slope = 0.3f)]  public partial Node L { get; }
            [Activation(Activation.Identity)]                 public partial Node I { get; }
            [Dense(3)]                                        public partial Node Y { get; }
            """ },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ExportedThenImported_HoldsTheSameTensors_AndAnswersTheSame(string name, string loss, string members)
    {
        const int Batch = 5;
        string declared = $$"""
            using NetGen;

            namespace RoundTrip;

            [Network(Loss = Loss.{{loss}})]
            public partial class {{name}}
            {
            {{members}}
            }
            """;
        GeneratorRun first = GeneratorHarness.Run(declared);
        Assert.Empty(first.GeneratorDiagnostics);
        using var original = new NetworkLoader(first.Output);
        INetwork network = original.Create($"RoundTrip.{name}", Batch);
        var random = new Random(name.Length);
        for (int i = 0; i < network.Parameters.Length; i++)
            network.Parameters[i] = 2 * random.NextSingle() - 1;
        foreach (StateTensor tensor in network.StateTensors.ToArray().Where(t => !t.IsCount))
            for (int i = 0; i < tensor.Length; i++)
                network.State[tensor.Offset + i] = tensor.Kind == StateKind.RunningVariance ? 0.5f + random.NextSingle() : random.NextSingle() - 0.5f;

        string path = Path.Combine(_folder, name + ".onnx");
        File.WriteAllBytes(path, global::NetGen.Onnx.Serialize(network));
        GeneratorRun second = OnnxHarness.Run(OnnxHarness.Network(name + ".onnx", $"Loss = Loss.{loss}"), path);
        Assert.Empty(second.GeneratorDiagnostics);
        Assert.Empty(second.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        using var imported = new NetworkLoader(second.Output);
        INetwork copy = imported.Create("Samples.Net", Batch);

        // The same tensors, by name, bit for bit: the weights and the running statistics.
        Assert.Equal(network.ParameterTensors.ToArray().Select(t => (t.Name, t.Length)), copy.ParameterTensors.ToArray().Select(t => (t.Name, t.Length)));
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            ParameterTensor other = copy.ParameterTensors.ToArray().Single(t => t.Name == tensor.Name);
            Assert.Equal(network.Parameters.Slice(tensor.Offset, tensor.Length).ToArray(), copy.Parameters.Slice(other.Offset, other.Length).ToArray());
        }
        Assert.Equal(network.StateTensors.ToArray().Select(t => t.Name), copy.StateTensors.ToArray().Select(t => t.Name));
        Assert.Equal(network.State.ToArray(), copy.State.ToArray());

        // The same outputs: the one computation, written by the same kernels.
        var inputs = new float[Batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = 4 * random.NextSingle() - 2;
        var expected = new float[Batch * network.OutputSize];
        var actual = new float[expected.Length];
        network.Forward(inputs, expected, Batch);
        copy.Forward(inputs, actual, Batch);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void LogitsAfterAnAdd_ImportedWithTheBinaryCrossEntropy_GetASigmoidNodeOfTheirOwn()
    {
        string path = Path.Combine(_folder, "sum.onnx");
        File.WriteAllBytes(path, global::NetGen.Onnx.Serialize(Declared("""
            [Input(3)]                    public partial Node X { get; }
            [Dense(2)]                    public partial Node A { get; }
            [Dense(2, From = nameof(X))]  public partial Node B { get; }
            [Add(nameof(A), nameof(B))]   public partial Node S { get; }
            """, "Sum", out NetworkLoader original)));
        using (original)
        {
            GeneratorRun run = OnnxHarness.Run(OnnxHarness.Network("sum.onnx", "Loss = Loss.BinaryCrossEntropy"), path);
            Assert.Empty(run.GeneratorDiagnostics);
            using var imported = new NetworkLoader(run.Output);
            NetworkGraph graph = imported.Create("Samples.Net", 1).Graph!;
            Assert.Equal(("Probability", GraphNodeKind.Activation, Activation.Sigmoid), (graph.Output.Name, graph.Output.Kind, graph.Output.Activation));
            Assert.Equal(GraphNodeKind.Add, graph.Source(graph.Output).Kind);
        }
    }

    /// <summary>A network declared with <paramref name="members"/> (MSE), compiled and loaded, with parameters in [−1, 1).</summary>
    private static INetwork Declared(string members, string name, out NetworkLoader loader)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            namespace RoundTrip;

            [Network(Loss = Loss.MeanSquaredError)]
            public partial class {{name}}
            {
            {{members}}
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        loader = new NetworkLoader(run.Output);
        INetwork network = loader.Create($"RoundTrip.{name}", 4);
        var random = new Random(name.Length);
        for (int i = 0; i < network.Parameters.Length; i++)
            network.Parameters[i] = 2 * random.NextSingle() - 1;
        return network;
    }

    [Fact]
    public void LogitsAfterABatchNorm_ImportedWithTheCrossEntropy_GetASoftmaxNodeOfTheirOwn()
    {
        // A classifier whose logits come out of a BatchNorm: no layer to put the loss's softmax in, so a node follows it.
        const int Batch = 4;
        INetwork network = Declared("""
            [Input(5)]                    public partial Node X { get; }
            [Dense(3)]                    public partial Node Z { get; }
            [BatchNorm]                   public partial Node N { get; }
            """, "Logits", out NetworkLoader original);
        using var owner = original;
        var random = new Random(3);
        string path = Path.Combine(_folder, "logits.onnx");
        File.WriteAllBytes(path, global::NetGen.Onnx.Serialize(network));

        GeneratorRun second = OnnxHarness.Run(OnnxHarness.Network("logits.onnx", "Loss = Loss.SoftmaxCrossEntropy"), path);
        Assert.Empty(second.GeneratorDiagnostics);
        using var imported = new NetworkLoader(second.Output);
        INetwork classifier = imported.Create("Samples.Net", Batch);
        Assert.Equal([GraphNodeKind.Input, GraphNodeKind.Dense, GraphNodeKind.BatchNorm, GraphNodeKind.Activation], classifier.Graph!.Nodes.Select(n => n.Kind));
        Assert.Equal(("Probabilities", Activation.Softmax), (classifier.Graph.Output.Name, classifier.Graph.Output.Activation));

        var inputs = new float[Batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = 4 * random.NextSingle() - 2;
        var logits = new float[Batch * 3];
        var probabilities = new float[logits.Length];
        network.Forward(inputs, logits, Batch);
        classifier.Forward(inputs, probabilities, Batch);
        for (int n = 0; n < Batch; n++)
        {
            double sum = 0;
            for (int j = 0; j < 3; j++)
                sum += Math.Exp(logits[3 * n + j]);
            for (int j = 0; j < 3; j++)
                Assert.True(Math.Abs(Math.Exp(logits[3 * n + j]) / sum - probabilities[3 * n + j]) <= 1e-6,
                    $"sample {n}, class {j}: softmax of the logits {Math.Exp(logits[3 * n + j]) / sum}, the imported class {probabilities[3 * n + j]}");
        }
    }
}
