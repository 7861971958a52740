using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// Writes an ONNX model (onnx.proto's ModelProto) of a workload's layers with fixed shapes: a dense layer is one Gemm
/// (Y = X·Wᵀ + b, W kept in PyTorch's [out, in] layout with transB = 1), a convolution one Conv (W [out, in, k] or
/// [out, in, k, k], B [out], kernel_shape, strides and zero pads on every side), max pooling one MaxPool (kernel_shape,
/// strides equal to it: windows side by side, output sizes floored as PyTorch's), flattening one Flatten (axis 1: C, H,
/// W order); each layer's activation follows as its own node (Sigmoid, Tanh, Relu, Softmax over the class axis). The
/// weights are initializers taken from NetGen's flat parameter layout (per layer the weight, then the bias), so ONNX
/// Runtime computes exactly the network NetGen does. The bytes are written by the runtime's own onnx.proto writer
/// (<see cref="OnnxProto"/> over <see cref="ProtobufWriter"/>), the one <c>NetGen.Onnx.Save</c> exports networks with;
/// the workloads keep this description of their own (fixed batch, names x and y) because they are layer stacks, not
/// generated networks.
/// </summary>
public static class OnnxModel
{
    public const string InputName = "x";
    public const string OutputName = "y";

    /// <summary>IR version 8 (ONNX 1.10) and opset 17, the runtime's own (NetGen.Onnx writes the same).</summary>
    public const long IrVersion = OnnxProto.IrVersion, OpsetVersion = OnnxProto.OpsetVersion;

    /// <summary>The serialized model for inputs [<paramref name="batch"/>, …layers[0]'s input shape].</summary>
    public static byte[] Build(Layer[] layers, ReadOnlySpan<float> parameters, int batch)
    {
        int expected = LayerStack.Validate(layers);
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "the batch size must be at least 1");
        if (parameters.Length != expected)
            throw new ArgumentException($"the layers have {expected} parameters, the buffer holds {parameters.Length}", nameof(parameters));

        var graph = new ProtobufWriter().String(OnnxProto.GraphProto.Name, "layer_stack");
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
                int length = shape.Aggregate(1, (a, b) => a * b);
                string tensor = $"{name}{l}";
                OnnxProto.FloatInitializer(graph, tensor, Array.ConvertAll(shape, d => (long)d), parameters.Slice(offset, length));
                inputs.Add(tensor);
                offset += length;
            }
            LayerNode(graph, l, layer, inputs.ToArray(), z);
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
            if (layer.Activation == LayerActivation.Softmax)
                OnnxProto.Node(graph, $"{op.ToLowerInvariant()}{l}", op, [z], y, OnnxProto.Int("axis", 1));
            else
                OnnxProto.Node(graph, $"{op.ToLowerInvariant()}{l}", op, [z], y);
            previous = y;
        }
        OnnxProto.FloatTensorValue(graph, OnnxProto.GraphProto.Input, InputName, [batch, .. layers[0].Input.Dims.Select(d => (OnnxDimension)d)]);
        OnnxProto.FloatTensorValue(graph, OnnxProto.GraphProto.Output, OutputName, [batch, .. layers[^1].Output.Dims.Select(d => (OnnxDimension)d)]);
        return OnnxProto.Model("NetGen.Benchmarks", producerVersion: null, graph.ToArray());
    }

    /// <summary>The node of a layer's own operation (its activation is the next node): Gemm, Conv, MaxPool or Flatten.</summary>
    private static void LayerNode(ProtobufWriter graph, int l, Layer layer, string[] inputs, string output)
    {
        switch (layer)
        {
            case DenseLayer:
                OnnxProto.Node(graph, $"gemm{l}", "Gemm", inputs, output, OnnxProto.Int("transB", 1));
                break;
            case ConvLayer conv:
                OnnxProto.Node(graph, $"conv{l}", "Conv", inputs, output,
                    OnnxProto.Ints("kernel_shape", Repeat(conv.Kernel, conv.SpatialRank)),
                    OnnxProto.Ints("strides", Repeat(conv.Stride, conv.SpatialRank)),
                    OnnxProto.Ints("pads", Repeat(conv.Padding, 2 * conv.SpatialRank)));   // begins, then ends
                break;
            case MaxPoolLayer pool:
                OnnxProto.Node(graph, $"maxpool{l}", "MaxPool", inputs, output,
                    OnnxProto.Ints("kernel_shape", Repeat(pool.Size, pool.Input.Rank - 1)),
                    OnnxProto.Ints("strides", Repeat(pool.Size, pool.Input.Rank - 1)));
                break;
            case FlattenLayer:
                OnnxProto.Node(graph, $"flatten{l}", "Flatten", inputs, output, OnnxProto.Int("axis", 1));
                break;
            default:
                throw new ArgumentException($"no ONNX operator for {layer}", nameof(layer));
        }
    }

    private static long[] Repeat(long value, int count) => Enumerable.Repeat(value, count).ToArray();
}
