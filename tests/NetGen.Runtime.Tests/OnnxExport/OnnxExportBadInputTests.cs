using System;
using System.IO;
using Xunit;

namespace NetGen.Runtime.Tests.OnnxExport;

/// <summary>Every way an export can fail, each with its message; a failed save writes nothing and leaves a previous file as it was.</summary>
public sealed class OnnxExportBadInputTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "netgen-onnx-" + Guid.NewGuid().ToString("N"));

    public OnnxExportBadInputTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void APathThatIsADirectory_IsAnIOException_NamingAFilePathInstead()
    {
        var error = Assert.Throws<IOException>(() => Onnx.Save(ExportedModels.Create("Tanh"), _folder));
        Assert.Equal($"Cannot save the ONNX model to '{_folder}': it is a directory. Give the path of a file, such as '{Path.Combine(_folder, "model.onnx")}'.", error.Message);
    }

    [Fact]
    public void AMissingFolder_IsCreated_AsSafeTensorsSaveCreatesIt()
    {
        string path = Path.Combine(_folder, "new", "deeper", "tanh.onnx");
        INetwork network = ExportedModels.Create("Tanh");
        Onnx.Save(network, path);
        Assert.Equal(Onnx.Serialize(network), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));   // no temporary file left behind
    }

    [Fact]
    public void AFolderThatIsAFile_IsAnIOException_NamingTheFolder()
    {
        string blocker = Path.Combine(_folder, "models");
        File.WriteAllText(blocker, "not a folder");
        string path = Path.Combine(blocker, "tanh.onnx");
        var error = Assert.Throws<IOException>(() => Onnx.Save(ExportedModels.Create("Tanh"), path));
        Assert.StartsWith($"Cannot save the ONNX model to '{path}': its folder '{blocker}' cannot be created (", error.Message);
        Assert.EndsWith("Is a file in the way?", error.Message);
    }

    [Fact]
    public void ANetworkWithoutAGraph_IsAnArgumentException_SayingWhatToImplement()
    {
        var error = Assert.Throws<ArgumentException>(() => Onnx.Serialize(new ParameterVector(1f, 2f)));
        Assert.Equal("ParameterVector describes no graph (INetwork.Graph is null), so there is nothing to export: ONNX export writes the graph every " +
            "generated network describes; a network written by hand must implement INetwork.Graph. (Parameter 'network')", error.Message);
    }

    [Fact]
    public void AGraphWhoseOutputIsItsInput_HasNothingToExport()
    {
        var graph = new NetworkGraph([new GraphNode("X", GraphNodeKind.Input, new TensorShape(2), [])], input: 0, output: 0);
        var error = Assert.Throws<ArgumentException>(() => Onnx.Serialize(new DescribedNetwork(graph)));
        Assert.Equal("DescribedNetwork has nothing to export: its output is its input 'X', with no node between them. (Parameter 'network')", error.Message);
    }

    [Fact]
    public void AKindTheExporterCannotWrite_IsNotSupported_AndNoFileIsWritten()
    {
        string path = Path.Combine(_folder, "unknown.onnx");
        var error = Assert.Throws<NotSupportedException>(() => Onnx.Save(DescribedNetwork.Neuron((GraphNodeKind)99), path));
        Assert.Equal("'Y' is a 99 node, which this version of the ONNX exporter cannot write; no model was written.", error.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void AnActivationTheExporterCannotWrite_IsNotSupported()
    {
        DescribedNetwork neuron = DescribedNetwork.Neuron();
        var graph = new NetworkGraph([neuron.Graph.Nodes[0], new GraphNode("Y", GraphNodeKind.Dense, new TensorShape(1), [0])
        {
            Activation = (Activation)42, Parameters = neuron.Graph.Nodes[1].Parameters,
        }], input: 0, output: 1);
        var error = Assert.Throws<NotSupportedException>(() => Onnx.Serialize(new DescribedNetwork(graph, 0.5f, -0.25f, 0.125f)));
        Assert.Equal("'Y' applies activation 42, which this version of the ONNX exporter cannot write; no model was written.", error.Message);
    }

    [Fact]
    public void AFailedSave_LeavesThePreviousFileAsItWas()
    {
        string path = Path.Combine(_folder, "model.onnx");
        File.WriteAllBytes(path, [1, 2, 3]);
        INetwork network = ExportedModels.Create("Sigmoid");
        network.Parameters[3] = float.NaN;
        var error = Assert.Throws<InvalidOperationException>(() => Onnx.Save(network, path));
        Assert.Equal("ExportSigmoid's parameter 3 (H.weight[0, 3]) is NaN: an ONNX model of it would make every output NaN.", error.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void InfiniteRunningStatistics_AreRefusedToo()
    {
        INetwork network = ExportedModels.Create("Norms");
        network.State[1] = float.PositiveInfinity;
        var error = Assert.Throws<InvalidOperationException>(() => Onnx.Serialize(network));
        Assert.Equal("ExportNorms's state value 1 is +∞: an ONNX model of it would make every output NaN.", error.Message);
    }

    [Fact]
    public void AGraphThatDoesNotFitTheNetwork_IsAnArgumentException()
    {
        DescribedNetwork neuron = DescribedNetwork.Neuron();
        var error = Assert.Throws<ArgumentException>(() => Onnx.Serialize(new DescribedNetwork(neuron.Graph, 0.5f, -0.25f)));   // no room for the bias
        Assert.Equal("DescribedNetwork's graph places 'Y.bias' of 'Y' at [2, 3), outside Parameters (2 floats). (Parameter 'network')", error.Message);
    }

    [Fact]
    public void ALayerWithoutItsWeight_IsAnArgumentException_NamingTheNode()
    {
        var graph = new NetworkGraph(
            [new GraphNode("X", GraphNodeKind.Input, new TensorShape(2), []), new GraphNode("Y", GraphNodeKind.Dense, new TensorShape(1), [0])], input: 0, output: 1);
        var error = Assert.Throws<ArgumentException>(() => Onnx.Serialize(new DescribedNetwork(graph)));
        Assert.Equal("'Y' (Dense) has no Weight tensor in the graph, which its ONNX operator needs; no model was written. (Parameter 'network')", error.Message);
    }

    [Fact]
    public void NullArguments_AreArgumentNullExceptions()
    {
        Assert.Throws<ArgumentNullException>(() => Onnx.Save(null!, Path.Combine(_folder, "x.onnx")));
        Assert.Throws<ArgumentNullException>(() => Onnx.Save(ExportedModels.Create("Tanh"), (Stream)null!));
        Assert.Throws<ArgumentException>(() => Onnx.Save(ExportedModels.Create("Tanh"), ""));
    }
}
