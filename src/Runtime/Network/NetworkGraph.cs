using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace NetGen;

/// <summary>
/// The topology of a network, as tools read it (the <see cref="Onnx"/> exporter): its nodes in the order they are
/// computed, each after the nodes it reads, with their kinds, shapes, settings and tensors. A generated network builds
/// its graph once per type (<c>MyNetwork.Graph</c>, and <see cref="INetwork.Graph"/>); it never changes.
/// </summary>
public sealed class NetworkGraph
{
    /// <summary>A graph of <paramref name="nodes"/>, checked: every source is an earlier node, the input is the one <see cref="GraphNodeKind.Input"/> node, names are unique.</summary>
    /// <param name="nodes">In computing order: every node after the nodes it reads.</param>
    /// <param name="input">The index of the input node.</param>
    /// <param name="output">The index of the node whose values the network returns.</param>
    /// <exception cref="ArgumentException">The nodes do not form such a graph; the message names the node.</exception>
    public NetworkGraph(ImmutableArray<GraphNode> nodes, int input, int output)
    {
        if (nodes.IsDefaultOrEmpty)
            throw new ArgumentException("A network graph needs at least its input node.", nameof(nodes));
        if ((uint)input >= (uint)nodes.Length || nodes[input].Kind != GraphNodeKind.Input)
            throw new ArgumentOutOfRangeException(nameof(input), input, $"The input must be the index of the graph's Input node (0 to {nodes.Length - 1}).");
        if ((uint)output >= (uint)nodes.Length)
            throw new ArgumentOutOfRangeException(nameof(output), output, $"The output must be the index of a node (0 to {nodes.Length - 1}).");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Length; i++)
        {
            GraphNode node = nodes[i] ?? throw new ArgumentException($"Node {i} is null.", nameof(nodes));
            if (!names.Add(node.Name))
                throw new ArgumentException($"Two nodes are named '{node.Name}'.", nameof(nodes));
            if (node.Kind == GraphNodeKind.Input && i != input)
                throw new ArgumentException($"'{node.Name}' is a second Input node; a network has one input.", nameof(nodes));
            foreach (int source in node.Sources)
                if (source < 0 || source >= i)
                    throw new ArgumentException($"'{node.Name}' (node {i}) reads node {source}: a node reads only nodes computed before it (0 to {i - 1}).", nameof(nodes));
        }
        Nodes = nodes;
        InputIndex = input;
        OutputIndex = output;
    }

    /// <summary>The nodes in computing order: every node after the nodes it reads.</summary>
    public ImmutableArray<GraphNode> Nodes { get; }

    /// <summary>The index of the input node in <see cref="Nodes"/>.</summary>
    public int InputIndex { get; }

    /// <summary>The index of the output node in <see cref="Nodes"/>.</summary>
    public int OutputIndex { get; }

    /// <summary>The input node.</summary>
    public GraphNode Input => Nodes[InputIndex];

    /// <summary>The node whose values the network returns.</summary>
    public GraphNode Output => Nodes[OutputIndex];

    /// <summary>The <paramref name="operand"/>-th node <paramref name="node"/> reads.</summary>
    public GraphNode Source(GraphNode node, int operand = 0) => Nodes[node.Sources[operand]];

    /// <summary>Whether the output depends on each node (by index): the nodes a tool must compute to get the output.</summary>
    public bool[] ReachesOutput()
    {
        var reaches = new bool[Nodes.Length];
        reaches[OutputIndex] = true;
        for (int i = OutputIndex; i >= 0; i--)
            if (reaches[i])
                foreach (int source in Nodes[i].Sources)
                    reaches[source] = true;
        return reaches;
    }
}
