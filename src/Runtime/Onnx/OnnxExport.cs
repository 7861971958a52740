using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen;

/// <summary>
/// Writes a network's <see cref="NetworkGraph"/> as ONNX nodes and its tensors as initializers: one method per node
/// kind, each writing the operators that compute what NetGen's <c>Forward</c> computes, so that ONNX Runtime gives the
/// network's outputs. Checks the graph against the network before writing anything.
/// </summary>
internal sealed class OnnxExport
{
    private readonly INetwork _network;
    private readonly NetworkGraph _graph;
    private readonly ProtobufWriter _writer;

    private OnnxExport(INetwork network, NetworkGraph graph)
    {
        _network = network;
        _graph = graph;
        _writer = new ProtobufWriter().String(OnnxProto.GraphProto.Name, network.GetType().Name);
    }

    /// <summary>The model's bytes; throws, writing nothing, when the network cannot be exported.</summary>
    public static byte[] Write(INetwork network)
    {
        NetworkGraph graph = Check(network);
        var export = new OnnxExport(network, graph);
        bool[] needed = graph.ReachesOutput();
        for (int i = 0; i < graph.Nodes.Length; i++)
            if (needed[i])
                export.WriteNode(graph.Nodes[i]);
        export.WriteInterface();
        string version = typeof(Onnx).Assembly.GetName().Version?.ToString(3) ?? "";
        return OnnxProto.Model("NetGen", version, export._writer.ToArray());
    }

    /// <summary>The network's graph, checked against its sizes and buffers, and its values checked finite.</summary>
    private static NetworkGraph Check(INetwork network)
    {
        string type = network.GetType().Name;
        NetworkGraph graph = network.Graph ?? throw new ArgumentException(
            $"{type} describes no graph (INetwork.Graph is null), so there is nothing to export: ONNX export writes the graph every generated network " +
            "describes; a network written by hand must implement INetwork.Graph.", nameof(network));
        if (graph.OutputIndex == graph.InputIndex)
            throw new ArgumentException($"{type} has nothing to export: its output is its input '{graph.Input.Name}', with no node between them.", nameof(network));
        if (graph.Input.Shape.Length != network.InputSize || graph.Output.Shape.Length != network.OutputSize)
            throw new ArgumentException(
                $"{type}'s graph does not fit the network: its input '{graph.Input.Name}' {graph.Input.Shape} and output '{graph.Output.Name}' {graph.Output.Shape} " +
                $"against InputSize {network.InputSize} and OutputSize {network.OutputSize}.", nameof(network));
        foreach (GraphNode node in graph.Nodes)
        {
            foreach (ParameterTensor tensor in node.Parameters)
                CheckRange(type, node, tensor.Name, tensor.Offset, tensor.Length, network.Parameters.Length, "Parameters");
            foreach (StateTensor tensor in node.State)
                if (!tensor.IsCount)
                    CheckRange(type, node, tensor.Name, tensor.Offset, tensor.Length, network.State.Length, "State");
        }
        int bad = Finite.IndexOfNonFinite(network.Parameters);
        if (bad >= 0)
            throw new InvalidOperationException(
                $"{type}'s {ParameterIndex.Describe(network.ParameterTensors, bad)} is {Finite.Describe(network.Parameters[bad])}: an ONNX model of it would make every output NaN.");
        bad = Finite.IndexOfNonFinite(network.State);
        if (bad >= 0)
            throw new InvalidOperationException(
                $"{type}'s state value {bad} is {Finite.Describe(network.State[bad])}: an ONNX model of it would make every output NaN.");
        return graph;
    }

    private static void CheckRange(string type, GraphNode node, string tensor, int offset, int length, int buffer, string bufferName)
    {
        if (offset < 0 || (long)offset + length > buffer)
            throw new ArgumentException(
                $"{type}'s graph places '{tensor}' of '{node.Name}' at [{offset}, {(long)offset + length}), outside {bufferName} ({buffer} floats).", "network");
    }

