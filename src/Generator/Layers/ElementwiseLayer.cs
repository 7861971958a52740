using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[Add(…)] and [Max(…)] take no arguments besides their operands.</summary>
internal sealed record OperandArguments : LayerArguments;

/// <summary>
/// An element-wise node over two or more operands of one shape: [Add] (residual sums: every operand receives δ) and
/// [Max] (δ flows to the arg-max operand, the first one on ties).
/// </summary>
internal sealed class ElementwiseLayer : LayerKind
{
    public static ElementwiseLayer Add { get; } = new("Add", "adds", "Add", isMax: false);

    public static ElementwiseLayer Max { get; } = new("Max", "takes the maximum of", "Max", isMax: true);

    private readonly string _verb;
    private readonly string _tensorOperation;
    private readonly bool _isMax;

    private ElementwiseLayer(string name, string verb, string tensorOperation, bool isMax)
    {
        Name = name;
        _verb = verb;
        _tensorOperation = tensorOperation;
        _isMax = isMax;
    }

    public override string Name { get; }

    public override NodeDescription Describe(LayerArguments arguments) => new(_isMax ? GraphNodeKind.Max : GraphNodeKind.Add);

    public override ReadNode Read(NodeAttribute attribute)
    {
        (ImmutableArray<string> names, ImmutableArray<LocationInfo> locations) = attribute.Operands();
        return new ReadNode(new OperandArguments(), [], names, locations);
    }

    public override int MinimumOperands => 2;

    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        int first = Enumerable.Range(0, sourceShapes.Count).FirstOrDefault(s => sourceShapes[s] != sourceShapes[0]);
        if (first == 0)
            return sourceShapes[0];
        string list = string.Join(" and ", Enumerable.Range(0, sources.Count).Select(s => $"'{sources[s].Name}' ({Size(sourceShapes[s])})"));
        LocationInfo? location = node.Locations.Sources.Count > first ? node.Locations.Sources[first] : node.Locations.Attribute;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeMismatch, location, node.Name, _verb, list, Name));
        return null;
    }

    /// <summary>A vector's size as messages have always shown it ("8"); a shaped node's shape ("[6, 14, 14]").</summary>
    private static string Size(Shape shape) => shape.Rank == 1 ? shape.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : shape.ToString();

    public override string Formula(NetworkPlan plan, PlannedNode node) =>
        _isMax ? $"{node.Name} = max({string.Join(", ", Operands(plan, node))})" : $"{node.Name} = {string.Join(" + ", Operands(plan, node))}";

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => $"{node.Shape} ← {node.Sources.Count} × {node.Shape}";

    private static IEnumerable<string> Operands(NetworkPlan plan, PlannedNode node) => node.Sources.Select(s => plan.Nodes[s].Name);

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        w.Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.Span} y = {w.Values(node)};");
        w.Line($"{Names.Tensor}.{_tensorOperation}({w.Values(w.Source(node, 0))}, {w.Values(w.Source(node, 1))}, y);");
        for (int s = 2; s < node.Sources.Count; s++)
            w.Line($"{Names.Tensor}.{_tensorOperation}(y, {w.Values(w.Source(node, s))}, y);");
        w.Close();
        w.Line();
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        if (_isMax)
            WriteMaxBackward(w, node);
        else
            WriteAddBackward(w, node);
    }

    private void WriteAddBackward(StepWriter w, PlannedNode node)
    {
        w.Line($"// Backward of {Formula(w.Plan, node)}: every operand receives δ{node.Name}");
        w.Open($"private void {Emitter.Id(node.Members.Backward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} dy = {w.Deltas(node)};");
        for (int k = 0; k < node.Sources.Count; k++)
        {
            // Named by position, not after the operand: a node may be an operand twice, or be called 'y'.
            string delta = GeneratedNames.Locals.OperandDeltas(k);
            w.Line($"{Names.Span} {delta} = {w.Deltas(w.Source(node, k))}; // δ{w.Source(node, k).Name}");
            w.Line($"{Names.Tensor}.Add({delta}, dy, {delta});");
        }
        w.Close();
        w.Line();
    }

    private void WriteMaxBackward(StepWriter w, PlannedNode node)
    {
        w.Line($"// Backward of {Formula(w.Plan, node)}: δ{node.Name} flows only to the arg-max operand (the first one on ties)");
        w.Open($"private void {Emitter.Id(node.Members.Backward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} y = {w.Values(node)};");
        w.Line($"{Names.ReadOnlySpan} dy = {w.Deltas(node)};");
        for (int k = 0; k < node.Sources.Count; k++)
        {
            PlannedNode source = w.Source(node, k);
            w.Line($"{Names.ReadOnlySpan} {GeneratedNames.Locals.OperandValues(k)} = {w.Values(source)};");
            w.Line($"{Names.Span} {GeneratedNames.Locals.OperandDeltas(k)} = {w.Deltas(source)};");
        }
        w.Open($"for (int k = 0; k < batchSize * {node.Size}; k++)");
        for (int k = 0; k < node.Sources.Count; k++)
        {
            w.Line($"{(k == 0 ? "if" : "else if")} ({GeneratedNames.Locals.OperandValues(k)}[k] == y[k])");
            w.Line($"    {GeneratedNames.Locals.OperandDeltas(k)}[k] += dy[k];");
        }
        w.Close();
        w.Close();
        w.Line();
    }
}
