using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Batch and layer normalisation: BatchNormalization in inference form (what an exporter writes for a BatchNorm it could
/// not fold into a convolution), LayerNormalization (opset 17), and LayerNorm's expansion at opset 13, recognised from
/// its first ReduceMean.
/// </summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>
    /// BatchNormalization(X, scale, B, mean, var): a BatchNorm node whose γ and β are scale and B and whose running
    /// statistics start at the file's mean and var. ONNX's momentum weighs the running value (running·m + batch·(1 − m)),
    /// PyTorch's the batch's: NetGen's Momentum is 1 − m.
    /// </summary>
    internal void BatchNormalization(OnnxNode node)
    {
        if (!Source(node, 0, vector: false, out ValueRef source) || !Int(node, "training_mode", 0, 0, "training_mode = 0 (export in eval mode)"))
            return;
        if (node.Outputs.Skip(1).Any(o => o.Length > 0 && _readers.ContainsKey(o)))
        {
            Unsupported(node, "'BatchNormalization' with its training outputs read", " (export in eval mode)");
            return;
        }
        Shape shape = _nodes[source.Node].Shape;
        int channels = shape[0];
        float epsilon = FloatAttribute(node, "epsilon", 1e-5f), momentum = FloatAttribute(node, "momentum", 0.9f);
        if (!(momentum >= 0f && momentum <= 1f))
        {
            BadAttribute(node, "momentum", momentum.ToString("R", CultureInfo.InvariantCulture), "a momentum in [0, 1]");
            return;
        }
        var vectors = new float[4][];
        for (int input = 1; input <= 4; input++)
        {
            if (!BiasVector(node, input, channels, out float[]? vector))
                return;
            vectors[input - 1] = vector!;
        }
        string prefix = Prefix(node, node.Inputs[1]);
        var norm = new ImportedNode(NodeName(node, prefix), prefix, BatchNormLayer.Instance, new BatchNormArguments(Complement(momentum), epsilon), [_nodes[source.Node].Name], shape)
        {
            Weight = vectors[0],
            Bias = vectors[1],
            RunningMean = vectors[2],
            RunningVariance = vectors[3],
        };
        _values[node.Outputs[0]] = new ValueRef(Add(norm), source.Flattened);
    }

    /// <summary>LayerNormalization(X, scale, B) over every value of a sample (axis 1, or −rank of a sample).</summary>
    internal void LayerNormalization(OnnxNode node)
    {
        if (!Source(node, 0, vector: false, out ValueRef source))
            return;
        Shape shape = _nodes[source.Node].Shape;
        long axis = node.Attribute("axis")?.Int ?? -1;
        if (axis != 1 && axis != -shape.Rank)
        {
            BadAttribute(node, "axis", axis.ToString(CultureInfo.InvariantCulture), $"axis = 1 or {-shape.Rank}: every value of a {shape} sample");
            return;
        }
        if (!AffineOfShape(node, 1, shape, 1f, out float[]? scale) || !AffineOfShape(node, 2, shape, 0f, out float[]? shift))
            return;
        AddLayerNorm(node, node.Inputs[1], source, FloatAttribute(node, "epsilon", 1e-5f), scale!, shift!, node.Outputs[0]);
    }

    /// <summary>
    /// ReduceMean starts LayerNorm's expansion at opset 13: μ = ReduceMean(x), d = x − μ, σ² = ReduceMean(d ^ 2),
    /// y = d / √(σ² + ε), then optionally y·γ and + β, over every value of a sample. The whole chain becomes one LayerNorm
    /// node (its other nodes are skipped); any other ReduceMean is refused.
    /// </summary>
    internal void ReduceMean(OnnxNode node)
    {
        if (!Source(node, 0, vector: false, out ValueRef source))
            return;
        Shape shape = _nodes[source.Node].Shape;
        string x = node.Inputs[0];
        OnnxNode? sub = null, pow = null, mean2 = null, add = null, sqrt = null, div = null, mul = null, addBias = null;
        float epsilon = 0;
        bool matched = CoversSample(node, shape)
            && (sub = OnlyReaderOf(node.Outputs[0], "Sub")) is not null && sub.Inputs[0] == x
            && Readers(sub.Outputs[0]).Count == 2
            && (pow = Readers(sub.Outputs[0]).FirstOrDefault(r => r.OpType == "Pow")) is not null && ScalarConstant(pow.Inputs[1]) == 2f
            && (div = Readers(sub.Outputs[0]).FirstOrDefault(r => r.OpType == "Div")) is not null && div.Inputs[0] == sub.Outputs[0]
            && (mean2 = OnlyReaderOf(pow.Outputs[0], "ReduceMean")) is not null && CoversSample(mean2, shape)
            && (add = OnlyReaderOf(mean2.Outputs[0], "Add")) is not null && ScalarConstant(add.Inputs[1]) is float e && (epsilon = e) > 0
            && (sqrt = OnlyReaderOf(add.Outputs[0], "Sqrt")) is not null
            && div.Inputs[1] == sqrt.Outputs[0] && OnlyReaderOf(sqrt.Outputs[0], "Div") == div;
        if (!matched)
        {
            Unsupported(node, "'ReduceMean'", " outside LayerNorm's expansion (ReduceMean, Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div, then Mul γ and Add β, over every value of a sample)");
            return;
        }
        string output = div!.Outputs[0];
        float[] scale = Enumerable.Repeat(1f, shape.Size).ToArray(), shift = new float[shape.Size];
        string weightName = "";
        if ((mul = OnlyReaderOf(output, "Mul")) is not null && _constants.ContainsKey(mul.Inputs[1]))
        {
            if (!AffineOfShape(mul, 1, shape, 1f, out float[]? gamma))
                return;
            scale = gamma!;
            weightName = mul.Inputs[1];
            output = mul.Outputs[0];
            if ((addBias = OnlyReaderOf(output, "Add")) is not null && _constants.ContainsKey(addBias.Inputs[1]))
            {
                if (!AffineOfShape(addBias, 1, shape, 0f, out float[]? beta))
                    return;
                shift = beta!;
                output = addBias.Outputs[0];
            }
        }
        foreach (OnnxNode? part in new[] { sub, pow, mean2, add, sqrt, div, mul, addBias })
            if (part is not null)
                _absorbed.Add(part);
        AddLayerNorm(node, weightName, source, epsilon, scale, shift, output);
    }

    private void AddLayerNorm(OnnxNode node, string weightName, ValueRef source, float epsilon, float[] scale, float[] shift, string output)
    {
        string prefix = Prefix(node, weightName);
        var norm = new ImportedNode(NodeName(node, prefix), prefix, LayerNormLayer.Instance, new LayerNormArguments(epsilon), [_nodes[source.Node].Name], _nodes[source.Node].Shape)
        {
            Weight = scale,
            Bias = shift,
        };
        _values[output] = new ValueRef(Add(norm), source.Flattened);
    }

    /// <summary>γ or β of a layer normalisation: a constant of the sample's shape (or its size), or, when absent, all <paramref name="fallback"/>.</summary>
    private bool AffineOfShape(OnnxNode node, int index, Shape shape, float fallback, out float[]? values)
    {
        values = null;
        if (index >= node.Inputs.Count || node.Inputs[index].Length == 0)
        {
            values = Enumerable.Repeat(fallback, shape.Size).ToArray();
            return true;
        }
        if (!ConstantFloats(node, index, out OnnxTensor? tensor))
            return false;
        if (tensor!.Floats.Count != shape.Size)
        {
            BadAttribute(node, $"input '{node.Inputs[index]}' of shape", Dims(tensor), $"{shape}, the shape of the values it scales or shifts");
            return false;
        }
        values = tensor.Floats.ToArray();
        return true;
    }

    /// <summary>Whether a ReduceMean averages every value of a sample (axes 1…rank, or their negative forms) and keeps its dimensions.</summary>
    private static bool CoversSample(OnnxNode node, Shape shape)
    {
        if ((node.Attribute("keepdims")?.Int ?? 1) != 1 || node.Inputs.Count > 1)
            return false;
        long[] axes = node.Attribute("axes")?.Ints.ToArray() ?? [];
        var normalised = new HashSet<long>(axes.Select(a => a < 0 ? a + shape.Rank + 1 : a));
        return axes.Length == shape.Rank && Enumerable.Range(1, shape.Rank).All(a => normalised.Contains(a));
    }

    private List<OnnxNode> Readers(string tensor) => _readersOf.TryGetValue(tensor, out List<OnnxNode>? readers) ? readers : [];

    /// <summary>The one node that reads <paramref name="tensor"/> when it is an <paramref name="opType"/> and the tensor is not the output.</summary>
    private OnnxNode? OnlyReaderOf(string tensor, string opType)
    {
        List<OnnxNode> readers = Readers(tensor);
        return readers.Count == 1 && readers[0].OpType == opType && tensor != _output ? readers[0] : null;
    }

    /// <summary>A constant holding one float, or null.</summary>
    private float? ScalarConstant(string name) =>
        _constants.TryGetValue(name, out OnnxTensor? tensor) && tensor.DataType == OnnxTensor.Float && tensor.Floats.Count == 1 ? tensor.Floats[0] : null;

    /// <summary>
    /// 1 − m on m's shortest decimal form: ONNX's usual 0.9 is PyTorch's 0.1 exactly, where float arithmetic gives
    /// 0.100000024 (0.9 is not a float; the nearest one is 0.89999998).
    /// </summary>
    private static float Complement(float m) =>
        (float)(1m - decimal.Parse(m.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture));
}
