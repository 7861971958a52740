using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Walks an ONNX graph in its order (ONNX requires nodes after what they read) and builds NetGen's nodes from the
/// patterns exporters write: each operator is one row of <see cref="OnnxOperators"/>, which either starts a node (Gemm,
/// MatMul, Conv, pooling, Add, Max), changes the node it reads (an activation fused into the Dense or Conv before it, the
/// bias Add after a MatMul) or passes its input on (Flatten, Dropout, Identity, a Pad of zeros). Every tensor name maps to
/// the NetGen node whose values it is.
/// </summary>
internal sealed partial class OnnxGraphBuilder
{
    private readonly OnnxDeclaration _declaration;
    private readonly OnnxGraph _graph;
    private readonly ImmutableArray<DiagnosticInfo>.Builder _diagnostics;
    private readonly List<ImportedNode> _nodes = [];
    private readonly Dictionary<string, ValueRef> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxTensor> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> _readersOf = new(StringComparer.Ordinal);
    /// <summary>Nodes a pattern already compiled (LayerNorm's expansion after its first ReduceMean): the walk skips them.</summary>
    private readonly HashSet<OnnxNode> _absorbed = [];
    /// <summary>Tensors of nodes that were reported: their readers are skipped, so that one problem is one diagnostic.</summary>
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _prefixes = new(StringComparer.Ordinal);
    private readonly string _output;

    public OnnxGraphBuilder(OnnxDeclaration declaration, OnnxGraph graph, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        _declaration = declaration;
        _graph = graph;
        _diagnostics = diagnostics;
        _output = graph.Outputs.Count > 0 ? graph.Outputs[0].Name : "";
    }

    /// <summary>What a tensor name stands for: a node's values, maybe flattened to a vector by the way.</summary>
    private readonly record struct ValueRef(int Node, bool Flattened);

    /// <summary>The network, or null after reporting why it cannot be compiled.</summary>
    public NetworkSpec? Build()
    {
        foreach (OnnxTensor initializer in _graph.Initializers)
            _constants[initializer.Name] = initializer;
        foreach (OnnxNode node in _graph.Nodes)
            foreach (string input in node.Inputs)
            {
                _readers[input] = _readers.TryGetValue(input, out int count) ? count + 1 : 1;
                if (!_readersOf.TryGetValue(input, out List<OnnxNode>? readers))
                    _readersOf[input] = readers = [];
                readers.Add(node);
            }

        if (!CheckOpset() || !AddInput() || !CheckOutputs())
            return null;
        int before = _diagnostics.Count;
        // Constants first: a pattern that starts at one node reads constants the file writes further on (LayerNorm's ε).
        foreach (OnnxNode node in _graph.Nodes)
        {
            if (node.OpType == "Constant" && node.Domain is "" or "ai.onnx")
            {
                Constant(node);
                _absorbed.Add(node);
            }
        }
        foreach (OnnxNode node in _graph.Nodes)
        {
            if (_absorbed.Contains(node))
                continue;
            int reported = _diagnostics.Count;
            Handle(node);
            // A node that could not be compiled is reported once: what reads it is not reported again.
            if (_diagnostics.Count > reported)
                foreach (string written in node.Outputs)
                    _failed.Add(written);
        }
        if (_diagnostics.Count > before)
            return null;
        if (!_values.TryGetValue(_output, out ValueRef output))
        {
            Graph($"computes its output '{_output}' from constants alone", "NetGen compiles graphs whose output depends on the input");
            return null;
        }
        return Spec(AddLossActivation(_nodes[output.Node]));
    }

    private void Handle(OnnxNode node)
    {
        if (node.Inputs.Any(_failed.Contains))
        {
            foreach (string output in node.Outputs)
                _failed.Add(output);
            return;
        }
        if (node.Domain is not ("" or "ai.onnx"))
            Unsupported(node, $"'{node.Domain}.{node.OpType}'", $" (an operator of the domain '{node.Domain}', not of ONNX's)");
        else if (!OnnxOperators.TryGet(node.OpType, out OnnxOperators.Handler? handler))
            Unsupported(node, $"'{node.OpType}'", OnnxOperators.Hints.TryGetValue(node.OpType, out string? hint) ? hint : "");
        else
            handler!(this, node);
    }