    private void WriteNode(GraphNode node)
    {
        switch (node.Kind)
        {
            case GraphNodeKind.Input:
                return;   // the graph's input, written by WriteInterface
            case GraphNodeKind.Dense:
                Dense(node);
                return;
            case GraphNodeKind.Conv1D:
            case GraphNodeKind.Conv2D:
                Convolution(node, node.Kind == GraphNodeKind.Conv1D ? 1 : 2);
                return;
            case GraphNodeKind.MaxPool1D:
            case GraphNodeKind.MaxPool2D:
                Pooling(node, "MaxPool", node.Kind == GraphNodeKind.MaxPool1D ? 1 : 2);
                return;
            case GraphNodeKind.AvgPool1D:
            case GraphNodeKind.AvgPool2D:
                Pooling(node, "AveragePool", node.Kind == GraphNodeKind.AvgPool1D ? 1 : 2);
                return;
            case GraphNodeKind.Dropout:
                // Evaluation passes the values through: what Forward computes, and what PyTorch leaves of nn.Dropout in eval mode.
                Operator(node, "Identity", [Source(node)], node.Name);
                return;
            case GraphNodeKind.LayerNorm:
                LayerNorm(node);
                return;
            case GraphNodeKind.BatchNorm:
                BatchNorm(node);
                return;
            case GraphNodeKind.Add:
                Add(node);
                return;
            case GraphNodeKind.Max:
                Operator(node, "Max", node.Sources.Select(s => _graph.Nodes[s].Name).ToArray(), node.Name);
                return;
            case GraphNodeKind.Activation:
                // The activation's own operator reading the source (Identity for f = x, as nn.Identity exports).
                if (node.Activation == NetGen.Activation.Identity)
                    Operator(node, "Identity", [Source(node)], node.Name);
                else
                    Activation(node, Source(node));
                return;
            default:
                throw new NotSupportedException(
                    $"'{node.Name}' is a {node.Kind} node, which this version of the ONNX exporter cannot write; no model was written.");
        }
    }

    /// <summary>The graph's input and output: float tensors [batch, …one sample's shape], named after their nodes.</summary>
    private void WriteInterface()
    {
        OnnxProto.FloatTensorValue(_writer, OnnxProto.GraphProto.Input, _graph.Input.Name, Dimensions(_graph.Input.Shape));
        OnnxProto.FloatTensorValue(_writer, OnnxProto.GraphProto.Output, _graph.Output.Name, Dimensions(_graph.Output.Shape));
    }

    private static OnnxDimension[] Dimensions(TensorShape sample) =>
        [OnnxDimension.Symbolic(Onnx.BatchDimension), .. sample.ToArray().Select(d => (OnnxDimension)d)];

    // ---- Kinds ----

    /// <summary>Gemm(x, W, b) with transB = 1: Y = x·Wᵀ + b, W in PyTorch's [out, in]; a shaped source flattened first (C, H, W order).</summary>
    private void Dense(GraphNode node)
    {
        GraphNode source = _graph.Source(node);
        string x = source.Name;
        if (source.Shape.Rank > 1)
        {
            x = node.Name + "/flatten";
            Operator(node, "Flatten", [source.Name], x, OnnxProto.Int("axis", 1));
        }
        string z = PreActivation(node);
        Operator(node, "Gemm", WeightAndBias(node, x), z, OnnxProto.Int("transB", 1));
        Activation(node, z);
    }

    /// <summary>Conv(x, W, b) with square kernels, one stride and the same zero padding on every side; group 1.</summary>
    private void Convolution(GraphNode node, int dimensions)
    {
        string z = PreActivation(node);
        Operator(node, "Conv", WeightAndBias(node, Source(node)), z,
            OnnxProto.Ints("kernel_shape", Repeat(node.Kernel, dimensions)),
            OnnxProto.Ints("strides", Repeat(node.Stride, dimensions)),
            OnnxProto.Ints("pads", Repeat(node.Padding, 2 * dimensions)),   // every dimension's start, then every end
            OnnxProto.Int("group", 1));
        Activation(node, z);
    }

