using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// Writes an ONNX model (onnx.proto's ModelProto) of a workload's layers with fixed shapes: a dense layer is one Gemm
/// (Y = X·Wᵀ + b, W kept in PyTorch's [out, in] layout with transB = 1), a convolution one Conv (W [out, in, k] or
/// [out, in, k, k], B [out], kernel_shape, strides and zero pads on every side), max pooling one MaxPool (kernel_shape,
/// strides equal to it: windows side by side, output sizes floored as PyTorch's), flattening one Flatten (axis 1: C, H,
/// W order); each layer's activation follows as its own node (Sigmoid, Tanh, Relu, Softmax over the class axis). The
/// weights are initializers taken from NetGen's flat parameter layout (per layer the weight, then the bias), so ONNX
/// Runtime computes exactly the network NetGen does.
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
    private static class AttributeProto { public const int Name = 1, I = 3, Ints = 8, Type = 20; public const long TypeInt = 2, TypeInts = 7; }
    private static class TensorProto { public const int Dims = 1, DataType = 2, Name = 8, RawData = 9; public const long Float = 1; }
    private static class ValueInfoProto { public const int Name = 1, Type = 2; }
    private static class TypeProto { public const int TensorType = 1, ElemType = 1, Shape = 2; }
    private static class TensorShapeProto { public const int Dim = 1, DimValue = 1; }

    /// <summary>The serialized model for inputs [<paramref name="batch"/>, …layers[0]'s input shape].</summary>
    public static byte[] Build(Layer[] layers, ReadOnlySpan<float> parameters, int batch)
    {
        int expected = LayerStack.Validate(layers);
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "the batch size must be at least 1");
        if (parameters.Length != expected)
            throw new ArgumentException($"the layers have {expected} parameters, the buffer holds {parameters.Length}", nameof(parameters));

        float[] values = parameters.ToArray();   // the nested writers below are lambdas, which cannot capture a span
        var graph = new ProtobufWriter().String(GraphProto.Name, "layer_stack");
        string previous = InputName;
        int offset = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            Layer layer = layers[l];
            bool last = l == layers.Length - 1;
            string z = last && layer.Activation == LayerActivation.Identity ? OutputName : $"z{l}";
            var inputs = new List<string> { previous };
            foreach ((int[] shape, string name) in layer.ParameterShapes.Zip(["W", "b"]))
            {
                int start = offset, length = shape.Aggregate(1, (a, b) => a * b);
                string tensor = $"{name}{l}";
                graph.Message(GraphProto.Initializer, t => Tensor(t, tensor, Array.ConvertAll(shape, d => (long)d), values.AsSpan(start, length)));
                inputs.Add(tensor);
                offset += length;
            }
            graph.Message(GraphProto.Node, n => LayerNode(n, l, layer, inputs.ToArray(), z));
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
        graph.Message(GraphProto.Input, v => FloatTensorValue(v, InputName, [batch, .. layers[0].Input.Dims]));
        graph.Message(GraphProto.Output, v => FloatTensorValue(v, OutputName, [batch, .. layers[^1].Output.Dims]));

        byte[] graphBytes = graph.ToArray();
        return new ProtobufWriter()
            .Int64(ModelProto.IrVersion, IrVersion)
            .String(ModelProto.ProducerName, "NetGen.Benchmarks")
            .Bytes(ModelProto.Graph, graphBytes)
            .Message(ModelProto.OpsetImport, o => o.String(OperatorSetIdProto.Domain, "").Int64(OperatorSetIdProto.Version, OpsetVersion))
            .ToArray();
    }

    /// <summary>The node of a layer's own operation (its activation is the next node): Gemm, Conv, MaxPool or Flatten.</summary>
    private static void LayerNode(ProtobufWriter n, int l, Layer layer, string[] inputs, string output)
    {
        switch (layer)
        {
            case DenseLayer:
                Node(n, $"gemm{l}", "Gemm", inputs, output).Message(NodeProto.Attribute, a => IntAttribute(a, "transB", 1));
                break;
            case ConvLayer conv:
                Node(n, $"conv{l}", "Conv", inputs, output)
                    .Message(NodeProto.Attribute, a => IntsAttribute(a, "kernel_shape", Repeat(conv.Kernel, conv.SpatialRank)))
                    .Message(NodeProto.Attribute, a => IntsAttribute(a, "strides", Repeat(conv.Stride, conv.SpatialRank)))
                    .Message(NodeProto.Attribute, a => IntsAttribute(a, "pads", Repeat(conv.Padding, 2 * conv.SpatialRank)));   // begins, then ends
                break;
            case MaxPoolLayer pool:
                Node(n, $"maxpool{l}", "MaxPool", inputs, output)
                    .Message(NodeProto.Attribute, a => IntsAttribute(a, "kernel_shape", Repeat(pool.Size, pool.Input.Rank - 1)))
                    .Message(NodeProto.Attribute, a => IntsAttribute(a, "strides", Repeat(pool.Size, pool.Input.Rank - 1)));
                break;
            case FlattenLayer:
                Node(n, $"flatten{l}", "Flatten", inputs, output).Message(NodeProto.Attribute, a => IntAttribute(a, "axis", 1));
                break;
            default:
                throw new ArgumentException($"no ONNX operator for {layer}", nameof(layer));
        }
    }

    private static long[] Repeat(long value, int count) => Enumerable.Repeat(value, count).ToArray();

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

    /// <summary>A list of integers (AttributeProto.ints, packed) with type INTS.</summary>
    private static void IntsAttribute(ProtobufWriter a, string name, long[] values) =>
        a.String(AttributeProto.Name, name).PackedInt64(AttributeProto.Ints, values).Int64(AttributeProto.Type, AttributeProto.TypeInts);

    private static void FloatTensorValue(ProtobufWriter v, string name, int[] dims) =>
        v.String(ValueInfoProto.Name, name).Message(ValueInfoProto.Type, type => type.Message(TypeProto.TensorType, tensor => tensor
            .Int64(TypeProto.ElemType, TensorProto.Float)
            .Message(TypeProto.Shape, shape =>
            {
                foreach (int dim in dims)
                    shape.Message(TensorShapeProto.Dim, d => d.Int64(TensorShapeProto.DimValue, dim));
            })));
}
