using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[Dropout(probability)] with From.</summary>
internal sealed record DropoutArguments(float Probability) : LayerArguments;

/// <summary>
/// Inverted dropout as PyTorch's nn.Dropout: in a training pass (Backward) a fresh mask zeroes each value with
/// probability p and scales the rest by 1/(1 − p); in evaluation (Forward, ComputeLoss) the node copies its input. The
/// backward step re-derives the mask from the pass's key (the runtime's counter-based generator), so nothing is stored.
/// </summary>
internal sealed class DropoutLayer : LayerKind
{
    public static DropoutLayer Instance { get; } = new();

    private DropoutLayer()
    {
    }

    public override string Name => "Dropout";

    public override NodeDescription Describe(LayerArguments arguments) =>
        new(GraphNodeKind.Dropout, DropoutProbability: ((DropoutArguments)arguments).Probability);

    private static float Probability(PlannedNode node) => ((DropoutArguments)node.Arguments).Probability;

    public override ReadNode Read(NodeAttribute attribute)
    {
        float probability = attribute.Float(0, "probability", float.NaN, out LocationInfo? location);
        (ImmutableArray<string> sources, ImmutableArray<LocationInfo> locations) = attribute.NamedSource("From");
        return new ReadNode(new DropoutArguments(probability), [new ArgumentLocation("probability", location)], sources, locations);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        float probability = ((DropoutArguments)node.Arguments).Probability;
        if (!(probability >= 0f && probability < 1f))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("probability"),
                $"The dropout probability of '{node.Name}'", Validator.Format(probability), "a number in [0, 1), e.g. 0.5f (1 would drop everything)"));
    }

    public override bool ReadsNodeBeforeByDefault => true;

    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        sourceShapes[0];

    public override bool DrawsRandomMasks => true;

    public override string Formula(NetworkPlan plan, PlannedNode node) =>
        $"{node.Name} = dropout({plan.Source(node).Name}, p = {Names.Float(Probability(node)).TrimEnd('f')})";

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => $"{node.Shape} ← {plan.Source(node).Shape}";

    public override string ForwardCall(NetworkPlan plan, PlannedNode node) => $"{Emitter.Id(node.Members.Forward!)}(batchSize, {GeneratedNames.TrainingParameter});";


    /// <summary>The node's mask key in this pass: the instance's seed, its training-pass count and the node's place.</summary>
    private static string Key(StepWriter w, PlannedNode node) =>
        $"{Names.Dropout}.Key({GeneratedNames.DropoutSeedField}, {GeneratedNames.DropoutPassField}, {Place(w.Plan, node)})";

    private static int Place(NetworkPlan plan, PlannedNode node)
    {
        for (int i = 0; i < plan.Nodes.Count; i++)
            if (plan.Nodes[i].Name == node.Name)
                return i;
        throw new System.InvalidOperationException($"'{node.Name}' is not a node of the plan.");
    }

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        float p = Probability(node);
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        w.Line($"// training: y = {source.Name} ⊙ m / (1 − p), m[i] = 1 with probability {Names.Float(1 - p).TrimEnd('f')}, a fresh mask each pass; evaluation: y = {source.Name}");
        w.Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize, bool {GeneratedNames.TrainingParameter})");
        w.Line($"if ({GeneratedNames.TrainingParameter})");
        w.Line($"    {Names.Dropout}.Forward({w.Values(node)}, {w.Values(source)}, {Names.Float(p)}, {Key(w, node)});");
        w.Line("else");
        w.Line($"    {w.Values(source)}.CopyTo({w.Values(node)});");
        w.Close();
        w.Line();
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool sourceIsInput = source.Kind.IsInput;
        w.Line($"// Backward of {Formula(w.Plan, node)}");
        w.Line($"//   δ{source.Name} += δ{node.Name} ⊙ m / (1 − p), the forward pass's mask drawn again from its key"
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        w.OpenBackward(node);
        if (sourceIsInput)
            w.Open("if (wantInputGradients)");
        w.Line($"{Names.Dropout}.AddBackward({w.Deltas(source)}, {w.Deltas(node)}, {Names.Float(Probability(node))}, {Key(w, node)});");
        if (sourceIsInput)
            w.Close();
        w.Close();
        w.Line();
    }
}
