using System;
using System.Collections.Generic;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Reads an ONNX file (a serialised ModelProto, onnx.proto3) into an <see cref="OnnxGraph"/>. Only the messages and
/// fields the importer needs are decoded; every other field is skipped by its wire type, as protobuf readers do. Tensor
/// values are read little-endian, as ONNX stores raw_data (and as every machine .NET runs NetGen on is).
/// </summary>
internal static class OnnxReader
{
    /// <summary>The graph, or null and what is wrong with the file.</summary>
    public static OnnxGraph? Read(byte[] bytes, out string? error)
    {
        try
        {
            OnnxGraph graph = ReadModel(bytes);
            error = null;
            return graph;
        }
        catch (OnnxFormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static OnnxGraph ReadModel(byte[] bytes)
    {
        if (bytes.Length == 0)
            throw new OnnxFormatException("the file is empty");
        var reader = new ProtoReader(bytes);
        long irVersion = 0, opset = 0;
        bool opsetGiven = false;
        string producer = "";
        OnnxGraph? graph = null;
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 0: irVersion = reader.ReadInt64(); break;
                case 2 when wire == 2: producer = reader.ReadString(); break;
                case 7 when wire == 2: graph = ReadGraph(bytes, reader.ReadMessage()); break;
                case 8 when wire == 2:
                    (string domain, long version) = ReadOpset(reader.ReadMessage());
                    if (domain is "" or "ai.onnx")
                    {
                        opset = version;
                        opsetGiven = true;
                    }
                    break;
                default:
                    // A field of the model this importer does not read, with a legal wire type: skip it, as protobuf does.
                    if (field > 30)
                        throw new OnnxFormatException($"field {field} of a model, which ONNX does not define (at byte {reader.Position})");
                    reader.Skip(wire);
                    break;
            }
        }
        if (irVersion <= 0)
            throw new OnnxFormatException("no ir_version: the file does not start like an ONNX model");
        if (graph is null)
            throw new OnnxFormatException("the model has no graph");
        if (!opsetGiven)
            throw new OnnxFormatException("the model imports no version of the default operator set");
        return graph with { Opset = opset, Producer = producer };
    }

