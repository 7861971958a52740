using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// Seeded random network declarations: valid ones built by construction, invalid ones made by breaking exactly one
/// rule of a valid one (so the fuzzer knows which NG error must appear), and garbage made by damaging the text.
/// </summary>
public sealed class FuzzGenerator(ulong seed)
{
    private static readonly string[] s_activations = ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "BipolarSigmoid", "Softmax"];

    private readonly SeededRandom _random = new(seed);

    private int Next(int n) => (int)(_random.NextDouble() * n);

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    // Batch normalisation's choices come from a stream of their own, so that every declaration the fuzzer made before
    // the kind existed is still made (the main stream draws exactly what it drew then).
    private readonly SeededRandom _normalisationRandom = new(seed ^ 0xBA7C4A0F);

    private T PickNormalisation<T>(IReadOnlyList<T> items) => items[(int)(_normalisationRandom.NextDouble() * items.Count)];

    /// <summary>Whether a shape-keeping node becomes an [Activation], and which: a stream of its own, so the other draws stay as they were.</summary>
    private readonly SeededRandom _activationRandom = new(seed ^ 0x5AC71F0B);

    /// <summary>The element-wise activations (an [Activation] node never gets Softmax here: the fuzzed loss rules look at Dense outputs).</summary>
    private static readonly string[] s_elementwise = ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "BipolarSigmoid"];

    /// <summary>A valid network: one input, 1–6 more nodes (Dense, Add, Max, Dropout, LayerNorm, BatchNorm, Activation), a loss that fits its output.</summary>
    public FuzzNetwork Valid(string className)
    {
        var network = new FuzzNetwork { ClassName = className };
        int inputSize = 1 + Next(5);
        network.Nodes.Add(new FuzzNode { Name = "X", Kind = "Input", Size = inputSize, SizeText = inputSize.ToString() });
        int count = 1 + Next(6);
        for (int i = 0; i < count; i++)
        {
            var node = new FuzzNode { Name = "N" + i };
            // Add/Max need two distinct earlier nodes of one size.
            var groups = network.Nodes.GroupBy(n => n.Size).Where(g => g.Count() >= 2).ToList();
            if (Chance(0.15))
            {
                // A node that keeps its source's shape: dropout (p = 0, see FuzzNode.Attribute), layer or batch normalisation.
                node.Kind = Chance(0.5) ? "Dropout" : "LayerNorm";
                if (node.Kind == "LayerNorm" && _normalisationRandom.NextDouble() < 0.5)
                {
                    node.Kind = "BatchNorm";
                    node.Momentum = PickNormalisation(new[] { null, null, "0f", "1f", "0.01f", "0.5f" });
                    // The gradient check trains on batches of 2: a batch normalisation of two samples whose values nearly
                    // agree divides by √(σ² + ε) with σ² ≈ 0, too curved for finite differences unless ε is large.
                    node.Epsilon = PickNormalisation(new[] { "0.1f", "0.5f", "1f" });
                }
                if (_activationRandom.NextDouble() < 0.4)
                {
                    node.Kind = "Activation";
                    node.Momentum = node.Epsilon = null;
                    node.Activation = s_elementwise[(int)(_activationRandom.NextDouble() * s_elementwise.Length)];
                    if (node.Activation == "LeakyReLU" && _activationRandom.NextDouble() < 0.5)
                        node.Slope = FuzzNetwork.Float((float)Math.Round(0.05 + 0.9 * _activationRandom.NextDouble(), 2));
                }
                FuzzNode source = network.Nodes[^1];
                if (Chance(0.3))
                {
                    source = Pick(network.Nodes);
                    node.From = source.Name;
                }
                node.Size = source.Size;
                node.FromAsString = Chance(0.2);
            }
            else if (groups.Count > 0 && Chance(0.25))
            {
                var group = Pick(groups).ToList();
                node.Kind = Chance(0.5) ? "Add" : "Max";
                node.Operands = group.OrderBy(_ => _random.NextDouble()).Take(2 + Next(group.Count - 1)).Select(n => n.Name).ToList();
                if (Chance(0.25)) // an operand named twice is legal: it receives δ twice
                    node.Operands.Insert(Next(node.Operands.Count + 1), Pick(node.Operands));
                node.Size = group[0].Size;
                node.FromAsString = Chance(0.2);
            }
            else
            {
                node.Size = 1 + Next(5);
                node.Activation = Pick(s_activations);
                if (node.Activation == "Softmax" && node.Size == 1)
                    node.Size = 2;
                node.Bias = Chance(0.8);
                if (Chance(0.3))
                    node.From = Pick(network.Nodes).Name;
                node.FromAsString = Chance(0.2);
                if (node.Activation == "LeakyReLU" ? Chance(0.5) : Chance(0.05)) // a Slope elsewhere is a mistake: NG0022
                    node.Slope = FuzzNetwork.Float((float)Math.Round(0.05 + 0.9 * _random.NextDouble(), 2));
            }
            node.SizeText = node.Size.ToString();
            network.Nodes.Add(node);
        }

        switch (Next(4))
        {
            case 0:
                network.Loss = "MeanSquaredError";
                break;
            case 1:
                network.Loss = "SumSquaredError";
                if (Chance(0.5)) network.LossScale = "0.5f";
                break;
            case 2:
                network.Loss = "BinaryCrossEntropy";
                MakeOutputDense(network, "Sigmoid", 1 + Next(3));
                break;
            default:
                network.Loss = "SoftmaxCrossEntropy";
                MakeOutputDense(network, "Softmax", 2 + Next(3));
                break;
        }
        if (network.Loss.EndsWith("CrossEntropy", StringComparison.Ordinal) && Chance(0.5))
            network.Reduction = Chance(0.5) ? "Sum" : "Mean";
        if (Chance(0.3))
            network.L2 = "0.01f";
        if (Chance(0.15) && network.Nodes.Count > 2)
        {
            // An explicit output that is not the last node: what comes after it does not reach it (NG0015).
            int index = 1 + Next(network.Nodes.Count - 1);
            FuzzNode chosen = network.Nodes[index];
            bool fits = network.Loss switch
            {
                "BinaryCrossEntropy" => chosen.Kind == "Dense" && chosen.Activation == "Sigmoid",
                "SoftmaxCrossEntropy" => chosen.Kind == "Dense" && chosen.Activation == "Softmax",
                _ => true,
            };
            if (fits)
                network.Output = chosen.Name;
        }
        return network;
    }

    private void MakeOutputDense(FuzzNetwork network, string activation, int size)
    {
        FuzzNode last = network.Nodes[^1];
        if (last.Kind != "Dense")
        {
            last = new FuzzNode { Name = "N" + (network.Nodes.Count - 1), Bias = Chance(0.8) };
            network.Nodes.Add(last);
        }
        last.Activation = activation;
        last.Size = size;
        last.SizeText = size.ToString();
        last.Slope = null;
    }

    /// <summary>Breaks one rule of a valid declaration; returns null when this declaration offers no way to break it.</summary>
    public FuzzNetwork? Invalid(FuzzNetwork valid)
    {
        FuzzNetwork? broken = BreakOneRule(valid);
        // A declaration with a normalisation gets one of its rules broken a quarter of the time instead (its own stream).
        return _normalisationRandom.NextDouble() < 0.25 && BreakNormalisation(valid) is { } norm ? norm : broken;
    }

    /// <summary>A Momentum outside [0, 1] (NG0033) or an Epsilon not positive (NG0034) on a normalisation, or null without one.</summary>
    private FuzzNetwork? BreakNormalisation(FuzzNetwork valid)
    {
        FuzzNetwork n = valid.Clone();
        n.Category = "Invalid";
        List<FuzzNode> batchNorms = n.Nodes.Where(x => x.Kind == "BatchNorm").ToList();
        List<FuzzNode> norms = n.Nodes.Where(x => x.Kind is "BatchNorm" or "LayerNorm").ToList();
        if (norms.Count == 0)
            return null;
        if (batchNorms.Count > 0 && _normalisationRandom.NextDouble() < 0.5)
        {
            n.Mutation = "BadMomentum";
            PickNormalisation(batchNorms).Momentum = PickNormalisation(new[] { "1.5f", "-0.1f", "float.NaN", "2f", "float.NegativeInfinity" });
            return Expect(n, "NG0033");
        }
        n.Mutation = "BadEpsilon";
        PickNormalisation(norms).Epsilon = PickNormalisation(new[] { "0f", "-1e-5f", "float.PositiveInfinity", "float.NaN", "-0f" });
        return Expect(n, "NG0034");
    }

    private FuzzNetwork? BreakOneRule(FuzzNetwork valid)
    {
        FuzzNetwork n = valid.Clone();
        n.Category = "Invalid";
        List<FuzzNode> dense = n.Nodes.Where(x => x.Kind == "Dense").ToList();
        List<FuzzNode> combiners = n.Nodes.Where(x => x.Kind is "Add" or "Max").ToList();
        FuzzNode anyLayer = n.Nodes[1 + Next(n.Nodes.Count - 1)];
        string[] kinds =
        [
            "BadSize", "UnknownFrom", "SelfFrom", "Cycle", "SizeMismatch", "NoInput", "TwoInputs", "OutputIsInput",
            "LossMismatch", "BadLossScale", "BadL2", "BadSlope", "BadEnum", "ReservedName", "FirstIsLayer", "OneOperand",
            "ReductionTwice", "SoftmaxOne", "ClassNotPartial", "ClassShape", "PropertyNotPartial", "WrongType", "WrongShape",
            "TwoAttributes", "UnreadableArgument", "DuplicateNode", "OldLanguage", "UnknownOperand",
            "ImplicitAcrossParts", "MemberCollision", "UserConstructor", "ConvolutionOfAVector", "KernelLargerThanInput",
        ];
        string kind = Pick(kinds);
        n.Mutation = kind;
        switch (kind)
        {
            case "BadSize":
            {
                FuzzNode target = Chance(0.3) ? n.Nodes[0] : dense.Count > 0 ? Pick(dense) : n.Nodes[0];
                target.SizeText = Pick(new[] { "0", "-1", "-7", "2000000", "int.MinValue", "int.MaxValue" });
                return Expect(n, "NG0008");
            }
            case "UnknownFrom":
                if (dense.Count == 0) return null;
                Pick(dense).From = "Nope";
                return Expect(n, "NG0006");
            case "UnknownOperand":
                if (combiners.Count == 0) return null;
                FuzzNode combiner = Pick(combiners);
                combiner.Operands[Next(combiner.Operands.Count)] = "Missing";
                combiner.FromAsString = true;
                return Expect(n, "NG0006");
            case "SelfFrom":
            {
                if (dense.Count == 0) return null;
                FuzzNode target = Pick(dense);
                target.From = target.Name;
                return Expect(n, "NG0007");
            }
            case "Cycle":
            {
                // Make an early Dense read a node that (transitively) reads it.
                for (int i = 1; i < n.Nodes.Count; i++)
                {
                    if (!n.Nodes[i].ReadsOne) continue;
                    int descendant = Enumerable.Range(i + 1, n.Nodes.Count - i - 1).FirstOrDefault(j => DependsOn(n, j, i));
                    if (descendant == 0) continue;
                    n.Nodes[i].From = n.Nodes[descendant].Name;
                    return Expect(n, "NG0007");
                }
                return null;
            }
            case "SizeMismatch":
            {
                foreach (FuzzNode c in combiners)
                {
                    int index = n.Nodes.IndexOf(c);
                    FuzzNode? other = n.Nodes.Take(index).FirstOrDefault(x => x.Size != c.Size);
                    if (other is null) continue;
                    c.Operands[Next(c.Operands.Count)] = other.Name;
                    if (c.Operands.Distinct().Count() < 2) continue;
                    return Expect(n, "NG0004");
                }
                return null;
            }
            case "NoInput":
                n.Nodes.RemoveAt(0);
                foreach (FuzzNode x in n.Nodes)
                {
                    if (x.From == "X") x.From = null;
                    x.Operands = x.Operands.Select(o => o == "X" ? n.Nodes[0].Name : o).ToList();
                }
                if (n.Output == n.Nodes[0].Name) n.Output = null;
                return Expect(n, "NG0003");
            case "TwoInputs":
                n.Nodes.Insert(1, new FuzzNode { Name = "W", Kind = "Input", Size = 2, SizeText = "2" });
                return Expect(n, "NG0005");
            case "OutputIsInput":
                n.Output = "X";
                return Expect(n, "NG0013");
            case "LossMismatch":
            {
                FuzzNode output = n.Nodes[n.OutputIndex];
                if (output.Kind != "Dense") return null;
                n.Loss = Chance(0.5) ? "BinaryCrossEntropy" : "SoftmaxCrossEntropy";
                output.Activation = Pick(new[] { "Identity", "Tanh", "ReLU", n.Loss == "BinaryCrossEntropy" ? "Softmax" : "Sigmoid" });
                if (output.Activation == "Softmax" && output.Size == 1) { output.Size = 2; output.SizeText = "2"; }
                output.Slope = null;
                return Expect(n, "NG0014");
            }
            case "BadLossScale":
                n.LossScale = Pick(new[] { "0f", "-1f", "float.NaN", "float.PositiveInfinity", "-0.5f" });
                return Expect(n, "NG0016");
            case "BadL2":
                n.L2 = Pick(new[] { "-0.1f", "float.NaN", "float.NegativeInfinity" });
                return Expect(n, "NG0016");
            case "BadSlope":
            {
                if (dense.Count == 0) return null;
                FuzzNode target = Pick(dense);
                target.Activation = "LeakyReLU";
                target.Slope = Pick(new[] { "-0.5f", "0f", "1f", "1.5f", "float.NaN" });
                if (n.Nodes.IndexOf(target) == n.OutputIndex) n.Loss = "MeanSquaredError";
                n.Reduction = null;
                return Expect(n, "NG0016");
            }
            case "BadEnum":
            {
                if (dense.Count == 0) return null;
                Pick(dense).Activation = "(Activation)" + (8 + Next(100));
                return Expect(n, "NG0016");
            }
            case "ReservedName":
            {
                string reserved = Pick(new[] { "Forward", "Backward", "Parameters", "Gradients", "InputSize", "ComputeLoss" });
                Rename(n, anyLayer.Name, reserved);
                return Expect(n, "NG0018");
            }
            case "FirstIsLayer":
                n.Nodes.Insert(0, new FuzzNode { Name = "First", Size = 2, SizeText = "2" });
                return Expect(n, "NG0019");
            case "OneOperand":
                n.Nodes.Add(new FuzzNode { Name = "Lonely", Kind = Chance(0.5) ? "Add" : "Max", Operands = Chance(0.5) ? ["X"] : ["X", "X"] });
                return Expect(n, "NG0020");
            case "ReductionTwice":
                n.Loss = Chance(0.5) ? "MeanSquaredError" : "SumSquaredError";
                n.Reduction = Chance(0.5) ? "Sum" : "Mean";
                return Expect(n, "NG0021");
            case "SoftmaxOne":
            {
                if (dense.Count == 0) return null;
                FuzzNode target = Pick(dense);
                target.Activation = "Softmax";
                target.Size = 1;
                target.SizeText = "1";
                target.Slope = null;
                return Expect(n, "NG0025");
            }
            case "ClassNotPartial":
                n.ClassModifiers = "public";
                return Expect(n, "NG0001");
            case "ClassShape":
                switch (Next(4))
                {
                    case 0: n.TypeParameters = "<T>"; break;
                    case 1: n.Outer = "Outer" + n.ClassName; break;
                    case 2: n.TypeKeyword = "record"; break;
                    default: n.ClassModifiers = "public abstract partial"; break;
                }
                return Expect(n, "NG0002");
            case "PropertyNotPartial":
                anyLayer.PropertyText = "public Node {0} { get; }";
                return Expect(n, "NG0009");
            case "WrongType":
                anyLayer.PropertyText = Pick(new[] { "public partial int {0} { get; }", "public partial string {0} { get; }", "public partial float[] {0} { get; }" });
                return Expect(n, "NG0010");
            case "WrongShape":
                anyLayer.PropertyText = Pick(new[] { "public partial Node {0} { get; set; }", "public static partial Node {0} { get; }", "public Node {0};" });
                return Expect(n, "NG0011");
            case "TwoAttributes":
                anyLayer.ExtraAttribute = Pick(new[] { "[Input(3)]", "[Dense(2)]", "[Add(nameof(X), nameof(X))]" });
                return Expect(n, "NG0012");
            case "UnreadableArgument":
            {
                FuzzNode target = dense.Count > 0 ? Pick(dense) : n.Nodes[0];
                target.SizeText = Pick(new[] { "Units", "3 4", "3,", "\"3\"", "3.5", "(" });
                // Input takes its dimensions as params int[], and C#'s recovery reads "3 4" as the two (with its own syntax error).
                if (target.Kind == "Input" && target.SizeText == "3 4")
                    target.SizeText = "3 x";
                return Expect(n, "NG0023");
            }
            case "DuplicateNode":
                n.Appendix = $"\npublic partial class {n.ClassName}\n{{\n    [Dense(2)] public partial Node {anyLayer.Name} {{ get; }}\n}}\n";
                return Expect(n, "NG0024");
            case "ImplicitAcrossParts":
            {
                // The last node moves to a second declaration, and nothing names the output: which node is last
                // would follow the file order.
                FuzzNode moved = n.Nodes[^1];
                if (n.Nodes.Count < 3) return null;
                n.Nodes.RemoveAt(n.Nodes.Count - 1);
                n.Output = null;
                n.Appendix = $"\npublic partial class {n.ClassName}\n{{\n    {moved.Attribute()} {moved.PropertyText.Replace("{0}", moved.Name)}\n}}\n";
                return Expect(n, "NG0027");
            }
            case "MemberCollision":
            {
                string name = Pick(new[] { "RunForward", "RunBackward", "LossOfLatestBatch", "SeedOutputDelta", "_parameters", "_activations", "ArenaFloatsPerSample", "Forward" + anyLayer.Name, "Backward" + anyLayer.Name });
                n.ExtraMembers = Pick(new[] { $"    public void {name}() {{ }}\n", $"    private int {name};\n", $"    public int {name} => 0;\n" });
                return Expect(n, "NG0028");
            }
            case "UserConstructor":
                n.ExtraMembers = Pick(new[] { $"    public {n.ClassName}(int maxBatchSize) {{ }}\n", $"    public {n.ClassName}() {{ }}\n", $"    public {n.ClassName}(string name) : base() {{ }}\n" });
                return Expect(n, "NG0029");
            case "ConvolutionOfAVector":
            {
                // A hidden dense layer that no Add or Max reads becomes a Conv2D of its (vector) source.
                FuzzNode? target = PlainHiddenLayer(n);
                if (target is null) return null;
                target.Kind = "Conv2D";
                return Expect(n, "NG0030");
            }
            case "KernelLargerThanInput":
            {
                // The input becomes a signal [1, size], and a hidden layer reading it a Conv1D whose kernel is longer.
                FuzzNode input = n.Nodes[0];
                FuzzNode? target = PlainHiddenLayer(n);
                if (target is null || n.Nodes.Any(x => x.Operands.Contains(input.Name)) || ReadsOf(n, target) != input.Name) return null;
                input.SizeText = $"1, {input.SizeText}";
                target.Kind = "Conv1D";
                target.Kernel = input.Size + 1 + Next(3);
                return Expect(n, "NG0031");
            }
            default: // OldLanguage
                n.OldLanguageVersion = true;
                return Expect(n, "NG0017");
        }
    }

    /// <summary>A dense layer that is not the output and is no operand of an Add or a Max (its slope dropped), or null.</summary>
    private FuzzNode? PlainHiddenLayer(FuzzNetwork n)
    {
        List<FuzzNode> candidates = n.Nodes.Where((x, i) => x.Kind == "Dense" && i != n.OutputIndex && !n.Nodes.Any(y => y.Operands.Contains(x.Name))).ToList();
        if (candidates.Count == 0) return null;
        FuzzNode target = Pick(candidates);
        target.Slope = null;
        return target;
    }

    /// <summary>The node a dense-like node reads: its From, or the node declared before it.</summary>
    private static string ReadsOf(FuzzNetwork n, FuzzNode node) => node.From ?? n.Nodes[n.Nodes.IndexOf(node) - 1].Name;

    /// <summary>
    /// A valid network whose namespace, class and nodes have hard names (keywords, unicode, the names of generated
    /// locals): it must still generate code that compiles. References are strings, since a node named 'nameof' makes
    /// nameof(...) in the class bind to it.
    /// </summary>
    public FuzzNetwork Names(FuzzNetwork valid)
    {
        FuzzNetwork n = valid.Clone();
        n.Category = "Names";
        var used = new HashSet<string>(StringComparer.Ordinal);
        n.ClassName = Chance(0.7) ? Pick(FuzzNames.Classes) : n.ClassName;
        used.Add(n.ClassName);
        foreach (FuzzNode node in n.Nodes.ToList())
        {
            if (!Chance(0.7))
                continue;
            string name = Pick(FuzzNames.Nodes);
            if (!used.Add(name) || n.Nodes.Any(x => x.Name == name))
                continue;
            Rename(n, node.Name, name);
        }
        foreach (FuzzNode node in n.Nodes)
            node.FromAsString = true;
        n.OutputAsString = true;
        int parts = Next(3);
        for (int i = 0; i < parts; i++)
            n.NamespaceSuffix += "." + FuzzNames.Spell(Pick(FuzzNames.NamespaceParts));
        n.Mutation = $"names: class {n.ClassName}, nodes {string.Join(" ", n.Nodes.Select(x => x.Name))}, namespace {n.NamespaceSuffix}";
        return n;
    }

    /// <summary>A node (NG0018) or a member the user wrote (NG0028) named like one of <paramref name="reserved"/>, the generated names.</summary>
    public FuzzNetwork? Reserved(FuzzNetwork valid, IReadOnlyList<string> classMembers, int index)
    {
        FuzzNetwork n = valid.Clone();
        n.Category = "Invalid";
        FuzzNode layer = n.Nodes[1 + Next(n.Nodes.Count - 1)];
        // Names derived from this network's nodes, besides the class-level ones and the constructor.
        var names = new List<string>(classMembers) { n.ClassName };
        foreach (FuzzNode node in n.Nodes.Where(x => x.Kind != "Input"))
        {
            names.Add("Forward" + node.Name);
            names.Add("Backward" + node.Name);
            if (node.Kind is not ("Dense" or "LayerNorm" or "BatchNorm")) continue;
            if (node.Kind == "BatchNorm")
                names.AddRange([node.Name + "RunningMean", node.Name + "RunningVariance", node.Name + "BatchesTracked", node.Name + "Moments"]);
            names.Add(node.Name + "Weights");
            names.Add(node.Name + "WeightGradients");
            if (node.Kind == "Dense" && !node.Bias) continue;
            names.Add(node.Name + "Bias");
            names.Add(node.Name + "BiasGradients");
        }
        string name = names[index % names.Count];
        bool asMember = Chance(0.35) && name != n.ClassName;
        if (asMember)
        {
            n.ExtraMembers = Pick(new[] { $"    public void {name}() {{ }}\n", $"    private int {name};\n", $"    public int {name} => 0;\n", $"    public event System.Action? {name};\n" });
            n.Mutation = "member named " + name;
            return Expect(n, "NG0028");
        }
        // Renaming the node whose name a derived name comes from would move the collision: rename another one.
        FuzzNode target = n.Nodes.Where(x => x.Kind != "Input" && !name.Contains(x.Name, StringComparison.Ordinal)).DefaultIfEmpty(layer).First();
        if (name.Contains(target.Name, StringComparison.Ordinal) || n.Nodes.Any(x => x.Name == name))
            return null;
        Rename(n, target.Name, name);
        n.Mutation = "node named " + name;
        return Expect(n, "NG0018");
    }

    /// <summary>
    /// The valid network over 2 or 3 partial declarations (contiguous runs of nodes), with From named wherever the
    /// node before would be in another declaration and the output named; or, for NG0027, one of them left implicit.
    /// </summary>
    public FuzzNetwork Split(FuzzNetwork valid, int parts, bool leaveOneImplicit)
    {
        FuzzNetwork n = valid.Clone();
        n.Category = leaveOneImplicit ? "Invalid" : "Split";
        int count = n.Nodes.Count;
        var cuts = Enumerable.Range(1, count - 1).OrderBy(_ => _random.NextDouble()).Take(parts - 1).Order().ToList();
        n.PartOf = Enumerable.Range(0, count).Select(i => cuts.Count(c => c <= i)).ToList();
        var implicitOnes = new List<Action>();
        for (int i = 1; i < count; i++)
        {
            FuzzNode node = n.Nodes[i];
            if (n.PartOf[i] != n.PartOf[i - 1] && node.ReadsOne && node.From is null)
            {
                string previous = n.Nodes[i - 1].Name;
                node.From = previous;
                implicitOnes.Add(() => node.From = null);
            }
        }
        string output = n.Nodes[n.OutputIndex].Name;
        n.Output = output;
        implicitOnes.Add(() => n.Output = null);
        n.Mutation = $"split in {parts} at {string.Join(", ", cuts)}";
        if (!leaveOneImplicit)
            return n;
        implicitOnes[Next(implicitOnes.Count)]();
        n.Mutation += ", one implicit";
        return Expect(n, "NG0027");
    }

    /// <summary>A valid network with members of the user's own that must not disturb it: a constructor that chains, a property, a node HBias beside a layer without bias.</summary>
    public FuzzNetwork UserMembers(FuzzNetwork valid)
    {
        FuzzNetwork n = valid.Clone();
        n.Category = "Valid";
        string cls = FuzzNames.Spell(n.ClassName);
        n.ExtraMembers = Pick(new[]
        {
            $"    public {cls}(string name) : this(3) => Name = name;\n    public string Name {{ get; }} = \"\";\n",
            $"    public {cls}() : this(2) {{ }}\n",
            "    public int Epochs { get; set; }\n    public override string ToString() => \"net\";\n",
            "    private static int s_count = 1;\n    public static int Count => s_count;\n",
        });
        FuzzNode? noBias = n.Nodes.FirstOrDefault(x => x.Kind == "Dense" && !x.Bias);
        if (noBias is not null && Chance(0.5))
            n.ExtraMembers += $"    public int {noBias.Name}Bias => 0;\n    public int {noBias.Name}BiasGradients => 0;\n";
        n.Mutation = "user members";
        return n;
    }

    /// <summary>Random damage to the text of a declaration: a deleted, doubled or replaced character after "[Network".</summary>
    public (string Text, string Mutation) Garbage(string text)
    {
        int start = text.IndexOf("[Network", StringComparison.Ordinal);
        int at = start + Next(text.Length - start);
        const string junk = "()[]{},;.=\"'<>0123456789-+ abcXN";
        return Next(3) switch
        {
            0 => (text.Remove(at, 1), $"delete '{text[at]}' at {at}"),
            1 => (text.Insert(at, text[at].ToString()), $"double '{text[at]}' at {at}"),
            _ => (text.Remove(at, 1).Insert(at, junk[Next(junk.Length)].ToString()), $"replace '{text[at]}' at {at}"),
        };
    }

    private static FuzzNetwork Expect(FuzzNetwork network, string id)
    {
        network.ExpectedError = id;
        return network;
    }

    private static bool DependsOn(FuzzNetwork network, int node, int ancestor)
    {
        var stack = new Stack<int>([node]);
        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            if (i == ancestor) return true;
            if (!seen.Add(i) || i < 0) continue;
            foreach (int s in network.SourcesOf(i))
                if (s >= 0) stack.Push(s);
        }
        return false;
    }

    private static void Rename(FuzzNetwork network, string from, string to)
    {
        foreach (FuzzNode node in network.Nodes)
        {
            if (node.Name == from) node.Name = to;
            if (node.From == from) node.From = to;
            node.Operands = node.Operands.Select(o => o == from ? to : o).ToList();
        }
        if (network.Output == from) network.Output = to;
    }
}