    /// <summary>
    /// MaxPool or AveragePool over square windows, no padding, output sizes floored (ceil_mode 0), as NetGen's pooling:
    /// with no padding every window averages its own k^d values, whatever count_include_pad says.
    /// </summary>
    private void Pooling(GraphNode node, string op, int dimensions) =>
        Operator(node, op, [Source(node)], node.Name,
            OnnxProto.Ints("kernel_shape", Repeat(node.Kernel, dimensions)),
            OnnxProto.Ints("strides", Repeat(node.Stride, dimensions)));

    /// <summary>LayerNormalization(x, γ, β) over all of a sample's values (axis 1), γ and β of the node's shape.</summary>
    private void LayerNorm(GraphNode node) =>
        Operator(node, "LayerNormalization", [Source(node), Tensor(node, ParameterKind.Scale), Tensor(node, ParameterKind.Shift)], node.Name,
            OnnxProto.Int("axis", 1), OnnxProto.Float("epsilon", node.Epsilon));

    /// <summary>
    /// BatchNormalization(x, γ, β, running mean, running variance) in inference form (training_mode 0, one output), as
    /// Forward normalises with the running statistics. ONNX's momentum weighs the old running value (PyTorch's 1 − m).
    /// </summary>
    private void BatchNorm(GraphNode node)
    {
        string mean = State(node, StateKind.RunningMean), variance = State(node, StateKind.RunningVariance);
        Operator(node, "BatchNormalization", [Source(node), Tensor(node, ParameterKind.Scale), Tensor(node, ParameterKind.Shift), mean, variance], node.Name,
            OnnxProto.Float("epsilon", node.Epsilon), OnnxProto.Float("momentum", 1f - node.Momentum));
    }

    /// <summary>Add is binary in ONNX: operands are summed left to right, as NetGen sums them.</summary>
    private void Add(GraphNode node)
    {
        string sum = _graph.Nodes[node.Sources[0]].Name;
        for (int k = 1; k < node.Sources.Length; k++)
        {
            string output = k == node.Sources.Length - 1 ? node.Name : $"{node.Name}/sum{k}";
            Operator(node, "Add", [sum, _graph.Nodes[node.Sources[k]].Name], output, suffix: k == 1 ? "" : k.ToString(CultureInfo.InvariantCulture));
            sum = output;
        }
    }

    // ---- Activations ----

    /// <summary>Where the affine part writes: the node's own name when no activation follows, else "{node}/z".</summary>
    private static string PreActivation(GraphNode node) => node.Activation == NetGen.Activation.Identity ? node.Name : node.Name + "/z";

    /// <summary>y = f(z) as ONNX operators, written to the node's name; nothing for the identity.</summary>
    private void Activation(GraphNode node, string z)
    {
        string y = node.Name;
        switch (node.Activation)
        {
            case NetGen.Activation.Identity:
                return;
            case NetGen.Activation.Sigmoid:
                Operator(node, "Sigmoid", [z], y);
                return;
            case NetGen.Activation.Tanh:
                Operator(node, "Tanh", [z], y);
                return;
            case NetGen.Activation.ReLU:
                Operator(node, "Relu", [z], y);
                return;
            case NetGen.Activation.LeakyReLU:
                Operator(node, "LeakyRelu", [z], y, OnnxProto.Float("alpha", node.Slope));
                return;
            case NetGen.Activation.Softplus:
                Operator(node, "Softplus", [z], y);
                return;
            case NetGen.Activation.BipolarSigmoid:
                // (1 − e^{−z}) / (1 + e^{−z}) = tanh(z/2), which ONNX computes without cancelling near 0.
                Operator(node, "Constant", [], node.Name + "/half", OnnxProto.Float("value_float", 0.5f));
                Operator(node, "Mul", [z, node.Name + "/half"], node.Name + "/half_z");
                Operator(node, "Tanh", [node.Name + "/half_z"], y);
                return;
            case NetGen.Activation.Softmax:
                Softmax(node, z, y);
                return;
            default:
                throw new NotSupportedException(
                    $"'{node.Name}' applies activation {node.Activation}, which this version of the ONNX exporter cannot write; no model was written.");
        }
    }