    private bool CheckOpset()
    {
        if (_graph.Opset is >= 7 and <= 21)
            return true;
        Graph($"imports version {_graph.Opset} of ONNX's operator set", "NetGen reads versions 7 to 21; export with opset_version=13 (or 17)");
        return false;
    }

    /// <summary>The one graph input that is not an initializer: [batch, …], the batch any size, the rest fixed.</summary>
    private bool AddInput()
    {
        OnnxValue[] inputs = _graph.Inputs.Where(i => !_constants.ContainsKey(i.Name)).ToArray();
        if (inputs.Length != 1)
        {
            Graph(inputs.Length == 0 ? "has no input" : $"has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => "'" + i.Name + "'"))})",
                "NetGen compiles networks of one input");
            return false;
        }
        OnnxValue input = inputs[0];
        if (input.ElementType != OnnxTensor.Float)
        {
            Graph($"has an input '{input.Name}' of element type {input.ElementType}", "NetGen's input is float (element type 1)");
            return false;
        }
        EquatableArray<OnnxDimension> dimensions = input.Dimensions;
        if (!input.HasShape || dimensions.Count is < 2 or > InputLayer.MaxRank + 1
            || Enumerable.Range(1, dimensions.Count - 1).Any(d => dimensions[d].Size is not (> 0 and <= int.MaxValue)))
        {
            string shape = input.HasShape ? "[" + string.Join(", ", dimensions) + "]" : "no shape";
            Graph($"has an input '{input.Name}' of shape {shape}",
                "NetGen compiles an input [batch, n], [batch, channels, length] or [batch, channels, height, width] whose sizes after the batch are fixed numbers: export with a sample of the real size and dynamic_axes only on dimension 0");
            return false;
        }
        int[] sample = Enumerable.Range(1, dimensions.Count - 1).Select(d => (int)dimensions[d].Size!.Value).ToArray();
        var node = new ImportedNode(UniqueName(Identifier(input.Name, "Input")), "", InputLayer.Instance, new InputArguments(sample.ToEquatableArray()), [], Shape.Of(sample));
        _values[input.Name] = new ValueRef(Add(node), false);
        return true;
    }

    private bool CheckOutputs()
    {
        if (_graph.Outputs.Count == 1)
            return true;
        Graph($"has {_graph.Outputs.Count} outputs", "NetGen compiles networks of one output");
        return false;
    }

    /// <summary>
    /// NetGen's cross-entropies are computed from the logits of a softmax or sigmoid output; a classifier exported from
    /// PyTorch ends in logits (the loss's softmax is in the loss), so the importer gives the output its activation: inside
    /// the output layer when it is a Dense or Conv without one, else as an [Activation] node after it (a file that ends
    /// in a BatchNormalization, an Add or another activation), which becomes the output; nothing when the file ends in
    /// that activation already. Forward answers probabilities.
    /// Returns the output node's name.
    /// </summary>
    private string AddLossActivation(ImportedNode output)
    {
        if ((LossTable.IsDefined(_declaration.Loss) ? LossTable.Get(_declaration.Loss).FusedActivation : null) is not { } activation
            || (output.Kind.HasActivation && output.Activation == activation))   // the file applies it already
            return output.Name;
        if (output.Kind.HasActivation && output.Kind != ActivationLayer.Instance && output.Activation == Model.Activation.Identity)
        {
            output.Activation = activation;
            return output.Name;
        }
        var node = new ImportedNode(UniqueName(activation == Model.Activation.Softmax ? "Probabilities" : "Probability"), "", ActivationLayer.Instance,
            (kind, slope, _) => new ActivationLayerArguments(kind, slope, SlopeGiven: false), [output.Name], output.Shape)
        {
            Activation = activation,
        };
        Add(node);
        return node.Name;
    }

