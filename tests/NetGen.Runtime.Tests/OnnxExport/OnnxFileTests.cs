using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Message = NetGen.Testing.ProtobufMessage;

namespace NetGen.Runtime.Tests.OnnxExport;

/// <summary>
/// The exported files read back with Google.Protobuf's decoder (independent of NetGen's writer), field by field against
/// onnx.proto's numbering: the model's header, the input and output with their symbolic batch dimension, each kind's
/// operators and attributes, and initializers named and shaped as the network's tensors, holding their values.
/// </summary>
public class OnnxFileTests
{
    private static Message Model(INetwork network) => Message.Parse(Onnx.Serialize(network));

    private static Message Graph(INetwork network) => Model(network).Messages(7).Single();

    private static Message[] Nodes(Message graph) => graph.Messages(1);

    private static Message Node(Message graph, string name) => Nodes(graph).Single(n => n.String(3) == name);

    private static Message Attribute(Message node, string name) => node.Messages(5).Single(a => a.String(1) == name);

    private static string[] Operators(Message graph) => Nodes(graph).Select(n => n.String(4)).ToArray();

    [Fact]
    public void TheModel_NamesIrVersion8_TheProducer_AndOpset17OfTheDefaultDomain()
    {
        Message model = Model(ExportedModels.Create("Tanh"));
        Assert.Equal(8, model.Int(1));
        Assert.Equal("NetGen", model.String(2));
        Assert.Equal(typeof(Onnx).Assembly.GetName().Version!.ToString(3), model.String(3));
        Message opset = model.Messages(8).Single();
        Assert.Equal("", opset.String(1));
        Assert.Equal(17, opset.Int(2));
        Assert.Equal((Onnx.Opset, Onnx.IrVersion), (17, 8));
        Assert.Equal("ExportTanh", model.Messages(7).Single().String(2));
    }

    [Fact]
    public void InputAndOutput_AreNamedAfterTheirNodes_WithASymbolicBatchDimension()
    {
        Message graph = Graph(ExportedModels.Create("Conv2D"));
        AssertValue(graph.Messages(11).Single(), "X", ["batch", "2", "9", "7"]);
        AssertValue(graph.Messages(12).Single(), "Y", ["batch", "2"]);
    }

    private static void AssertValue(Message value, string name, string[] dims)
    {
        Assert.Equal(name, value.String(1));
        Message tensor = value.Messages(2).Single().Messages(1).Single();   // ValueInfoProto.type → TypeProto.tensor_type
        Assert.Equal(1, tensor.Int(1));                                      // elem_type FLOAT
        Message[] dimensions = tensor.Messages(2).Single().Messages(1);      // shape → dim
        Assert.Equal(dims, dimensions.Select(d => d.Has(2) ? d.String(2) : d.Int(1).ToString()));
    }

    [Fact]
    public void Initializers_AreTheNetworksTensors_ByName_Shape_AndValue()
    {
        INetwork network = ExportedModels.Create("Conv1D");
        Message[] initializers = Graph(network).Messages(5);
        var expected = network.ParameterTensors.Select(t => (t.Name, t.Shape, Values: network.Parameters.Slice(t.Offset, t.Length).ToArray()))
            .Concat(network.StateTensors.Where(t => !t.IsCount).Select(t => (t.Name, t.Shape, Values: network.State.Slice(t.Offset, t.Length).ToArray())))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(["C1.bias", "C1.weight", "C2.weight", "N.bias", "N.running_mean", "N.running_var", "N.weight", "Y.bias", "Y.weight"], expected.Select(t => t.Name));
        Assert.Equal(expected.Select(t => t.Name), initializers.Select(t => t.String(8)).OrderBy(n => n, StringComparer.Ordinal));
        foreach (var tensor in expected)
        {
            Message initializer = initializers.Single(i => i.String(8) == tensor.Name);
            Assert.Equal(tensor.Shape.ToArray().Select(d => (long)d), initializer.PackedInts(1));
            Assert.Equal(1, initializer.Int(2));   // FLOAT
            byte[] raw = initializer.Bytes(9);
            Assert.Equal(tensor.Values, Enumerable.Range(0, raw.Length / 4).Select(i => BitConverter.ToSingle(raw, 4 * i)));
        }
    }