    /// <summary>
    /// Softmax over all of a sample's values, as NetGen's: over the last axis of a vector node; a shaped node (a
    /// convolution's [C, H, W]) is flattened, normalised and reshaped back ([0, C, H, W]: 0 keeps the batch).
    /// </summary>
    private void Softmax(GraphNode node, string z, string y)
    {
        if (node.Shape.Rank == 1)
        {
            Operator(node, "Softmax", [z], y, OnnxProto.Int("axis", -1));
            return;
        }
        string flat = node.Name + "/z_flat", normalised = node.Name + "/softmax", shape = node.Name + "/shape";
        Operator(node, "Flatten", [z], flat, OnnxProto.Int("axis", 1));
        Operator(node, "Softmax", [flat], normalised, OnnxProto.Int("axis", -1));
        Operator(node, "Constant", [], shape, OnnxProto.Int64Tensor("value", [0, .. node.Shape.ToArray().Select(d => (long)d)]));
        Operator(node, "Reshape", [normalised, shape], y);
    }

    // ---- Tensors and operators ----

    private string Source(GraphNode node, int operand = 0) => _graph.Source(node, operand).Name;

    /// <summary>x, W and, when the node has one, b: the inputs of Gemm and Conv.</summary>
    private string[] WeightAndBias(GraphNode node, string x) =>
        node.Parameter(ParameterKind.Bias) is null
            ? [x, Tensor(node, ParameterKind.Weight)]
            : [x, Tensor(node, ParameterKind.Weight), Tensor(node, ParameterKind.Bias)];

    /// <summary>Writes the node's parameter tensor of <paramref name="kind"/> as an initializer of its name, and returns the name.</summary>
    private string Tensor(GraphNode node, ParameterKind kind)
    {
        ParameterTensor tensor = node.Parameter(kind) ?? throw new ArgumentException(
            $"'{node.Name}' ({node.Kind}) has no {kind} tensor in the graph, which its ONNX operator needs; no model was written.", "network");
        OnnxProto.FloatInitializer(_writer, tensor.Name, Dims(tensor.Shape), _network.Parameters.Slice(tensor.Offset, tensor.Length));
        return tensor.Name;
    }

    /// <summary>Writes the node's state tensor of <paramref name="kind"/> (a running statistic) as an initializer of its name.</summary>
    private string State(GraphNode node, StateKind kind)
    {
        StateTensor tensor = node.StateTensor(kind) ?? throw new ArgumentException(
            $"'{node.Name}' ({node.Kind}) has no {kind} tensor in the graph, which its ONNX operator needs; no model was written.", "network");
        OnnxProto.FloatInitializer(_writer, tensor.Name, Dims(tensor.Shape), _network.State.Slice(tensor.Offset, tensor.Length));
        return tensor.Name;
    }

    private static long[] Dims(TensorShape shape) => shape.ToArray().Select(d => (long)d).ToArray();

    private static long[] Repeat(int value, int count) => Enumerable.Repeat((long)value, count).ToArray();

    /// <summary>An operator of the node, named "{node}/{op}{suffix}" (as PyTorch names its nodes by module and operator).</summary>
    private void Operator(GraphNode node, string op, IReadOnlyList<string> inputs, string output, params Action<ProtobufWriter>[] attributes) =>
        OnnxProto.Node(_writer, $"{node.Name}/{op}", op, inputs, output, attributes);

    private void Operator(GraphNode node, string op, IReadOnlyList<string> inputs, string output, string suffix) =>
        OnnxProto.Node(_writer, $"{node.Name}/{op}{suffix}", op, inputs, output);
}
