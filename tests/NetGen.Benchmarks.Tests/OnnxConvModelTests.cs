using System;
using System.Linq;
using NetGen.Benchmarks.Onnx;
using Xunit;
using static NetGen.Benchmarks.LayerActivation;
using Message = NetGen.Testing.ProtobufMessage;

namespace NetGen.Benchmarks.Tests;

/// <summary>
/// The convolutional layers in the ONNX graph, decoded with Google.Protobuf: the Conv, MaxPool and Flatten nodes with
/// onnx.proto's attribute encoding (AttributeProto.ints = 8, type INTS = 7), the weight shapes and the input's shape.
/// </summary>
public class OnnxConvModelTests
{
    private static Message Graph(Layer[] layers, int batch) =>
        Message.Parse(OnnxModel.Build(layers, new float[LayerStack.Validate(layers)], batch)).Messages(7).Single();

    [Fact]
    public void LeNet_is_conv_relu_maxpool_twice_then_flatten_and_three_gemms()
    {
        Message[] nodes = Graph(Architectures.LeNet(), batch: 4).Messages(1);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax"], nodes.Select(n => n.String(4)));
        Assert.Equal(["x", "W0", "b0"], nodes[0].Strings(1));
        Assert.Equal(["y0"], nodes[2].Strings(1));                   // the pooling reads the first convolution's ReLU
        Assert.Equal(["z3"], nodes[6].Strings(1));                   // Flatten reads the second pooling (no activation)
        Assert.Equal(["z4", "W5", "b5"], nodes[7].Strings(1));        // the first Gemm reads the flattened values
        Assert.Equal(["y"], nodes[^1].Strings(2));
    }

    [Fact]
    public void A_conv2d_node_carries_its_kernel_strides_and_pads_on_both_sides_of_both_axes()
    {
        Layer[] layers = LayerStack.From(3, 9, 7).Conv(4, 3, ReLU, padding: 2, stride: 2).Layers;
        Message conv = Graph(layers, batch: 1).Messages(1)[0];
        Assert.Equal("Conv", conv.String(4));
        Message[] attributes = conv.Messages(5);
        Assert.Equal(["kernel_shape", "strides", "pads"], attributes.Select(a => a.String(1)));
        Assert.Equal([3L, 3L], attributes[0].PackedInts(8));
        Assert.Equal([2L, 2L], attributes[1].PackedInts(8));
        Assert.Equal([2L, 2L, 2L, 2L], attributes[2].PackedInts(8));   // [h begin, w begin, h end, w end]
        Assert.All(attributes, a => Assert.Equal(7, a.Int(20)));       // type INTS
    }

    [Fact]
    public void A_conv1d_node_has_one_kernel_size_and_two_pads()
    {
        Message conv = Graph(LayerStack.From(1, 128).Conv(16, 7, ReLU, padding: 3).Layers, batch: 1).Messages(1)[0];
        Message[] attributes = conv.Messages(5);
        Assert.Equal([7L], attributes[0].PackedInts(8));
        Assert.Equal([1L], attributes[1].PackedInts(8));
        Assert.Equal([3L, 3L], attributes[2].PackedInts(8));
    }

    [Fact]
    public void Max_pooling_windows_lie_side_by_side_and_flatten_keeps_the_batch_axis()
    {
        Message[] nodes = Graph(LayerStack.From(2, 8).MaxPool(3).Dense(5, Identity).Layers, batch: 2).Messages(1);
        Assert.Equal(["MaxPool", "Flatten", "Gemm"], nodes.Select(n => n.String(4)));
        Message[] pool = nodes[0].Messages(5);
        Assert.Equal(["kernel_shape", "strides"], pool.Select(a => a.String(1)));
        Assert.Equal([3L], pool[0].PackedInts(8));
        Assert.Equal([3L], pool[1].PackedInts(8));
        Message axis = nodes[1].Messages(5).Single();
        Assert.Equal("axis", axis.String(1));
        Assert.Equal(1, axis.Int(3));
        Assert.Equal(2, axis.Int(20));                                 // type INT
    }

    [Fact]
    public void Conv_weights_keep_pytorchs_shape_and_the_input_is_batch_channels_height_width()
    {
        Message graph = Graph(Architectures.LeNet(), batch: 128);
        Message[] initializers = graph.Messages(5);
        Assert.Equal(["W0", "b0", "W2", "b2", "W5", "b5", "W6", "b6", "W7", "b7"], initializers.Select(t => t.String(8)));
        Assert.Equal([6L, 1L, 5L, 5L], initializers[0].PackedInts(1));
        Assert.Equal([16L, 6L, 5L, 5L], initializers[2].PackedInts(1));
        Assert.Equal([120L, 400L], initializers[4].PackedInts(1));
        long[] inputDims = graph.Messages(11).Single().Messages(2).Single().Messages(1).Single().Messages(2).Single().Messages(1).Select(d => d.Int(1)).ToArray();
        Assert.Equal([128L, 1L, 28L, 28L], inputDims);
    }

    [Fact]
    public void Layers_that_do_not_chain_are_refused_with_both_shapes_in_the_message()
    {
        Layer[] layers = [new ConvLayer(new Shape(1, 28, 28), 6, 5, ReLU), new DenseLayer(100, 10, Softmax)];
        var error = Assert.Throws<ArgumentException>(() => OnnxModel.Build(layers, new float[156 + 1010], batch: 1));
        Assert.Contains("reads [100] but layer 0 writes [6×24×24]", error.Message);
    }
}
