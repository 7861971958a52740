using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Runtime.Tests.OnnxExport;

/// <summary>A network written by hand that describes itself with the graph it is given, for the exporter's checks of graphs no generator writes.</summary>
public sealed class DescribedNetwork(NetworkGraph graph, params float[] parameters) : INetwork
{
    private readonly float[] _parameters = parameters;
    private readonly float[] _gradients = new float[parameters.Length];

    public NetworkGraph Graph => graph;
    public int InputSize => graph.Input.Shape.Length;
    public int OutputSize => graph.Output.Shape.Length;
    public int ParameterCount => _parameters.Length;
    public int MaxBatchSize => 1;
    public LossReduction LossReduction => LossReduction.Mean;
    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;
    public IReadOnlyList<ParameterTensor> ParameterTensors => graph.Nodes.SelectMany(n => n.Parameters).ToArray();

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize) => throw new NotSupportedException();
    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) => throw new NotSupportedException();
    public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Span<float> inputGradients = default) =>
        throw new NotSupportedException();

    /// <summary>X [2] → Y = Dense(1) of X: W [1, 2] at 0, b [1] at 2, with <paramref name="kind"/> as Y's kind.</summary>
    public static DescribedNetwork Neuron(GraphNodeKind kind = GraphNodeKind.Dense) => new(new NetworkGraph(
        [
            new GraphNode("X", GraphNodeKind.Input, new TensorShape(2), []),
            new GraphNode("Y", kind, new TensorShape(1), [0])
            {
                Parameters = [new("Y.weight", "Y", ParameterKind.Weight, 0, new TensorShape(1, 2)), new("Y.bias", "Y", ParameterKind.Bias, 2, new TensorShape(1))],
            },
        ], input: 0, output: 1), 0.5f, -0.25f, 0.125f);
}
