using System.Globalization;
using System.Linq;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Onnx;

/// <summary>How the handlers read a node's inputs and attributes, each reporting what is wrong at the node.</summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>
    /// Input <paramref name="index"/> as a computed tensor. A vector reader (Gemm, MatMul) takes a flattened tensor or a
    /// vector; the other readers take a tensor as its node shapes it, not flattened.
    /// </summary>
    private bool Source(OnnxNode node, int index, bool vector, out ValueRef source)
    {
        source = default;
        string name = index < node.Inputs.Count ? node.Inputs[index] : "";
        if (!_values.TryGetValue(name, out source))
        {
            Unsupported(node, $"'{node.OpType}'", _constants.ContainsKey(name)
                ? $" of the constant '{name}' (NetGen computes each node from the input; fold constants when exporting, do_constant_folding=True)"
                : $" of '{name}', which no node before it computes");
            return false;
        }
        Model.Shape shape = _nodes[source.Node].Shape;
        if (vector && shape.Rank > 1 && !source.Flattened)
        {
            Unsupported(node, $"'{node.OpType}' of a {shape} tensor", $" (it multiplies the last axis only; flatten first with torch.flatten(x, 1))");
            return false;
        }
        if (!vector && source.Flattened && shape.Rank > 1 && node.OpType is "Conv" or "MaxPool" or "AveragePool")
        {
            Unsupported(node, $"'{node.OpType}' of a flattened tensor", "");
            return false;
        }
        return true;
    }

    /// <summary>Whether only one node reads <paramref name="tensor"/> and it is not the graph's output: then a fusion may change it.</summary>
    private bool OnlyReader(string tensor) => _readers.TryGetValue(tensor, out int count) && count == 1 && tensor != _output;

    private static float FloatAttribute(OnnxNode node, string name, float fallback) =>
        node.Attribute(name) is { Type: OnnxAttributeTypes.Float } a ? a.Float : fallback;

    /// <summary>An int attribute that must be <paramref name="allowed"/> (its default when absent is <paramref name="fallback"/>).</summary>
    private bool Int(OnnxNode node, string name, long fallback, long allowed, string supported)
    {
        long value = node.Attribute(name)?.Int ?? fallback;
        if (value == allowed)
            return true;
        BadAttribute(node, name, value.ToString(CultureInfo.InvariantCulture), supported);
        return false;
    }

    /// <summary>An int-list attribute whose every value must be <paramref name="allowed"/>.</summary>
    private bool Ints(OnnxNode node, string name, long allowed, string supported)
    {
        OnnxAttribute? attribute = node.Attribute(name);
        if (attribute is null || attribute.Ints.All(v => v == allowed))
            return true;
        BadAttribute(node, name, attribute.Display, supported);
        return false;
    }

    /// <summary>
    /// An int-list attribute of <paramref name="count"/> equal values (strides, pads), or its default: at least 1 for a
    /// stride (its default), at least 0 for a padding.
    /// </summary>
    private bool Same(OnnxNode node, string name, int fallback, int count, string supported, out int value)
    {
        value = fallback;
        OnnxAttribute? attribute = node.Attribute(name);
        if (attribute is null)
            return true;
        EquatableArray<long> values = attribute.Ints;
        if (values.Count == count && values.All(v => v == values[0]) && values[0] >= fallback && values[0] <= 1 << 20)
        {
            value = (int)values[0];
            return true;
        }
        BadAttribute(node, name, attribute.Display, supported);
        return false;
    }

    private bool AutoPad(OnnxNode node)
    {
        string autoPad = node.Attribute("auto_pad")?.String ?? "NOTSET";
        bool zeroPads = node.Attribute("pads") is null || node.Attribute("pads")!.Ints.All(p => p == 0);
        if (autoPad == "NOTSET" || (autoPad == "VALID" && zeroPads))
            return true;
        BadAttribute(node, "auto_pad", "\"" + autoPad + "\"", "auto_pad = NOTSET and explicit pads (export from PyTorch writes them)");
        return false;
    }

    private static string Attr(OnnxNode node, string name) => node.Attribute(name)?.Display ?? "(absent)";

    private static string Dims(OnnxTensor tensor, int from = 0) => "[" + string.Join(", ", tensor.Dimensions.Skip(from)) + "]";

    /// <summary>Input <paramref name="index"/> as a constant float tensor (an initializer or a Constant's output).</summary>
    private bool ConstantFloats(OnnxNode node, int index, out OnnxTensor? tensor)
    {
        tensor = null;
        string name = index < node.Inputs.Count ? node.Inputs[index] : "";
        if (!_constants.TryGetValue(name, out OnnxTensor? found))
        {
            Unsupported(node, $"'{node.OpType}' with a computed input {index} ('{name}')", " (NetGen's weights are constants: initializers of the file)");
            return false;
        }
        if (found.DataType != OnnxTensor.Float)
        {
            BadAttribute(node, $"input '{name}' of element type", found.DataType.ToString(CultureInfo.InvariantCulture), "float (element type 1)");
            return false;
        }
        tensor = found;
        return true;
    }

    /// <summary>
    /// A dense layer's W [units, inputs] from a constant matrix stored as W (<paramref name="transposed"/>: Gemm with
    /// transB = 1, nn.Linear's export) or as Wᵀ [inputs, units] (MatMul, Gemm with transB = 0), which is transposed here.
    /// </summary>
    private bool Matrix(OnnxNode node, int index, bool transposed, int inputs, out float[] weight, out int units)
    {
        weight = [];
        units = 0;
        if (!ConstantFloats(node, index, out OnnxTensor? tensor))
            return false;
        EquatableArray<long> d = tensor!.Dimensions;
        long rows = d.Count == 2 ? d[0] : -1, columns = d.Count == 2 ? d[1] : -1;
        if (d.Count != 2 || (transposed ? columns : rows) != inputs || (transposed ? rows : columns) < 1)
        {
            BadAttribute(node, "the weight's shape", Dims(tensor), transposed ? $"[units, {inputs}] over its source of {inputs} values" : $"[{inputs}, units] over its source of {inputs} values");
            return false;
        }
        units = (int)(transposed ? rows : columns);
        float[] values = tensor.Floats.ToArray();
        if (transposed)
        {
            weight = values;
            return true;
        }
        weight = new float[values.Length];
        for (int i = 0; i < inputs; i++)
            for (int j = 0; j < units; j++)
                weight[j * inputs + i] = values[i * units + j];
        return true;
    }

    /// <summary>A bias of <paramref name="units"/> values: a constant [units], [1, units], or one value for all.</summary>
    private bool BiasVector(OnnxNode node, int index, int units, out float[]? bias)
    {
        bias = null;
        if (!ConstantFloats(node, index, out OnnxTensor? tensor))
            return false;
        bool shaped = tensor!.Dimensions.Count(d => d != 1) <= 1 && tensor.Dimensions.Count <= 2 && (tensor.Floats.Count == units || tensor.Floats.Count == 1)
            && (tensor.Dimensions.Count == 0 || tensor.Dimensions[tensor.Dimensions.Count - 1] == tensor.Floats.Count);
        if (!shaped)
        {
            BadAttribute(node, "the bias's shape", Dims(tensor), $"[{units}] (or one value for every unit)");
            return false;
        }
        bias = tensor.Floats.Count == units ? tensor.Floats.ToArray() : Enumerable.Repeat(tensor.Floats[0], units).ToArray();
        return true;
    }
}
