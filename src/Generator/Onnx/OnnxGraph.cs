using NetGen.Generator.Helpers;

namespace NetGen.Generator.Onnx;

/// <summary>
/// The part of an ONNX model the importer reads, as equatable values (so that an unchanged file compares equal and the
/// pipeline after it is not run again): the main graph's nodes in the file's order, its initializers, inputs and outputs.
/// </summary>
/// <param name="Opset">The version of the default ("ai.onnx") operator set the model imports.</param>
internal sealed record OnnxGraph(
    long Opset,
    string Producer,
    EquatableArray<OnnxNode> Nodes,
    EquatableArray<OnnxTensor> Initializers,
    EquatableArray<OnnxValue> Inputs,
    EquatableArray<OnnxValue> Outputs);

/// <summary>One NodeProto: its operator, the tensor names it reads and writes, and its attributes.</summary>
internal sealed record OnnxNode(string Name, string OpType, string Domain, EquatableArray<string> Inputs, EquatableArray<string> Outputs, EquatableArray<OnnxAttribute> Attributes)
{
    /// <summary>How messages name the node: its name, or its op and first output when the file gives it none.</summary>
    public string Display => Name.Length > 0 ? Name : OpType + " → " + (Outputs.Count > 0 ? Outputs[0] : "?");

    public OnnxAttribute? Attribute(string name)
    {
        foreach (OnnxAttribute attribute in Attributes)
            if (attribute.Name == name)
                return attribute;
        return null;
    }
}

/// <summary>One AttributeProto, with the fields the importer reads: a float, an int, a string, lists of each, a tensor.</summary>
internal sealed record OnnxAttribute(string Name, int Type, float Float, long Int, string String, EquatableArray<float> Floats, EquatableArray<long> Ints, OnnxTensor? Tensor)
{
    /// <summary>The value as messages show it.</summary>
    public string Display => Type switch
    {
        OnnxAttributeTypes.Float => Float.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        OnnxAttributeTypes.Int => Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
        OnnxAttributeTypes.String => "\"" + String + "\"",
        OnnxAttributeTypes.Ints => "[" + string.Join(", ", Ints) + "]",
        OnnxAttributeTypes.Floats => "[" + string.Join(", ", Floats) + "]",
        _ => "(type " + Type + ")",
    };
}

/// <summary>AttributeProto.AttributeType's values the importer reads.</summary>
internal static class OnnxAttributeTypes
{
    public const int Float = 1, Int = 2, String = 3, Tensor = 4, Floats = 6, Ints = 7;
}

/// <summary>
/// One TensorProto: name, element type, dimensions and its values, decoded from raw_data or from float_data / int64_data.
/// Floats and 64-bit integers are the element types the importer uses; other types keep their dimensions and no values.
/// </summary>
internal sealed record OnnxTensor(string Name, int DataType, EquatableArray<long> Dimensions, EquatableArray<float> Floats, EquatableArray<long> Longs)
{
    public const int Float = 1, Int64 = 7;

    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long d in Dimensions)
                count *= d;
            return count;
        }
    }
}

/// <summary>A graph input or output (ValueInfoProto): its name, element type and dimensions.</summary>
/// <param name="Dimensions">Each dimension's size, or null when it is symbolic (a dim_param such as "batch") or unknown.</param>
internal sealed record OnnxValue(string Name, int ElementType, EquatableArray<OnnxDimension> Dimensions, bool HasShape);

/// <summary>One dimension of a value's shape: a size, or a symbol ("batch"), or neither.</summary>
internal sealed record OnnxDimension(long? Size, string Symbol)
{
    public override string ToString() => Size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (Symbol.Length > 0 ? Symbol : "?");
}
