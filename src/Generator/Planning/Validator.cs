using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;

namespace NetGen.Generator.Planning;

/// <summary>The graph behind a valid declaration, in declaration order: each node's sources and shape, the output, and a computing order.</summary>
internal sealed class ResolvedGraph(int[][] sources, Shape[] shapes, int output, int[] order, bool[] reachesOutput)
{
    public int[][] Sources { get; } = sources;
    public Shape[] Shapes { get; } = shapes;
    public int Output { get; } = output;
    public int[] Order { get; } = order;
    public bool[] ReachesOutput { get; } = reachesOutput;
}

/// <summary>
/// Checks a declared network against the rules of the language: references, sizes, the output, the loss and the
/// attribute arguments. Every rule broken is reported (not only the first), each at the argument that breaks it.
/// </summary>
internal static class Validator
{
    public const int MaxSize = 1 << 20;
    public const long MaxParameters = 1L << 28;

    public static ResolvedGraph? Validate(NetworkSpec spec, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        int errorsBefore = ErrorCount(diagnostics);
        IReadOnlyList<NodeSpec> nodes = spec.Nodes;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
            index[nodes[i].Name] = i;

        CheckNetworkArguments(spec, diagnostics);
        CheckInputs(spec, diagnostics);
        CheckNames(spec, diagnostics);
        foreach (NodeSpec node in nodes)
            node.Kind.CheckArguments(node, diagnostics);

        int[][] sources = ResolveSources(spec, index, diagnostics);
        int output = ResolveOutput(spec, index, diagnostics);
        if (ErrorCount(diagnostics) > errorsBefore)
            return null;

        int[]? order = TopologicalOrder(spec, sources, diagnostics);
        if (order is null)
            return null;

        Shape[] shapes = ResolveShapes(spec, sources, order, diagnostics);
        CheckLoss(spec, output, diagnostics);
        CheckParameterCount(spec, sources, shapes, diagnostics);
        if (ErrorCount(diagnostics) > errorsBefore)
            return null;

        bool[] reaches = ReachesOutput(sources, output, nodes.Count);
        for (int i = 0; i < nodes.Count; i++)
            if (!reaches[i] && !nodes[i].Kind.IsInput)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreachableNode, nodes[i].Locations.Property, nodes[i].Name, nodes[output].Name));
        return new ResolvedGraph(sources, shapes, output, order, reaches);
    }

    private static int ErrorCount(ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        diagnostics.Count(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

    private static void CheckNetworkArguments(NetworkSpec spec, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        if (!LossTable.IsDefined(spec.Loss))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, spec.Locations.Loss,
                "Loss", (int)spec.Loss, "one of the Loss enum's members"));
        if (!Enum.IsDefined(typeof(Reduction), spec.Reduction))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, spec.Locations.Reduction,
                "Reduction", (int)spec.Reduction, "one of the Reduction enum's members"));
        // A negative scale would make gradient descent climb the loss: never what a user means.
        if (!(spec.LossScale > 0) || float.IsInfinity(spec.LossScale))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, spec.Locations.LossScale,
                "LossScale", Format(spec.LossScale), "a finite number greater than 0 (e.g. 0.5f for ½Σ)"));
        if (float.IsNaN(spec.L2) || float.IsInfinity(spec.L2) || spec.L2 < 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, spec.Locations.L2,
                "L2", Format(spec.L2), "a finite number ≥ 0 (0 means no L2 term)"));
        if (spec.Reduction != Reduction.Default && LossTable.IsDefined(spec.Loss) && !LossTable.Get(spec.Loss).TakesReduction)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReductionWithSquaredError, spec.Locations.Reduction,
                spec.Loss, LossWithReduction(spec.Loss, spec.Reduction == Reduction.Sum)));
    }

    private static void CheckInputs(NetworkSpec spec, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        NodeSpec[] inputs = spec.Nodes.Where(n => n.Kind.IsInput).ToArray();
        if (inputs.Length == 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoInput, spec.Locations.Attribute, spec.ClassName));
        else if (inputs.Length > 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleInputs, inputs[1].Locations.Attribute,
                spec.ClassName, inputs.Length, string.Join(", ", inputs.Select(n => "'" + n.Name + "'"))));
    }

    private static void CheckNames(NetworkSpec spec, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeSpec node in spec.Nodes)
            if (!seen.Add(node.Name))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateNodeName, node.Locations.Property, node.Name, spec.ClassName));

        // Every name the emitter will write, from the one table; a node's own property is not a collision with itself.
        var generated = new Dictionary<string, GeneratedMember>(StringComparer.Ordinal);
        foreach (GeneratedMember member in GeneratedNames.ClassMembers)
            generated[member.Name] = member;
        generated[spec.ClassName] = GeneratedNames.Constructor(spec.ClassName);
        foreach (NodeSpec node in spec.Nodes)
            foreach (GeneratedMember member in GeneratedNames.ForNode(node).Derived())
                generated[member.Name] = member;

        foreach (NodeSpec node in spec.Nodes)
            if (generated.TryGetValue(node.Name, out GeneratedMember? collision))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision, node.Locations.Property, node.Name, collision.Name, spec.ClassName, collision.Role));
        foreach (UserMember member in spec.UserMembers)
            if (generated.TryGetValue(member.Name, out GeneratedMember? collision) && member.Name != spec.ClassName)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberCollision, member.Location, member.Kind,
                    member.Kind == "explicit implementation" ? "INetwork." + member.Name : member.Name, spec.ClassName, collision.Role,
                    member.Kind == "explicit implementation" ? "remove it: NetGen implements INetwork" : "rename it"));
    }

    private static int[][] ResolveSources(NetworkSpec spec, Dictionary<string, int> index, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        IReadOnlyList<NodeSpec> nodes = spec.Nodes;
        var all = new int[nodes.Count][];
        for (int i = 0; i < nodes.Count; i++)
        {
            NodeSpec node = nodes[i];
            var resolved = new List<int>();
            if (node.Kind.ReadsNodeBeforeByDefault && node.Sources.Count == 0)
            {
                if (spec.Parts > 1 && node.FirstInPart)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImplicitOrderAcrossParts, node.Locations.Attribute,
                        $"'{node.Name}' has no From and is the first node of its declaration, so the node before it is in another one",
                        spec.ClassName, spec.Parts, $"set From = nameof(...) on '{node.Name}'"));
                else if (i == 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoPreviousNode, node.Locations.Attribute, node.Name));
                else
                    resolved.Add(i - 1);
            }
            for (int s = 0; s < node.Sources.Count; s++)
            {
                string name = node.Sources[s];
                LocationInfo? location = node.Locations.Sources.Count > s ? node.Locations.Sources[s] : node.Locations.Attribute;
                if (!index.TryGetValue(name, out int source))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownReference, location, node.Name, name, spec.ClassName,
                        string.Join(", ", nodes.Where(n => n.Name != node.Name).Select(n => n.Name))));
                else if (source == i)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CyclicReference, location, node.Name, node.Name + " → " + node.Name));
                else
                    resolved.Add(source);
            }
            if (resolved.Distinct().Count() < node.Kind.MinimumOperands && resolved.Count == node.Sources.Count)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooFewOperands, node.Locations.Attribute, node.Name,
                    resolved.Count == resolved.Distinct().Count() ? $"has {resolved.Count} operand{(resolved.Count == 1 ? "" : "s")}" : "names the same node more than once", node.Kind));
            all[i] = resolved.ToArray();
        }
        return all;
    }

    private static int ResolveOutput(NetworkSpec spec, Dictionary<string, int> index, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        if (spec.Nodes.Count == 0)
            return -1;
        int output = spec.Nodes.Count - 1;
        if (spec.Output is null && spec.Parts > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImplicitOrderAcrossParts, spec.Locations.Attribute,
                $"'{spec.ClassName}' has no Output, so its output would be the last node declared", spec.ClassName, spec.Parts,
                "set [Network(Output = nameof(...))]"));
            return -1;
        }
        if (spec.Output is not null && !index.TryGetValue(spec.Output, out output))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownReference, spec.Locations.Output, "Output", spec.Output, spec.ClassName,
                string.Join(", ", spec.Nodes.Select(n => n.Name))));
            return -1;
        }
        if (spec.Nodes[output].Kind.IsInput)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputNotLayer, spec.Output is null ? spec.Nodes[output].Locations.Attribute : spec.Locations.Output,
                spec.ClassName, spec.Nodes[output].Name));
            return -1;
        }
        return output;
    }

    /// <summary>Depth-first order from the declaration order; a back edge is a cycle, reported with its path.</summary>
    private static int[]? TopologicalOrder(NetworkSpec spec, int[][] sources, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        int count = sources.Length;
        var state = new byte[count]; // 0 new, 1 on the stack, 2 done
        var order = new List<int>(count);
        var path = new List<int>();
        bool cyclic = false;

        void Visit(int node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (int source in sources[node])
            {
                if (state[source] == 1)
                {
                    if (!cyclic)
                    {
                        int start = path.IndexOf(source);
                        string cycle = string.Join(" → ", path.Skip(start).Append(source).Select(n => spec.Nodes[n].Name));
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CyclicReference, SourceLocation(spec.Nodes[node], spec.Nodes[source].Name), spec.Nodes[node].Name, cycle));
                    }
                    cyclic = true;
                }
                else if (state[source] == 0)
                {
                    Visit(source);
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            order.Add(node);
        }

        // An explicit stack would survive deeper graphs, but sources always point at declared nodes, so the
        // depth is bounded by the number of properties in one class.
        for (int i = 0; i < count; i++)
            if (state[i] == 0)
                Visit(i);
        return cyclic ? null : order.ToArray();
    }

    /// <summary>The argument that names <paramref name="source"/>, or the attribute when the edge is implicit ("the node before").</summary>
    private static LocationInfo? SourceLocation(NodeSpec node, string source)
    {
        for (int s = 0; s < node.Sources.Count && s < node.Locations.Sources.Count; s++)
            if (node.Sources[s] == source)
                return node.Locations.Sources[s];
        return node.Locations.Attribute;
    }

    /// <summary>Each node's shape from its sources', in computing order; a kind reports its own mismatches.</summary>
    private static Shape[] ResolveShapes(NetworkSpec spec, int[][] sources, int[] order, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var shapes = new Shape[sources.Length];
        foreach (int i in order)
        {
            NodeSpec[] sourceNodes = sources[i].Select(s => spec.Nodes[s]).ToArray();
            Shape[] sourceShapes = sources[i].Select(s => shapes[s]).ToArray();
            // After a mismatch, go on with the first operand's shape, so that every independent mistake is reported.
            shapes[i] = spec.Nodes[i].Kind.OutputShape(spec.Nodes[i], sourceNodes, sourceShapes, diagnostics) ?? sourceShapes.FirstOrDefault() ?? Shape.Vector(1);
        }
        return shapes;
    }

    /// <summary>The output's activation against the loss's row: a loss that fuses with an activation needs exactly that one.</summary>
    private static void CheckLoss(NetworkSpec spec, int output, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        if (!LossTable.IsDefined(spec.Loss))
            return;
        NodeSpec node = spec.Nodes[output];
        Activation actual = node.Kind.ActivationOf(node.Arguments);
        Activation? needed = LossTable.Get(spec.Loss).FusedActivation;
        if (actual == Activation.Softmax && needed is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxWithSquaredError, node.Kind.ActivationLocation(node), node.Name, spec.Loss));
        if (needed is not null && actual != needed)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossActivationMismatch, node.Kind.ActivationLocation(node),
                "Loss." + spec.Loss, needed, node.Name,
                node.Kind.HasActivation ? $"has Activation.{actual}" : $"is an [{node.Kind.Name}] node, which has no activation"));
    }

    /// <summary>The squared-error loss that names the reduction a user asked for with Reduction.</summary>
    private static string LossWithReduction(Loss loss, bool sum) => sum ? nameof(Loss.SumSquaredError) : nameof(Loss.MeanSquaredError);

    private static void CheckParameterCount(NetworkSpec spec, int[][] sources, Shape[] shapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        long total = 0;
        for (int i = 0; i < sources.Length; i++)
            foreach (ParameterSpec parameter in spec.Nodes[i].Kind.Parameters(spec.Nodes[i], shapes[i], sources[i].Select(s => shapes[s]).ToArray()))
                total += parameter.Shape.Dimensions.Aggregate(1L, (product, d) => product * d);
        if (total > MaxParameters)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, spec.Locations.Attribute,
                $"The parameter count of '{spec.ClassName}'", total, $"at most {MaxParameters}: make the layers narrower"));
    }

    private static bool[] ReachesOutput(int[][] sources, int output, int count)
    {
        var reaches = new bool[count];
        var stack = new Stack<int>();
        stack.Push(output);
        while (stack.Count > 0)
        {
            int node = stack.Pop();
            if (reaches[node])
                continue;
            reaches[node] = true;
            foreach (int source in sources[node])
                stack.Push(source);
        }
        return reaches;
    }

    public static string Format(float value) =>
        float.IsPositiveInfinity(value) ? "∞" : float.IsNegativeInfinity(value) ? "-∞" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