    [Fact]
    public void ADenseLayer_IsAGemmWithTransposedWeights_ThenItsActivation()
    {
        Message graph = Graph(ExportedModels.Create("LeakyReLU"));
        Assert.Equal(["Gemm", "LeakyRelu", "Gemm", "LeakyRelu"], Operators(graph));
        Message gemm = Node(graph, "H/Gemm");
        Assert.Equal(["X", "H.weight", "H.bias"], gemm.Strings(1));
        Assert.Equal(["H/z"], gemm.Strings(2));
        Assert.Equal(1, Attribute(gemm, "transB").Int(3));
        Message leaky = Node(graph, "Y/LeakyRelu");
        Assert.Equal(["Y/z"], leaky.Strings(1));
        Assert.Equal(["Y"], leaky.Strings(2));
        Assert.Equal(0.05f, Attribute(leaky, "alpha").Float(2));
        Assert.Equal(1, Attribute(leaky, "alpha").Int(20));   // FLOAT
    }

    [Fact]
    public void ALayerWithoutBiasOrActivation_IsAGemmOfTwoInputs_WritingTheNodeItself()
    {
        Message gemm = Node(Graph(ExportedModels.Create("Tanh")), "Y/Gemm");
        Assert.Equal(["H", "Y.weight"], gemm.Strings(1));
        Assert.Equal(["Y"], gemm.Strings(2));
    }

    [Theory]
    [InlineData("Sigmoid", "Sigmoid")]
    [InlineData("ReLU", "Relu")]
    [InlineData("Softplus", "Softplus")]
    public void AnActivation_IsItsOperator(string network, string op) =>
        Assert.Equal(["Gemm", op, "Gemm", op], Operators(Graph(ExportedModels.Create(network))));

    [Fact]
    public void TheBipolarSigmoid_IsTanhOfHalfZ()
    {
        Message graph = Graph(ExportedModels.Create("BipolarSigmoid"));
        Assert.Equal(["Gemm", "Constant", "Mul", "Tanh", "Gemm", "Constant", "Mul", "Tanh"], Operators(graph));
        Assert.Equal(0.5f, Attribute(Node(graph, "H/Constant"), "value_float").Float(2));
        Assert.Equal(["H/z", "H/half"], Node(graph, "H/Mul").Strings(1));
    }

    [Fact]
    public void Softmax_NormalisesTheLastAxis_AndAShapedNodeIsFlattenedAndReshapedBack()
    {
        Message dense = Graph(ExportedModels.Create("Softmax"));
        Assert.Equal(["Gemm", "Softmax"], Operators(dense));
        Assert.Equal(-1, Attribute(Node(dense, "Y/Softmax"), "axis").Int(3));

        Message conv = Graph(ExportedModels.Create("ConvSoftmax"));
        Assert.Equal(["Conv", "Flatten", "Softmax", "Constant", "Reshape", "Flatten", "Gemm"], Operators(conv));
        Message shape = Attribute(Node(conv, "C/Constant"), "value").Messages(5).Single();   // AttributeProto.t
        Assert.Equal([4L], shape.PackedInts(1));
        Assert.Equal(7, shape.Int(2));                                                      // INT64
        Assert.Equal([0L, 2, 4, 4], shape.PackedInts(7));                                  // 0 keeps the batch
    }

    [Fact]
    public void Convolutions_AreConvs_WithKernelStridesPadsAndOneGroup_AndADenseLayerFlattensAShapedSource()
    {
        Message graph = Graph(ExportedModels.Create("Conv2D"));
        Assert.Equal(["Conv", "LeakyRelu", "MaxPool", "Conv", "Constant", "Mul", "Tanh", "AveragePool", "Flatten", "Gemm", "Softplus", "Gemm", "Sigmoid"], Operators(graph));
        Message conv = Node(graph, "C1/Conv");
        Assert.Equal(["X", "C1.weight", "C1.bias"], conv.Strings(1));
        Assert.Equal([3L, 3], Attribute(conv, "kernel_shape").PackedInts(8));
        Assert.Equal([2L, 2], Attribute(conv, "strides").PackedInts(8));
        Assert.Equal([1L, 1, 1, 1], Attribute(conv, "pads").PackedInts(8));
        Assert.Equal(1, Attribute(conv, "group").Int(3));
        Message flatten = Node(graph, "H/Flatten");
        Assert.Equal(["P2"], flatten.Strings(1));
        Assert.Equal(1, Attribute(flatten, "axis").Int(3));
        Assert.Equal(["H/flatten", "H.weight", "H.bias"], Node(graph, "H/Gemm").Strings(1));

        Message conv1D = Node(Graph(ExportedModels.Create("Conv1D")), "C2/Conv");
        Assert.Equal(["P1", "C2.weight"], conv1D.Strings(1));   // no bias
        Assert.Equal([3L], Attribute(conv1D, "kernel_shape").PackedInts(8));
        Assert.Equal([2L], Attribute(conv1D, "strides").PackedInts(8));
        Assert.Equal([0L, 0], Attribute(conv1D, "pads").PackedInts(8));
    }

