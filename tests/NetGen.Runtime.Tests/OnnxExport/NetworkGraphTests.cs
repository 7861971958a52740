using System;
using System.Collections.Immutable;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests.OnnxExport;

/// <summary>
/// The graphs generated networks describe, and the graph's own checks: every layer kind and activation appears in the
/// export tests' networks, settings are the declaration's, tensors are the network's own, and a graph is built once per type.
/// </summary>
public class NetworkGraphTests
{
    [Fact]
    public void TheExportTests_CoverEveryNodeKind_AndEveryActivation()
    {
        INetwork[] networks = ExportedModels.Networks.Values.Select(create => create()).ToArray();
        GraphNode[] nodes = networks.SelectMany(n => n.Graph!.Nodes).ToArray();
        Assert.Equal(Enum.GetValues<GraphNodeKind>(), nodes.Select(n => n.Kind).Distinct().Order());
        Assert.Equal(Enum.GetValues<Activation>(), nodes.Select(n => n.Activation).Distinct().Order());
    }

    [Fact]
    public void AGeneratedGraph_HoldsTheDeclarationsSettings_InComputingOrder()
    {
        NetworkGraph graph = ExportConv2D.Graph;
        Assert.Equal(["X", "C1", "P1", "C2", "P2", "H", "Y"], graph.Nodes.Select(n => n.Name));
        Assert.Equal((0, 6), (graph.InputIndex, graph.OutputIndex));
        Assert.Equal("C1: Conv2D [4, 5, 4] ← [0], LeakyReLU α = 0.1, kernel 3, stride 2, padding 1", graph.Nodes[1].ToString());
        Assert.Equal("P1: MaxPool2D [4, 4, 3] ← [1], kernel 2, stride 1, padding 0", graph.Nodes[2].ToString());
        Assert.Equal("P2: AvgPool2D [3, 2, 1] ← [3], kernel 2, stride 1, padding 0", graph.Nodes[4].ToString());
        Assert.Equal("H: Dense [5] ← [4], Softplus", graph.Nodes[5].ToString());
        Assert.Equal(0f, graph.Nodes[5].Slope);   // the attribute's default slope is not a setting of a softplus

        NetworkGraph norms = ExportNorms.Graph;
        Assert.Equal("B1: BatchNorm [2, 5, 4] ← [0], ε = 1E-05, momentum 0.1", norms.Nodes[1].ToString());
        Assert.Equal("L2: LayerNorm [8] ← [6], ε = 0.001", norms.Nodes[7].ToString());
        Assert.Equal("D: Dropout [8] ← [5], p = 0.3", norms.Nodes[6].ToString());
        Assert.Equal("S: Add [6] ← [0, 1, 2]", ExportResidual.Graph.Nodes[3].ToString());
    }

    [Fact]
    public void ANodesTensors_AreTheNetworksOwn()
    {
        var network = new ExportNorms(1);
        Assert.Equal(network.ParameterTensors, ExportNorms.Graph.Nodes.SelectMany(n => n.Parameters));
        Assert.Equal(network.StateTensors, ExportNorms.Graph.Nodes.SelectMany(n => n.State));
        GraphNode b1 = ExportNorms.Graph.Nodes[1];
        Assert.Equal("B1.weight", b1.Parameter(ParameterKind.Scale)!.Value.Name);
        Assert.Equal("B1.running_var", b1.StateTensor(StateKind.RunningVariance)!.Value.Name);
        Assert.Null(ExportTanh.Graph.Output.Parameter(ParameterKind.Bias));
    }

    [Fact]
    public void TheGraph_IsBuiltOncePerType()
    {
        INetwork first = new ExportResidual(1), second = new ExportResidual(4);
        Assert.Same(ExportResidual.Graph, first.Graph);
        Assert.Same(first.Graph, second.Graph);
        Assert.Same(first.Graph, first.CreateReplica(2, 1).Graph);
    }

    [Fact]
    public void AHandWrittenNetwork_HasNoGraph() => Assert.Null(((INetwork)new ParameterVector(1f)).Graph);

    [Fact]
    public void ReachesOutput_FollowsTheSources()
    {
        Assert.Equal([true, true, true, true, true, true], ExportResidual.Graph.ReachesOutput());
    }

    [Fact]
    public void TheConstructor_RefusesGraphsNoNetworkHas()
    {
        GraphNode input = new("X", GraphNodeKind.Input, new TensorShape(2), []);
        GraphNode dense = new("Y", GraphNodeKind.Dense, new TensorShape(1), [0]);
        Assert.Equal("A network graph needs at least its input node. (Parameter 'nodes')",
            Assert.Throws<ArgumentException>(() => new NetworkGraph([], 0, 0)).Message);
        Assert.StartsWith("The input must be the index of the graph's Input node (0 to 1).",
            Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkGraph([input, dense], 1, 1)).Message);
        Assert.StartsWith("The output must be the index of a node (0 to 1).",
            Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkGraph([input, dense], 0, 2)).Message);
        Assert.Equal("'Y' (node 0) reads node 1: a node reads only nodes computed before it (0 to -1). (Parameter 'nodes')",
            Assert.Throws<ArgumentException>(() => new NetworkGraph([new GraphNode("Y", GraphNodeKind.Dense, new TensorShape(1), [1]), input], 1, 0)).Message);
        Assert.Equal("Two nodes are named 'X'. (Parameter 'nodes')",
            Assert.Throws<ArgumentException>(() => new NetworkGraph([input, new GraphNode("X", GraphNodeKind.Dense, new TensorShape(1), [0])], 0, 1)).Message);
        Assert.Equal("'Z' is a second Input node; a network has one input. (Parameter 'nodes')",
            Assert.Throws<ArgumentException>(() => new NetworkGraph([input, new GraphNode("Z", GraphNodeKind.Input, new TensorShape(1), ImmutableArray<int>.Empty)], 0, 1)).Message);
    }
}