    private NetworkSpec Spec(string outputName)
    {
        LocationInfo? at = _declaration.PathLocation;
        var nodes = new List<NodeSpec>();
        var bits = new System.Text.StringBuilder();
        var stateBits = new System.Text.StringBuilder();
        foreach (ImportedNode node in _nodes)
        {
            nodes.Add(new NodeSpec(node.Name, "public", node.Kind, node.Arguments(), node.Sources.ToEquatableArray(), FirstInPart: false,
                new NodeLocations(at, at, node.Sources.Select(_ => at!).Where(l => l is not null).ToEquatableArray(), EquatableArray<ArgumentLocation>.Empty))
            {
                StateDictPrefix = node.Prefix.Length > 0 ? node.Prefix : null,
            });
            // The parameter buffer's order: nodes in order, each node's tensors as its kind lists them (weight, then bias).
            if (node.Weight is not null)
                WeightBits.Append(bits, node.Weight);
            if (node.Bias is not null)
                WeightBits.Append(bits, node.Bias);
            // The state buffer's order: nodes in order, each node's running mean, then its running variance.
            if (node.RunningMean is not null && node.RunningVariance is not null)
            {
                WeightBits.Append(stateBits, node.RunningMean);
                WeightBits.Append(stateBits, node.RunningVariance);
            }
        }
        return new NetworkSpec(
            _declaration.Namespace,
            _declaration.ClassName,
            _declaration.HintName,
            _declaration.Loss,
            _declaration.LossScale,
            _declaration.Reduction,
            _declaration.L2,
            outputName,
            nodes.ToEquatableArray(),
            Parts: 1,
            _declaration.UserMembers,
            _declaration.Locations)
        {
            Imported = new ImportedWeights(_declaration.Path, bits.ToString(), stateBits.ToString()),
        };
    }

    private int Add(ImportedNode node)
    {
        _nodes.Add(node);
        return _nodes.Count - 1;
    }

    // ---- Names ----

    /// <summary>
    /// The PyTorch module path of an exported node: "/layer1/conv/Conv" was written for module "layer1.conv". Nodes of
    /// a module's forward that are not its own ("/Relu", "/MaxPool") have none.
    /// </summary>
    private static string ModulePath(OnnxNode node)
    {
        string[] parts = node.Name.Trim('/').Split('/');
        return parts.Length > 1 ? string.Join(".", parts, 0, parts.Length - 1) : "";
    }

    /// <summary>
    /// The name a layer's parameters get in the state dict: the weight initializer's own ("fc1.weight" → "fc1"), else the
    /// module path of the node ("/conv1/Conv" → "conv1", where the exporter renamed a folded weight "onnx::Conv_28"),
    /// else the node's name; unique among the network's layers.
    /// </summary>
    private string Prefix(OnnxNode node, string weightName)
    {
        string prefix = weightName.EndsWith(".weight", StringComparison.Ordinal) && !weightName.Contains("::")
            ? weightName.Substring(0, weightName.Length - ".weight".Length)
            : ModulePath(node);
        if (prefix.Length == 0)
            prefix = node.Name.Trim('/').Replace('/', '.');
        if (prefix.Length == 0)
            prefix = node.OpType.ToLowerInvariant();
        string unique = prefix;
        for (int k = 2; !_prefixes.Add(unique); k++)
            unique = prefix + "_" + k;
        return unique;
    }

    /// <summary>A C# identifier from a PyTorch or ONNX name: "fc1" → "Fc1", "layers.0" → "Layers0", "/MaxPool" → "MaxPool".</summary>
    private static string Identifier(string name, string fallback)
    {
        var text = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (char.IsLetterOrDigit(c) && c < 128)
            {
                text.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
                upper = true;
        }
        if (text.Length == 0)
            return fallback;
        if (char.IsDigit(text[0]))
            text.Insert(0, fallback);
        return text.ToString();
    }

    private string UniqueName(string name)
    {
        string unique = name;
        for (int k = 2; !_names.Add(unique); k++)
            unique = name + k;
        return unique;
    }

    /// <summary>A node's name: its parameters' prefix for a layer, else the ONNX node's own name ("/MaxPool" → "MaxPool").</summary>
    private string NodeName(OnnxNode node, string prefix) =>
        UniqueName(Identifier(prefix.Length > 0 ? prefix : node.Name.Trim('/').Replace('/', '.'), node.OpType));

    // ---- Diagnostics ----

    private void Unsupported(OnnxNode node, string what, string detail) =>
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OnnxUnsupportedOperator, _declaration.PathLocation,
            node.Display, _declaration.Path, what, detail, OnnxOperators.SupportedList));

    private void BadAttribute(OnnxNode node, string attribute, string value, string supported) =>
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OnnxUnsupportedAttribute, _declaration.PathLocation,
            node.Display, node.OpType, _declaration.Path, attribute, value, supported));

    private void Graph(string problem, string fix) =>
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OnnxUnsupportedGraph, _declaration.PathLocation,
            _declaration.Path, _declaration.ClassName, problem, fix));
}