    private static (string, long) ReadOpset(ProtoReader reader)
    {
        string domain = "";
        long version = 0;
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
                domain = reader.ReadString();
            else if (field == 2 && wire == 0)
                version = reader.ReadInt64();
            else
                reader.Skip(wire);
        }
        return (domain, version);
    }

    private static OnnxGraph ReadGraph(byte[] bytes, ProtoReader reader)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValue>();
        var outputs = new List<OnnxValue>();
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2: nodes.Add(ReadNode(bytes, reader.ReadMessage())); break;
                case 5 when wire == 2: initializers.Add(ReadTensor(bytes, reader.ReadMessage())); break;
                case 11 when wire == 2: inputs.Add(ReadValue(reader.ReadMessage())); break;
                case 12 when wire == 2: outputs.Add(ReadValue(reader.ReadMessage())); break;
                default: reader.Skip(wire); break;
            }
        }
        return new OnnxGraph(0, "", nodes.ToEquatableArray(), initializers.ToEquatableArray(), inputs.ToEquatableArray(), outputs.ToEquatableArray());
    }

    private static OnnxNode ReadNode(byte[] bytes, ProtoReader reader)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        string name = "", opType = "", domain = "";
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2: inputs.Add(reader.ReadString()); break;
                case 2 when wire == 2: outputs.Add(reader.ReadString()); break;
                case 3 when wire == 2: name = reader.ReadString(); break;
                case 4 when wire == 2: opType = reader.ReadString(); break;
                case 5 when wire == 2: attributes.Add(ReadAttribute(bytes, reader.ReadMessage())); break;
                case 7 when wire == 2: domain = reader.ReadString(); break;
                default: reader.Skip(wire); break;
            }
        }
        return new OnnxNode(name, opType, domain, inputs.ToEquatableArray(), outputs.ToEquatableArray(), attributes.ToEquatableArray());
    }

    private static OnnxAttribute ReadAttribute(byte[] bytes, ProtoReader reader)
    {
        string name = "", text = "";
        int type = 0;
        float f = 0;
        long i = 0;
        var floats = new List<float>();
        var ints = new List<long>();
        OnnxTensor? tensor = null;
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2: name = reader.ReadString(); break;
                case 2 when wire == 5: f = reader.ReadFloat(); break;
                case 3 when wire == 0: i = reader.ReadInt64(); break;
                case 4 when wire == 2: text = reader.ReadString(); break;
                case 5 when wire == 2: tensor = ReadTensor(bytes, reader.ReadMessage()); break;
                case 7: ReadFloats(ref reader, wire, floats); break;
                case 8: ReadLongs(ref reader, wire, ints); break;
                case 20 when wire == 0: type = reader.ReadInt32(); break;
                default: reader.Skip(wire); break;
            }
        }
        return new OnnxAttribute(name, type, f, i, text, floats.ToEquatableArray(), ints.ToEquatableArray(), tensor);
    }

    private static OnnxTensor ReadTensor(byte[] bytes, ProtoReader reader)
    {
        string name = "";
        int dataType = 0;
        var dimensions = new List<long>();
        var floats = new List<float>();
        var longs = new List<long>();
        (int Offset, int Length)? raw = null;
        bool external = false;
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            switch (field)
            {
                case 1: ReadLongs(ref reader, wire, dimensions); break;
                case 2 when wire == 0: dataType = reader.ReadInt32(); break;
                case 4: ReadFloats(ref reader, wire, floats); break;
                case 7: ReadLongs(ref reader, wire, longs); break;
                case 8 when wire == 2: name = reader.ReadString(); break;
                case 9 when wire == 2: raw = reader.ReadBytes(); break;
                case 13 when wire == 2: external = true; reader.Skip(wire); break;
                case 14 when wire == 0: external |= reader.ReadInt64() == 1; break;
                default: reader.Skip(wire); break;
            }
        }
        if (external)
            throw new OnnxFormatException($"tensor '{name}' is stored outside the file (external data): export the model with its weights inside (torch.onnx.export does for models under 2 GB)");
        long count = 1;
        foreach (long d in dimensions)
        {
            if (d < 0 || d > int.MaxValue)
                throw new OnnxFormatException($"tensor '{name}' has a dimension of {d}");
            count *= d;
            if (count > int.MaxValue)
                throw new OnnxFormatException($"tensor '{name}' has more than 2³¹ values");
        }
        if (raw is { } r && dataType is OnnxTensor.Float or OnnxTensor.Int64)
        {
            int width = dataType == OnnxTensor.Float ? 4 : 8;
            if (r.Length != count * width)
                throw new OnnxFormatException($"tensor '{name}' has {r.Length} bytes of data for {count} values of {width} bytes");
            if (dataType == OnnxTensor.Float)
                for (int k = 0; k < count; k++)
                    floats.Add(BitConverter.ToSingle(bytes, r.Offset + 4 * k));
            else
                for (int k = 0; k < count; k++)
                    longs.Add(BitConverter.ToInt64(bytes, r.Offset + 8 * k));
        }
        else if (dataType == OnnxTensor.Float && floats.Count != count)
            throw new OnnxFormatException($"tensor '{name}' has {floats.Count} values for its shape of {count}");
        else if (dataType == OnnxTensor.Int64 && longs.Count != count)
            throw new OnnxFormatException($"tensor '{name}' has {longs.Count} values for its shape of {count}");
        return new OnnxTensor(name, dataType, dimensions.ToEquatableArray(), floats.ToEquatableArray(), longs.ToEquatableArray());
    }

    private static OnnxValue ReadValue(ProtoReader reader)
    {
        string name = "";
        int elementType = 0;
        var dimensions = new List<OnnxDimension>();
        bool hasShape = false;
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
                name = reader.ReadString();
            else if (field == 2 && wire == 2)
            {
                // TypeProto → tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1) or dim_param (2).
                ProtoReader type = reader.ReadMessage();
                while (!type.AtEnd)
                {
                    (int typeField, int typeWire) = type.ReadTag();
                    if (typeField != 1 || typeWire != 2)
                    {
                        type.Skip(typeWire);
                        continue;
                    }
                    ProtoReader tensor = type.ReadMessage();
                    while (!tensor.AtEnd)
                    {
                        (int tensorField, int tensorWire) = tensor.ReadTag();
                        if (tensorField == 1 && tensorWire == 0)
                            elementType = tensor.ReadInt32();
                        else if (tensorField == 2 && tensorWire == 2)
                        {
                            hasShape = true;
                            ProtoReader shape = tensor.ReadMessage();
                            while (!shape.AtEnd)
                            {
                                (int shapeField, int shapeWire) = shape.ReadTag();
                                if (shapeField == 1 && shapeWire == 2)
                                    dimensions.Add(ReadDimension(shape.ReadMessage()));
                                else
                                    shape.Skip(shapeWire);
                            }
                        }
                        else
                            tensor.Skip(tensorWire);
                    }
                }
            }
            else
                reader.Skip(wire);
        }
        return new OnnxValue(name, elementType, dimensions.ToEquatableArray(), hasShape);
    }

    private static OnnxDimension ReadDimension(ProtoReader reader)
    {
        long? size = null;
        string symbol = "";
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.ReadTag();
            if (field == 1 && wire == 0)
                size = reader.ReadInt64();
            else if (field == 2 && wire == 2)
                symbol = reader.ReadString();
            else
                reader.Skip(wire);
        }
        return new OnnxDimension(size, symbol);
    }

    /// <summary>A repeated float field, packed (wire type 2) or one value per tag (wire type 5), as proto3 allows both.</summary>
    private static void ReadFloats(ref ProtoReader reader, int wire, List<float> into)
    {
        if (wire == 5)
            into.Add(reader.ReadFloat());
        else if (wire == 2)
        {
            ProtoReader packed = reader.ReadMessage();
            while (!packed.AtEnd)
                into.Add(packed.ReadFloat());
        }
        else
            throw new OnnxFormatException($"a list of floats with wire type {wire} at byte {reader.Position}");
    }

    private static void ReadLongs(ref ProtoReader reader, int wire, List<long> into)
    {
        if (wire == 0)
            into.Add(reader.ReadInt64());
        else if (wire == 2)
        {
            ProtoReader packed = reader.ReadMessage();
            while (!packed.AtEnd)
                into.Add(packed.ReadInt64());
        }
        else
            throw new OnnxFormatException($"a list of integers with wire type {wire} at byte {reader.Position}");
    }
}
