using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[Activation(activation)] with From and Slope.</summary>
internal sealed record ActivationLayerArguments(Activation Activation, float Slope, bool SlopeGiven) : LayerArguments;

/// <summary>
/// An activation on its own, y = f(x) as PyTorch's nn.ReLU and its kin, for the nodes whose kind has no activation
/// argument (a batch normalisation, a residual sum, a pooling). It is a Dense layer without weights to the planner: it
/// keeps z apart where f′ or the loss reads it, and a reader that writes its δ may apply its f′ in the same pass; its
/// own backward step applies f′ otherwise and adds δx += δz.
/// </summary>
internal sealed class ActivationLayer : LayerKind
{
    public static ActivationLayer Instance { get; } = new();

    private ActivationLayer()
    {
    }

    public override string Name => "Activation";

    public override NodeDescription Describe(LayerArguments arguments)
    {
        var activation = (ActivationLayerArguments)arguments;
        return NodeDescription.WithActivation(GraphNodeKind.Activation, activation.Activation, activation.Slope);
    }

    public override ReadNode Read(NodeAttribute attribute)
    {
        var activation = (Activation)attribute.Int(0, "activation", (int)Activation.Identity, out LocationInfo? activationLocation);
        (ImmutableArray<string> sources, ImmutableArray<LocationInfo> locations) = attribute.NamedSource("From");
        var arguments = new ActivationLayerArguments(activation, attribute.Named("Slope", 0.01f), attribute.HasNamed("Slope"));
        return new ReadNode(arguments,
            [new ArgumentLocation("activation", activationLocation), new ArgumentLocation("Slope", attribute.NamedLocation("Slope"))],
            sources, locations);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (ActivationLayerArguments)node.Arguments;
        ActivationArguments.Check(node, arguments.Activation, arguments.Slope, arguments.SlopeGiven, diagnostics);
    }

    public override bool ReadsNodeBeforeByDefault => true;

    /// <summary>
    /// The source's shape. Softmax needs a vector: over a [C, H, W] node it is not one operation (PyTorch's
    /// nn.Softmax(dim = 1) takes each position's channels, a flattened row all values), and over one value it is always 1.
    /// </summary>
    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        Shape shape = sourceShapes[0];
        if (((ActivationLayerArguments)node.Arguments).Activation == Activation.Softmax)
        {
            if (shape.Rank > 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("activation"),
                    $"The activation of '{node.Name}', which reads '{sources[0].Name}' {shape},", "Activation.Softmax",
                    "an element-wise activation for a shaped node: give the softmax to the Dense layer that reads it flattened"));
            else if (shape.Size == 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOverOneUnit, node.Locations.Of("activation"), node.Name));
        }
        return shape;
    }

    public override Activation ActivationOf(LayerArguments arguments) => ((ActivationLayerArguments)arguments).Activation;

    public override float SlopeOf(LayerArguments arguments) => ((ActivationLayerArguments)arguments).Slope;

    public override bool HasActivation => true;

    public override LocationInfo? ActivationLocation(NodeSpec node) => node.Locations.Of("activation");

    public override long MultiplyAddsPerSample(PlannedNode node) => 0;

    public override string Formula(NetworkPlan plan, PlannedNode node) =>
        $"{node.Name} = {ActivationTable.Apply(node.Activation, plan.Source(node).Name, node.Slope)}";

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => $"{node.Shape} ← {plan.Source(node).Shape}";

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        if (node.PreActivations is not null)
            w.Line($"// z = {source.Name} is kept apart: {(node.FusedWithLoss ? "the loss reads the logits" : "f′ reads z")}");
        w.Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} x = {w.Values(source)};");
        if (node.PreActivations is not null)
            w.Line($"x.CopyTo({w.PreActivations(node)});");
        if (node.Activation == Activation.Identity)
            w.Line($"x.CopyTo({w.Values(node)});");
        else
            w.WriteActivation(node, w.Values(node), "x");
        w.Close();
        w.Line();
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool sourceIsInput = source.Kind.IsInput;
        w.Line($"// Backward of {Formula(w.Plan, node)}");
        if (node.FusedWithLoss)
            w.Line("//   δz arrives from the loss, already through the activation (fused)");
        else if (node.DerivativeFusedIntoReader)
            w.Line($"//   δz = δy ⊙ f′ arrives ready: the reader of {node.Name} applied f′ = {ActivationTable.Derivative(node.Activation, node.Slope)} in its input-gradient step");
        else if (node.AppliesOwnDerivative)
            w.Line($"//   δz = δy ⊙ f′,  f′ = {ActivationTable.Derivative(node.Activation, node.Slope)}   (in place)");
        w.Line($"//   δ{source.Name} += δz" + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        w.OpenBackward(node);
        // Of the input, δz serves only ∂L/∂inputs: nothing to compute when the caller does not ask for them.
        if (sourceIsInput)
            w.Open("if (wantInputGradients)");
        w.Line($"{Names.Span} dz = {w.Deltas(node)};");
        if (node.AppliesOwnDerivative)
            w.WriteActivationBackward(node, "dz");
        w.Line($"{Names.Span} dx = {w.Deltas(source)};");
        w.Line($"{Names.Tensor}.Add(dx, dz, dx);");
        if (sourceIsInput)
            w.Close();
        w.Close();
        w.Line();
    }
}
