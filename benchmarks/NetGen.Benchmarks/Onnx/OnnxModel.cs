using System;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// Writes an ONNX model (onnx.proto's ModelProto) of a stack of dense layers with fixed shapes: per layer one Gemm
/// (Y = X·Wᵀ + b, W kept in PyTorch's [out, in] layout with transB = 1) and the activation's node (Sigmoid, Tanh,
/// Relu, Softmax over the last axis). The weights are initializers taken from NetGen's flat parameter layout (per
/// layer W [out, in] then b [out]), so ONNX Runtime computes exactly the network NetGen does.
/// </summary>
public static class OnnxModel
{
    public const string InputName = "x";
    public const string OutputName = "y";

    /// <summary>IR version 8 (ONNX 1.10) and opset 17: old enough for any current runtime, new enough for Softmax over one axis.</summary>
    public const long IrVersion = 8, OpsetVersion = 17;

    // Field numbers of onnx.proto.
    private static class ModelProto { public const int IrVersion = 1, ProducerName = 2, Graph = 7, OpsetImport = 8; }
    private static class OperatorSetIdProto { public const int Domain = 1, Version = 2; }
    private static class GraphProto { public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12; }
    private static class NodeProto { public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5; }
    private static class AttributeProto { public const int Name = 1, I = 3, Type = 20; public const long TypeInt = 2; }
    private static class TensorProto { public const int Dims = 1, DataType = 2, Name = 8, RawData = 9; public const long Float = 1; }
    private static class ValueInfoProto { public const int Name = 1, Type = 2; }
    private static class TypeProto { public const int TensorType = 1, ElemType = 1, Shape = 2; }
    private static class TensorShapeProto { public const int Dim = 1, DimValue = 1; }

    /// <summary>The serialized model for inputs [<paramref name="batch"/>, layers[0].Inputs].</summary>
    public static byte[] Build(Layer[] layers, ReadOnlySpan<float> parameters, int batch)
    {
        if (layers.Length == 0)
            throw new ArgumentException("a model needs at least one layer", nameof(layers));
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "the batch size must be at least 1");
        int expected = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            if (l > 0 && layers[l].Inputs != layers[l - 1].Units)
                throw new ArgumentException($"layer {l} takes {layers[l].Inputs} inputs but layer {l - 1} has {layers[l - 1].Units} units", nameof(layers));
            expected += layers[l].Units * (layers[l].Inputs + 1);
        }
        if (parameters.Length != expected)
            throw new ArgumentException($"the layers have {expected} parameters, the buffer holds {parameters.Length}", nameof(parameters));

        float[] values = parameters.ToArray();   // the nested writers below are lambdas, which cannot capture a span
        var graph = new ProtobufWriter().String(GraphProto.Name, "dense_stack");
        string previous = InputName;
        int offset = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            Layer layer = layers[l];
            bool last = l == layers.Length - 1;
            int weights = layer.Units * layer.Inputs;
            string w = $"W{l}", b = $"b{l}";
            string z = last && layer.Activation == LayerActivation.Identity ? OutputName : $"z{l}";
            int start = offset;
            graph.Message(GraphProto.Initializer, t => Tensor(t, w, [layer.Units, layer.Inputs], values.AsSpan(start, weights)));
            graph.Message(GraphProto.Initializer, t => Tensor(t, b, [layer.Units], values.AsSpan(start + weights, layer.Units)));
            offset += weights + layer.Units;

            string input = previous;
            graph.Message(GraphProto.Node, n => Node(n, $"gemm{l}", "Gemm", [input, w, b], z).Message(NodeProto.Attribute, a => IntAttribute(a, "transB", 1)));
            previous = z;
            if (layer.Activation == LayerActivation.Identity)
                continue;
            string y = last ? OutputName : $"y{l}";
            string op = layer.Activation switch
            {
                LayerActivation.Sigmoid => "Sigmoid",
                LayerActivation.Tanh => "Tanh",
                LayerActivation.ReLU => "Relu",
                LayerActivation.Softmax => "Softmax",
                _ => throw new ArgumentException($"no ONNX operator for {layer.Activation}", nameof(layers)),
            };
            graph.Message(GraphProto.Node, n =>
            {
                Node(n, $"{op.ToLowerInvariant()}{l}", op, [z], y);
                if (layer.Activation == LayerActivation.Softmax)
                    n.Message(NodeProto.Attribute, a => IntAttribute(a, "axis", 1));
            });
            previous = y;
        }
        graph.Message(GraphProto.Input, v => FloatTensorValue(v, InputName, batch, layers[0].Inputs));
        graph.Message(GraphProto.Output, v => FloatTensorValue(v, OutputName, batch, layers[^1].Units));

        byte[] graphBytes = graph.ToArray();
        return new ProtobufWriter()
            .Int64(ModelProto.IrVersion, IrVersion)
            .String(ModelProto.ProducerName, "NetGen.Benchmarks")
            .Bytes(ModelProto.Graph, graphBytes)
            .Message(ModelProto.OpsetImport, o => o.String(OperatorSetIdProto.Domain, "").Int64(OperatorSetIdProto.Version, OpsetVersion))
            .ToArray();
    }

    private static void Tensor(ProtobufWriter t, string name, long[] dims, ReadOnlySpan<float> values)
    {
        t.PackedInt64(TensorProto.Dims, dims).Int64(TensorProto.DataType, TensorProto.Float).String(TensorProto.Name, name);
        // raw_data is the values' little-endian bytes; MemoryMarshal's view is that on little-endian machines only.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("raw_data is little-endian; this writer does not byte-swap");
        t.Bytes(TensorProto.RawData, MemoryMarshal.AsBytes(values));
    }

    private static ProtobufWriter Node(ProtobufWriter n, string name, string op, string[] inputs, string output)
    {
        foreach (string input in inputs)
            n.String(NodeProto.Input, input);
        return n.String(NodeProto.Output, output).String(NodeProto.Name, name).String(NodeProto.OpType, op);
    }

    private static void IntAttribute(ProtobufWriter a, string name, long value) =>
        a.String(AttributeProto.Name, name).Int64(AttributeProto.I, value).Int64(AttributeProto.Type, AttributeProto.TypeInt);

    private static void FloatTensorValue(ProtobufWriter v, string name, long rows, long columns) =>
        v.String(ValueInfoProto.Name, name).Message(ValueInfoProto.Type, type => type.Message(TypeProto.TensorType, tensor => tensor
            .Int64(TypeProto.ElemType, TensorProto.Float)
            .Message(TypeProto.Shape, shape => shape
                .Message(TensorShapeProto.Dim, d => d.Int64(TensorShapeProto.DimValue, rows))
                .Message(TensorShapeProto.Dim, d => d.Int64(TensorShapeProto.DimValue, columns)))));
}
