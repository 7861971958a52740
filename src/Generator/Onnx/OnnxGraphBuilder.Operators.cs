using System.Collections.Generic;
using NetGen.Generator.Helpers;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Onnx;

/// <summary>The handler of each row of <see cref="OnnxOperators"/>: what an ONNX node adds to or changes in the network.</summary>
internal sealed partial class OnnxGraphBuilder
{
    // ---- Layers with weights ----

    /// <summary>Gemm: Y = alpha·A·B' + beta·C, B' = Bᵀ when transB = 1 (nn.Linear's export: W [out, in] as stored).</summary>
    internal void Gemm(OnnxNode node)
    {
        if (!Source(node, 0, vector: true, out ValueRef source) || !Int(node, "transA", 0, 0, "transA = 0"))
            return;
        float alpha = FloatAttribute(node, "alpha", 1f), beta = FloatAttribute(node, "beta", 1f);
        long transB = node.Attribute("transB")?.Int ?? 0;
        if (transB is not (0 or 1))
        {
            BadAttribute(node, "transB", transB.ToString(System.Globalization.CultureInfo.InvariantCulture), "transB = 0 or 1");
            return;
        }
        int inputs = _nodes[source.Node].Shape.Size;
        if (!Matrix(node, 1, transB == 1, inputs, out float[] weight, out int units))
            return;
        float[]? bias = null;
        if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0 && !BiasVector(node, 2, units, out bias))
            return;
        for (int i = 0; i < weight.Length; i++)
            weight[i] *= alpha;
        if (bias is not null)
            for (int i = 0; i < bias.Length; i++)
                bias[i] *= beta;
        AddDense(node, source, weight, bias, units);
    }

    /// <summary>MatMul of a computed vector and a constant [in, out]: a Dense layer whose W is B transposed.</summary>
    internal void MatMul(OnnxNode node)
    {
        if (!Source(node, 0, vector: true, out ValueRef source))
            return;
        if (Matrix(node, 1, transposed: false, _nodes[source.Node].Shape.Size, out float[] weight, out int units))
            AddDense(node, source, weight, null, units);
    }

    private void AddDense(OnnxNode node, ValueRef source, float[] weight, float[]? bias, int units)
    {
        string prefix = Prefix(node, node.Inputs[1]);
        var dense = new ImportedNode(NodeName(node, prefix), prefix, DenseLayer.Instance,
            (activation, slope, hasBias) => new DenseArguments(units, activation, slope, activation == Model.Activation.LeakyReLU, hasBias),
            [_nodes[source.Node].Name], Shape.Vector(units))
        {
            Weight = weight,
            Bias = bias,
        };
        _values[node.Outputs[0]] = new ValueRef(Add(dense), false);
    }

    /// <summary>Conv over [C, L] or [C, H, W]: W [out, C, k] or [out, C, k, k], as nn.Conv1d and nn.Conv2d store it.</summary>
    internal void Conv(OnnxNode node)
    {
        if (!Source(node, 0, vector: false, out ValueRef source))
            return;
        Shape input = _nodes[source.Node].Shape;
        if (!ConstantFloats(node, 1, out OnnxTensor? w) || w!.Dimensions.Count is not (3 or 4))
        {
            if (w is not null)
                BadAttribute(node, "the weight's shape", Dims(w), "[out, in, k] or [out, in, k, k]");
            return;
        }
        int dimensions = w.Dimensions.Count - 2;
        int channels = (int)w.Dimensions[0], kernel = (int)w.Dimensions[2];
        if (input.Rank != dimensions + 1 || input[0] != w.Dimensions[1])
        {
            BadAttribute(node, "the weight's shape", Dims(w), $"[out, {(input.Rank > 0 ? input[0] : 0)}, k{(dimensions == 2 ? ", k" : "")}] over its input {input}");
            return;
        }
        if (dimensions == 2 && w.Dimensions[3] != kernel)
        {
            BadAttribute(node, "kernel_shape", Dims(w, 2), "a square kernel");
            return;
        }
        if (!Ints(node, "dilations", 1, "dilations of 1") || !Int(node, "group", 1, 1, "group = 1")
            || !AutoPad(node) || !Same(node, "strides", 1, dimensions, "one positive stride for every dimension", out int stride)
            || !Same(node, "pads", 0, 2 * dimensions, "one padding on every side", out int padding))
            return;
        float[]? bias = null;
        if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0 && !BiasVector(node, 2, channels, out bias))
            return;
        int[] output = [channels, .. Enumerable.Range(1, dimensions).Select(d => (input[d] + 2 * padding - kernel) / stride + 1)];
        string prefix = Prefix(node, node.Inputs[1]);
        var conv = new ImportedNode(NodeName(node, prefix), prefix, dimensions == 1 ? ConvolutionLayer.Conv1D : ConvolutionLayer.Conv2D,
            (activation, slope, hasBias) => new ConvolutionArguments(channels, kernel, activation, stride, padding, slope, activation == Model.Activation.LeakyReLU, hasBias),
            [_nodes[source.Node].Name], Shape.Of(output))
        {
            Weight = w.Floats.ToArray(),
            Bias = bias,
        };
        _values[node.Outputs[0]] = new ValueRef(Add(conv), false);
    }

    // ---- Layers without weights ----

    /// <summary>MaxPool or AveragePool with a square window and no padding, as nn.MaxPool1d/2d and nn.AvgPool1d/2d.</summary>
    internal void Pool(OnnxNode node, bool max)
    {
        if (!Source(node, 0, vector: false, out ValueRef source))
            return;
        if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0 && _readers.ContainsKey(node.Outputs[1]))
        {
            Unsupported(node, "'MaxPool' with its Indices output read", "");
            return;
        }
        Shape input = _nodes[source.Node].Shape;
        long[] kernel = node.Attribute("kernel_shape")?.Ints.ToArray() ?? [];
        int dimensions = kernel.Length;
        if (dimensions is not (1 or 2) || input.Rank != dimensions + 1 || kernel.Any(k => k != kernel[0] || k < 1 || k > int.MaxValue))
        {
            BadAttribute(node, "kernel_shape", "[" + string.Join(", ", kernel) + "]", $"a square window of {input.Rank - 1} dimension(s) over its input {input}");
            return;
        }
        int size = (int)kernel[0];
        if (!Ints(node, "dilations", 1, "dilations of 1") || !Int(node, "ceil_mode", 0, 0, "ceil_mode = 0")
            || !Int(node, "storage_order", 0, 0, "storage_order = 0") || !AutoPad(node)
            || !Same(node, "strides", 1, dimensions, "one positive stride for every dimension", out int stride)
            || !Same(node, "pads", 0, 2 * dimensions, "no padding (pads of 0)", out int padding))
            return;
        if (padding != 0)
        {
            BadAttribute(node, "pads", Attr(node, "pads"), "no padding (pads of 0)");
            return;
        }
        LayerKind kind = (max, dimensions) switch
        {
            (true, 1) => PoolingLayer.MaxPool1D,
            (true, _) => PoolingLayer.MaxPool2D,
            (false, 1) => PoolingLayer.AvgPool1D,
            _ => PoolingLayer.AvgPool2D,
        };
        int[] output = [input[0], .. Enumerable.Range(1, dimensions).Select(d => input[d] < size ? 0 : (input[d] - size) / stride + 1)];
        var pool = new ImportedNode(NodeName(node, ""), "", kind, new PoolingArguments(size, stride), [_nodes[source.Node].Name], Shape.Of(output));
        _values[node.Outputs[0]] = new ValueRef(Add(pool), false);
    }

    /// <summary>Add: a residual sum of two computed tensors, or the bias after a MatMul (x @ W.T + b).</summary>
    internal void Add(OnnxNode node)
    {
        if (node.Inputs.Count != 2)
        {
            BadAttribute(node, "inputs", node.Inputs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "two inputs");
            return;
        }
        int constant = _constants.ContainsKey(node.Inputs[0]) ? 0 : _constants.ContainsKey(node.Inputs[1]) ? 1 : -1;
        if (constant < 0)
        {
            Elementwise(node, ElementwiseLayer.Add);
            return;
        }
        string computed = node.Inputs[1 - constant];
        if (!Source(node, 1 - constant, vector: false, out ValueRef source))
            return;
        ImportedNode dense = _nodes[source.Node];
        if (dense.Kind != DenseLayer.Instance || dense.Bias is not null || dense.Activation != Model.Activation.Identity || !OnlyReader(computed))
        {
            Unsupported(node, "'Add' of a constant", $" here: a constant is added only as the bias of a MatMul it alone reads, and '{computed}' is not such a MatMul");
            return;
        }
        if (BiasVector(node, constant, dense.Shape.Size, out float[]? bias))
        {
            dense.Bias = bias;
            _values[node.Outputs[0]] = source;
        }
    }

    internal void Max(OnnxNode node)
    {
        if (node.Inputs.Count == 2 && !_constants.ContainsKey(node.Inputs[0]) && !_constants.ContainsKey(node.Inputs[1]))
            Elementwise(node, ElementwiseLayer.Max);
        else
            BadAttribute(node, "inputs", string.Join(", ", node.Inputs), "two computed tensors (no constants)");
    }

    private void Elementwise(OnnxNode node, ElementwiseLayer kind)
    {
        if (!Source(node, 0, vector: false, out ValueRef a) || !Source(node, 1, vector: false, out ValueRef b))
            return;
        Shape shape = _nodes[a.Node].Shape;
        if (a.Flattened != b.Flattened && shape.Rank > 1)
            shape = Shape.Vector(shape.Size);
        var sum = new ImportedNode(NodeName(node, ""), "", kind, new OperandArguments(), [_nodes[a.Node].Name, _nodes[b.Node].Name], shape);
        _values[node.Outputs[0]] = new ValueRef(Add(sum), a.Flattened && b.Flattened);
    }

    // ---- Activations: fused into the layer before, or a node of their own ----

    /// <summary>
    /// Relu, Sigmoid, Tanh, Softplus, LeakyRelu or Softmax: inside the Dense or Conv layer before it when that layer has
    /// none yet and nothing else reads its output (the fused kernels); otherwise an [Activation] node of its own (after
    /// a BatchNormalization, an Add, a pooling, or a layer whose output other nodes also read).
    /// </summary>
    internal void Activation(OnnxNode node)
    {
        if (!Source(node, 0, vector: false, out ValueRef source))
            return;
        float slope = 0.01f;
        Model.Activation activation;
        switch (node.OpType)
        {
            case "Relu": activation = Model.Activation.ReLU; break;
            case "Sigmoid": activation = Model.Activation.Sigmoid; break;
            case "Tanh": activation = Model.Activation.Tanh; break;
            case "Softplus": activation = Model.Activation.Softplus; break;
            case "LeakyRelu":
                activation = Model.Activation.LeakyReLU;
                slope = FloatAttribute(node, "alpha", 0.01f);
                break;
            default:
                Shape shape = _nodes[source.Node].Shape;
                long axis = node.Attribute("axis")?.Int ?? (_graph.Opset >= 13 ? -1 : 1);
                if (shape.Rank != 1 || axis is not (-1 or 1))
                {
                    BadAttribute(node, "axis", axis.ToString(System.Globalization.CultureInfo.InvariantCulture), $"the last axis of a vector (Softmax reads {shape})");
                    return;
                }
                activation = Model.Activation.Softmax;
                break;
        }
        Apply(node, node.Inputs[0], source, node.Outputs[0], activation, slope);
    }

    /// <summary>
    /// A Mul by the constant ½ that only a Tanh reads: tanh(x/2), NetGen's bipolar sigmoid (1 − e^{−x})/(1 + e^{−x}), as
    /// NetGen exports it. Any other Mul is outside what NetGen compiles (LayerNorm's expansion takes its own).
    /// </summary>
    internal void Mul(OnnxNode node)
    {
        int half = node.Inputs.Count == 2 ? (ScalarConstant(node.Inputs[1]) == 0.5f ? 1 : ScalarConstant(node.Inputs[0]) == 0.5f ? 0 : -1) : -1;
        OnnxNode? tanh = half >= 0 ? OnlyReaderOf(node.Outputs[0], "Tanh") : null;
        if (tanh is null)
        {
            Unsupported(node, "'Mul'", " outside LayerNorm's expansion and tanh(x/2), a bipolar sigmoid (a Mul by the constant 0.5 that only a Tanh reads)");
            return;
        }
        if (!Source(node, 1 - half, vector: false, out ValueRef source))
            return;
        _absorbed.Add(tanh);
        Apply(tanh, node.Inputs[1 - half], source, tanh.Outputs[0], Model.Activation.BipolarSigmoid, 0.01f);
    }

    /// <summary>f applied to <paramref name="input"/>, written to <paramref name="output"/>: fused into the layer before where it can be.</summary>
    private void Apply(OnnxNode node, string input, ValueRef source, string output, Model.Activation activation, float slope)
    {
        ImportedNode layer = _nodes[source.Node];
        if (layer.Kind.HasActivation && layer.Kind != ActivationLayer.Instance && layer.Activation == Model.Activation.Identity && OnlyReader(input))
        {
            layer.Activation = activation;
            layer.Slope = slope;
            _values[output] = source;
            return;
        }
        // An activation is element-wise, so a flattened value keeps its node's shape (and stays flattened for its readers).
        var own = new ImportedNode(NodeName(node, ""), "", ActivationLayer.Instance,
            (kind, alpha, _) => new ActivationLayerArguments(kind, alpha, kind == Model.Activation.LeakyReLU), [layer.Name], layer.Shape)
        {
            Activation = activation,
            Slope = slope,
        };
        _values[output] = new ValueRef(Add(own), source.Flattened);
    }

    // ---- Nodes that pass their input on ----

    internal void PassOn(OnnxNode node, bool flattens)
    {
        if (!Source(node, 0, vector: false, out ValueRef source))
            return;
        if (flattens && !Int(node, "axis", 1, 1, "axis = 1 (torch.flatten(x, 1))"))
            return;
        if (node.OpType == "Dropout" && node.Outputs.Count > 1 && _readers.ContainsKey(node.Outputs[1]))
        {
            Unsupported(node, "'Dropout' with its mask output read", "");
            return;
        }
        _values[node.Outputs[0]] = source with { Flattened = source.Flattened || flattens };
    }

    /// <summary>Pad of zeros on every side: AvgPool2d's export writes one (pads from an int64 Constant) before AveragePool.</summary>
    internal void Pad(OnnxNode node)
    {
        if (!Source(node, 0, vector: false, out ValueRef source))
            return;
        long[]? pads = node.Attribute("pads")?.Ints.ToArray();
        if (pads is null && node.Inputs.Count > 1 && _constants.TryGetValue(node.Inputs[1], out OnnxTensor? tensor))
            pads = tensor.Longs.ToArray();
        if (pads is null || pads.Any(p => p != 0))
        {
            BadAttribute(node, "pads", pads is null ? "(computed)" : "[" + string.Join(", ", pads) + "]", "pads of 0 (NetGen's layers pad by their Padding argument only)");
            return;
        }
        _values[node.Outputs[0]] = source;
    }

    internal void Constant(OnnxNode node)
    {
        OnnxTensor? value = node.Attribute("value")?.Tensor;
        if (value is null)
        {
            OnnxAttribute? other = node.Attributes.Count == 1 ? node.Attributes[0] : null;
            value = other?.Name switch
            {
                "value_float" => new OnnxTensor("", OnnxTensor.Float, Helpers.EquatableArray<long>.Empty, new[] { other.Float }.ToEquatableArray(), Helpers.EquatableArray<long>.Empty),
                "value_floats" => new OnnxTensor("", OnnxTensor.Float, new[] { (long)other.Floats.Count }.ToEquatableArray(), other.Floats, Helpers.EquatableArray<long>.Empty),
                "value_int" => new OnnxTensor("", OnnxTensor.Int64, Helpers.EquatableArray<long>.Empty, Helpers.EquatableArray<float>.Empty, new[] { other.Int }.ToEquatableArray()),
                "value_ints" => new OnnxTensor("", OnnxTensor.Int64, new[] { (long)other.Ints.Count }.ToEquatableArray(), Helpers.EquatableArray<float>.Empty, other.Ints),
                _ => null,
            };
        }
        if (value is null)
        {
            BadAttribute(node, "its value", node.Attributes.Count > 0 ? node.Attributes[0].Name : "(none)", "value, value_float(s) or value_int(s)");
            return;
        }
        _constants[node.Outputs[0]] = value;
    }
}
