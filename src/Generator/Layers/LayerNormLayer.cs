using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[LayerNorm] with Epsilon and From.</summary>
internal sealed record LayerNormArguments(float Epsilon) : LayerArguments;

/// <summary>
/// Layer normalisation as PyTorch's nn.LayerNorm over all of a sample's values, with γ and β of the node's shape
/// (<c>{Node}.weight</c> and <c>{Node}.bias</c>). Its backward step writes ∂L/∂γ and ∂L/∂β and adds to its source's δ,
/// recomputing each sample's mean and variance from the source's values.
/// </summary>
internal sealed class LayerNormLayer : LayerKind
{
    public static LayerNormLayer Instance { get; } = new();

    private LayerNormLayer()
    {
    }

    public override string Name => "LayerNorm";

    public override NodeDescription Describe(LayerArguments arguments) =>
        new(GraphNodeKind.LayerNorm, Epsilon: ((LayerNormArguments)arguments).Epsilon);

    private static float Epsilon(PlannedNode node) => ((LayerNormArguments)node.Arguments).Epsilon;

    public override ReadNode Read(NodeAttribute attribute)
    {
        (ImmutableArray<string> sources, ImmutableArray<LocationInfo> locations) = attribute.NamedSource("From");
        return new ReadNode(new LayerNormArguments(attribute.Named("Epsilon", 1e-5f)), [new ArgumentLocation("Epsilon", attribute.NamedLocation("Epsilon"))], sources, locations);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        BatchNormLayer.CheckEpsilon(node, ((LayerNormArguments)node.Arguments).Epsilon, diagnostics);
    }

    public override bool ReadsNodeBeforeByDefault => true;

    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        sourceShapes[0];

    /// <summary>γ and β of the node's shape, PyTorch's "weight" and "bias"; no L2 on either.</summary>
    public override IEnumerable<ParameterSpec> Parameters(NodeSpec node, Shape output, IReadOnlyList<Shape> sourceShapes)
    {
        yield return new ParameterSpec(ParameterKind.Scale, "weight", output, Penalised: false);
        yield return new ParameterSpec(ParameterKind.Shift, "bias", output, Penalised: false);
    }

    /// <summary>γ and β have the views of a weight and a bias, as PyTorch names them.</summary>
    public override NodeMemberNames Members(string node, LayerArguments arguments) => NodeMemberNames.WithParameters(node, bias: true);

    public override string Formula(NetworkPlan plan, PlannedNode node) => $"{node.Name} = layer_norm({plan.Source(node).Name})";

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => $"{node.Shape} ← {plan.Source(node).Shape}";


    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        PlannedParameter scale = node.Parameter(ParameterKind.Scale)!, shift = node.Parameter(ParameterKind.Shift)!;
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        w.Line($"// y[n, i] = γ[i]·({source.Name}[n, i] − μ_n)/√(σ²_n + ε) + β[i], μ_n and σ²_n over the sample's {node.Size} values, ε = {Names.Float(Epsilon(node))},"
            + $"  γ = {scale.Value.View} {scale.Value.Shape}, β = {shift.Value.View} {shift.Value.Shape}");
        w.Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.LayerNorm}.Forward({w.Values(node)}, {w.Values(source)}, {Tensors.Access(scale.Value)}, {Tensors.Access(shift.Value)}, {node.Size}, {Names.Float(Epsilon(node))}, batchSize);");
        w.Close();
        w.Line();
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool sourceIsInput = source.Kind.IsInput;
        PlannedParameter scale = node.Parameter(ParameterKind.Scale)!, shift = node.Parameter(ParameterKind.Shift)!;
        w.Line($"// Backward of {Formula(w.Plan, node)}, x̂ = (x − μ)/σ recomputed from {source.Name}");
        w.Line("//   ∂L/∂γ = Σ_n δy ⊙ x̂,  ∂L/∂β = Σ_n δy   (written, not added)");
        w.Line($"//   δ{source.Name} += (1/σ)(g − mean(g) − x̂·mean(g ⊙ x̂)), g = γ ⊙ δy, means over the sample"
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        w.OpenBackward(node);
        string dx = sourceIsInput ? $"wantInputGradients ? {w.Deltas(source)} : default" : w.Deltas(source);
        w.Line($"{Names.LayerNorm}.Backward({Tensors.Access(scale.Gradient)}, {Tensors.Access(shift.Gradient)}, {dx}, {w.Deltas(node)}, {w.Values(source)}, "
            + $"{Tensors.Access(scale.Value)}, {node.Size}, {Names.Float(Epsilon(node))}, batchSize);");
        w.Close();
        w.Line();
    }
}