    [Fact]
    public void Pooling_IsMaxPoolOrAveragePool_WithWindowAndStride_AndNoPadding()
    {
        Message graph = Graph(ExportedModels.Create("Conv2D"));
        Message max = Node(graph, "P1/MaxPool");
        Assert.Equal([2L, 2], Attribute(max, "kernel_shape").PackedInts(8));
        Assert.Equal([1L, 1], Attribute(max, "strides").PackedInts(8));
        Assert.DoesNotContain("pads", max.Messages(5).Select(a => a.String(1)));
        Message average = Node(Graph(ExportedModels.Create("Conv1D")), "P2/AveragePool");
        Assert.Equal([3L], Attribute(average, "kernel_shape").PackedInts(8));
        Assert.Equal([3L], Attribute(average, "strides").PackedInts(8));
    }

    [Fact]
    public void Normalisations_AreBatchNormalizationInInferenceForm_AndLayerNormalizationOverEverySampleValue_DropoutAnIdentity()
    {
        Message graph = Graph(ExportedModels.Create("Norms"));
        Assert.Equal(["BatchNormalization", "Conv", "Relu", "LayerNormalization", "Flatten", "Gemm", "Relu", "BatchNormalization", "Identity", "LayerNormalization", "Gemm"],
            Operators(graph));
        Message batchNorm = Node(graph, "B1/BatchNormalization");
        Assert.Equal(["X", "B1.weight", "B1.bias", "B1.running_mean", "B1.running_var"], batchNorm.Strings(1));
        Assert.Equal(["B1"], batchNorm.Strings(2));                       // one output: no training outputs
        Assert.Equal(1e-5f, Attribute(batchNorm, "epsilon").Float(2));
        Assert.Equal(0.9f, Attribute(batchNorm, "momentum").Float(2));   // ONNX weighs the old value: 1 − PyTorch's 0.1
        Assert.DoesNotContain("training_mode", batchNorm.Messages(5).Select(a => a.String(1)));
        Message layerNorm = Node(graph, "L2/LayerNormalization");
        Assert.Equal(["D", "L2.weight", "L2.bias"], layerNorm.Strings(1));
        Assert.Equal(1, Attribute(layerNorm, "axis").Int(3));
        Assert.Equal(1e-3f, Attribute(layerNorm, "epsilon").Float(2));
        Assert.Equal(["B2"], Node(graph, "D/Identity").Strings(1));
    }

    [Fact]
    public void Add_SumsItsOperandsLeftToRight_AndMax_TakesThemAll()
    {
        Message graph = Graph(ExportedModels.Create("Residual"));
        Assert.Equal(["X", "A"], Node(graph, "S/Add").Strings(1));
        Assert.Equal(["S/sum1"], Node(graph, "S/Add").Strings(2));
        Assert.Equal(["S/sum1", "B"], Node(graph, "S/Add2").Strings(1));
        Assert.Equal(["S"], Node(graph, "S/Add2").Strings(2));
        Assert.Equal(["S", "B"], Node(graph, "M/Max").Strings(1));
    }

    [Fact]
    public void NodesTheOutputDoesNotNeed_AreLeftOut()
    {
        // X → Y = Dense(1); Z = Dense(1) of X is declared by hand beside it, and the output is Y.
        DescribedNetwork neuron = DescribedNetwork.Neuron();
        var graph = new NetworkGraph([.. neuron.Graph.Nodes, new GraphNode("Z", GraphNodeKind.Dense, new TensorShape(1), [0])
        {
            Parameters = [new("Z.weight", "Z", ParameterKind.Weight, 0, new TensorShape(1, 2))],
        }], input: 0, output: 1);
        Message written = Message.Parse(Onnx.Serialize(new DescribedNetwork(graph, 0.5f, -0.25f, 0.125f))).Messages(7).Single();
        Assert.Equal(["Y/Gemm"], Nodes(written).Select(n => n.String(3)));
        Assert.Equal(["Y.weight", "Y.bias"], written.Messages(5).Select(t => t.String(8)));
    }
}
