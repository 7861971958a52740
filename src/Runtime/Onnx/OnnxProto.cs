using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>One dimension of a tensor's type in an ONNX graph: a fixed size, or a named symbolic one ("batch").</summary>
internal readonly record struct OnnxDimension(long Value, string? Symbol = null)
{
    public static implicit operator OnnxDimension(long value) => new(value);

    public static OnnxDimension Symbolic(string symbol) => new(0, symbol);
}

/// <summary>
/// The messages of onnx.proto that NetGen writes, by their field numbers, over the one <see cref="ProtobufWriter"/>:
/// the model, its graph's nodes with their attributes, float initializers and the typed inputs and outputs. The fields
/// are written in onnx.proto's order of declaration within each message. <see cref="Onnx"/>'s export and the
/// benchmark's models both write through these.
/// </summary>
internal static class OnnxProto
{
    /// <summary>IR version 8 (ONNX 1.10), which ONNX 1.12's checker and every current ONNX Runtime read.</summary>
    public const long IrVersion = 8;

    /// <summary>
    /// Opset 17 of the default domain: the newest ONNX 1.12 knows (so its checker can check the files), the first with
    /// LayerNormalization as one operator, and one where Softmax normalises over one axis.
    /// </summary>
    public const long OpsetVersion = 17;

    // Field numbers of onnx.proto.
    private static class ModelProto { public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Graph = 7, OpsetImport = 8; }
    private static class OperatorSetIdProto { public const int Domain = 1, Version = 2; }
    public static class GraphProto { public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12; }
    private static class NodeProto { public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5; }
    private static class AttributeProto
    {
        public const int Name = 1, F = 2, I = 3, T = 5, Ints = 8, Type = 20;
        public const long TypeFloat = 1, TypeInt = 2, TypeTensor = 4, TypeInts = 7;
    }
    private static class TensorProto { public const int Dims = 1, DataType = 2, Int64Data = 7, Name = 8, RawData = 9; public const long Float = 1, Int64 = 7; }
    private static class ValueInfoProto { public const int Name = 1, Type = 2; }
    private static class TypeProto { public const int TensorType = 1, ElemType = 1, Shape = 2; }
    private static class TensorShapeProto { public const int Dim = 1, DimValue = 1, DimParam = 2; }

    /// <summary>A ModelProto: IR version, producer, the graph's bytes and the default domain at <see cref="OpsetVersion"/>.</summary>
    public static byte[] Model(string producerName, string? producerVersion, byte[] graph)
    {
        var model = new ProtobufWriter().Int64(ModelProto.IrVersion, IrVersion).String(ModelProto.ProducerName, producerName);
        if (producerVersion is not null)
            model.String(ModelProto.ProducerVersion, producerVersion);
        return model
            .Bytes(ModelProto.Graph, graph)
            .Message(ModelProto.OpsetImport, o => o.String(OperatorSetIdProto.Domain, "").Int64(OperatorSetIdProto.Version, OpsetVersion))
            .ToArray();
    }

    /// <summary>A NodeProto in <paramref name="graph"/>: inputs, its one output, name, operator and attributes.</summary>
    public static void Node(ProtobufWriter graph, string name, string op, IReadOnlyList<string> inputs, string output, params Action<ProtobufWriter>[] attributes) =>
        graph.Message(GraphProto.Node, n =>
        {
            foreach (string input in inputs)
                n.String(NodeProto.Input, input);
            n.String(NodeProto.Output, output).String(NodeProto.Name, name).String(NodeProto.OpType, op);
            foreach (Action<ProtobufWriter> attribute in attributes)
                n.Message(NodeProto.Attribute, attribute);
        });

    /// <summary>An INT attribute.</summary>
    public static Action<ProtobufWriter> Int(string name, long value) =>
        a => a.String(AttributeProto.Name, name).Int64(AttributeProto.I, value).Int64(AttributeProto.Type, AttributeProto.TypeInt);

    /// <summary>A FLOAT attribute.</summary>
    public static Action<ProtobufWriter> Float(string name, float value) =>
        a => a.String(AttributeProto.Name, name).Float(AttributeProto.F, value).Int64(AttributeProto.Type, AttributeProto.TypeFloat);

    /// <summary>An INTS attribute (AttributeProto.ints, packed).</summary>
    public static Action<ProtobufWriter> Ints(string name, long[] values) =>
        a => a.String(AttributeProto.Name, name).PackedInt64(AttributeProto.Ints, values).Int64(AttributeProto.Type, AttributeProto.TypeInts);

    /// <summary>A TENSOR attribute holding a vector of int64 (a Constant's value: a shape for Reshape).</summary>
    public static Action<ProtobufWriter> Int64Tensor(string name, long[] values) =>
        a => a.String(AttributeProto.Name, name)
            .Message(AttributeProto.T, t => t.PackedInt64(TensorProto.Dims, [values.Length]).Int64(TensorProto.DataType, TensorProto.Int64).PackedInt64(TensorProto.Int64Data, values))
            .Int64(AttributeProto.Type, AttributeProto.TypeTensor);

    /// <summary>A float initializer in <paramref name="graph"/>: dims, FLOAT, name and the values' little-endian bytes as raw_data.</summary>
    public static void FloatInitializer(ProtobufWriter graph, string name, long[] dims, ReadOnlySpan<float> values)
    {
        // raw_data is the values' little-endian bytes; MemoryMarshal's view is that on little-endian machines only.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this writer does not byte-swap.");
        var tensor = new ProtobufWriter().PackedInt64(TensorProto.Dims, dims).Int64(TensorProto.DataType, TensorProto.Float).String(TensorProto.Name, name);
        tensor.Bytes(TensorProto.RawData, MemoryMarshal.AsBytes(values));
        graph.Bytes(GraphProto.Initializer, tensor.ToArray());
    }

    /// <summary>A graph input or output (<paramref name="field"/>: <see cref="GraphProto.Input"/> or <see cref="GraphProto.Output"/>): a float tensor of these dimensions.</summary>
    public static void FloatTensorValue(ProtobufWriter graph, int field, string name, IReadOnlyList<OnnxDimension> dims) =>
        graph.Message(field, v => v.String(ValueInfoProto.Name, name).Message(ValueInfoProto.Type, type => type.Message(TypeProto.TensorType, tensor => tensor
            .Int64(TypeProto.ElemType, TensorProto.Float)
            .Message(TypeProto.Shape, shape =>
            {
                foreach (OnnxDimension dim in dims)
                    shape.Message(TensorShapeProto.Dim, d =>
                    {
                        if (dim.Symbol is not null)
                            d.String(TensorShapeProto.DimParam, dim.Symbol);
                        else
                            d.Int64(TensorShapeProto.DimValue, dim.Value);
                    });
            }))));
}
