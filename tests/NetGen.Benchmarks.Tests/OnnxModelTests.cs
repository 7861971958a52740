using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Google.Protobuf;
using NetGen.Benchmarks.Onnx;
using Xunit;
using Message = NetGen.Testing.ProtobufMessage;

namespace NetGen.Benchmarks.Tests;

/// <summary>
/// The ONNX models the benchmark hands to ONNX Runtime, read back with Google.Protobuf's decoder (an implementation
/// independent of the writer) and checked field by field against onnx.proto's numbering.
/// </summary>
public class OnnxModelTests
{
    // The logistic neuron: W = [0.5, −0.25], b = [0.125].
    private static readonly Layer[] Neuron = [new DenseLayer(2, 1, LayerActivation.Sigmoid)];
    private static readonly float[] NeuronParameters = [0.5f, -0.25f, 0.125f];

    [Fact]
    public void The_model_names_its_ir_version_producer_and_opset()
    {
        Message model = Message.Parse(OnnxModel.Build(Neuron, NeuronParameters, batch: 1));
        Assert.Equal(8, model.Int(1));                                  // ir_version
        Assert.Equal("NetGen.Benchmarks", model.String(2));            // producer_name
        Message opset = model.Messages(8).Single();                     // opset_import
        Assert.Equal("", opset.String(1));
        Assert.Equal(17, opset.Int(2));
    }

    [Fact]
    public void The_neuron_is_a_gemm_with_transposed_weights_then_a_sigmoid()
    {
        Message graph = Message.Parse(OnnxModel.Build(Neuron, NeuronParameters, batch: 1)).Messages(7).Single();
        Message[] nodes = graph.Messages(1);
        Assert.Equal(["Gemm", "Sigmoid"], nodes.Select(n => n.String(4)));
        Assert.Equal(["x", "W0", "b0"], nodes[0].Strings(1));
        Assert.Equal(["z0"], nodes[0].Strings(2));
        Message transB = nodes[0].Messages(5).Single();
        Assert.Equal("transB", transB.String(1));
        Assert.Equal(1, transB.Int(3));     // i
        Assert.Equal(2, transB.Int(20));    // type = INT
        Assert.Equal(["z0"], nodes[1].Strings(1));
        Assert.Equal(["y"], nodes[1].Strings(2));
    }

    [Fact]
    public void Initializers_hold_the_weights_as_little_endian_raw_data()
    {
        Message graph = Message.Parse(OnnxModel.Build(Neuron, NeuronParameters, batch: 1)).Messages(7).Single();
        Message[] initializers = graph.Messages(5);
        Assert.Equal(["W0", "b0"], initializers.Select(t => t.String(8)));
        Assert.Equal([1L, 2L], initializers[0].PackedInts(1));        // dims [out, in]
        Assert.Equal(1, initializers[0].Int(2));                       // data_type FLOAT
        Assert.Equal(ProtobufWriterTests.Hex("00 00 00 3F 00 00 80 BE"), initializers[0].Bytes(9));
        Assert.Equal([1L], initializers[1].PackedInts(1));
        Assert.Equal(ProtobufWriterTests.Hex("00 00 00 3E"), initializers[1].Bytes(9));
    }

    [Fact]
    public void The_weight_tensor_is_exactly_the_bytes_onnx_proto_prescribes()
    {
        // TensorProto { dims = 1: packed [1, 2]; data_type = 2: 1; name = 8: "W0"; raw_data = 9: 0.5f, −0.25f },
        // as the initializer field 5 of the graph: 2A 14 | 0A 02 01 02 | 10 01 | 42 02 57 30 | 4A 08 00 00 00 3F 00 00 80 BE.
        byte[] expected = ProtobufWriterTests.Hex("2A 14 0A 02 01 02 10 01 42 02 57 30 4A 08 00 00 00 3F 00 00 80 BE");
        byte[] model = OnnxModel.Build(Neuron, NeuronParameters, batch: 1);
        Assert.True(IndexOf(model, expected) >= 0, "the W0 initializer's bytes are not in the model");
    }

    [Fact]
    public void Inputs_and_outputs_are_float_tensors_of_the_batch_shape()
    {
        Message graph = Message.Parse(OnnxModel.Build(Neuron, NeuronParameters, batch: 128)).Messages(7).Single();
        AssertFloatTensor(graph.Messages(11).Single(), "x", 128, 2);
        AssertFloatTensor(graph.Messages(12).Single(), "y", 128, 1);
    }

    [Fact]
    public void A_stack_of_layers_chains_its_nodes_and_ends_at_y()
    {
        Layer[] layers = [new DenseLayer(4, 3, LayerActivation.Tanh), new DenseLayer(3, 5, LayerActivation.ReLU), new DenseLayer(5, 2, LayerActivation.Identity)];
        float[] parameters = Enumerable.Range(0, 15 + 20 + 12).Select(i => i * 0.25f).ToArray();
        Message graph = Message.Parse(OnnxModel.Build(layers, parameters, batch: 3)).Messages(7).Single();
        Message[] nodes = graph.Messages(1);
        Assert.Equal(["Gemm", "Tanh", "Gemm", "Relu", "Gemm"], nodes.Select(n => n.String(4)));
        Assert.Equal(["y0", "W1", "b1"], nodes[2].Strings(1));
        Assert.Equal(["y"], nodes[4].Strings(2));                      // an identity output layer ends at its Gemm
        Message[] initializers = graph.Messages(5);
        Assert.Equal([3L, 4L], initializers[0].PackedInts(1));
        Assert.Equal([2L, 5L], initializers[4].PackedInts(1));
        // The last bias is the last two parameters, numbers 45 and 46.
        Assert.Equal(new[] { 11.25f, 11.5f }, MemoryMarshalFloats(initializers[5].Bytes(9)));
    }

    [Fact]
    public void Softmax_normalises_over_the_class_axis()
    {
        Layer[] layers = [new DenseLayer(3, 2, LayerActivation.Softmax)];
        Message graph = Message.Parse(OnnxModel.Build(layers, new float[8], batch: 1)).Messages(7).Single();
        Message softmax = graph.Messages(1)[1];
        Assert.Equal("Softmax", softmax.String(4));
        Message axis = softmax.Messages(5).Single();
        Assert.Equal("axis", axis.String(1));
        Assert.Equal(1, axis.Int(3));
    }

    [Fact]
    public void Mismatched_layers_or_parameters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => OnnxModel.Build(Neuron, new float[2], batch: 1));
        Assert.Throws<ArgumentException>(() => OnnxModel.Build([new DenseLayer(2, 3, LayerActivation.ReLU), new DenseLayer(4, 1, LayerActivation.Identity)], new float[9 + 5], batch: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxModel.Build(Neuron, NeuronParameters, batch: 0));
        Assert.Throws<ArgumentException>(() => OnnxModel.Build([], [], batch: 1));
    }

    private static void AssertFloatTensor(Message value, string name, long rows, long columns)
    {
        Assert.Equal(name, value.String(1));
        Message tensor = value.Messages(2).Single().Messages(1).Single();   // ValueInfoProto.type → TypeProto.tensor_type
        Assert.Equal(1, tensor.Int(1));                                      // elem_type FLOAT
        Message[] dims = tensor.Messages(2).Single().Messages(1);             // shape → dim
        Assert.Equal([rows, columns], dims.Select(d => d.Int(1)));
    }

    private static float[] MemoryMarshalFloats(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, 4 * i)).ToArray();

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        return -1;
    }
}
