using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[Dense(units, activation)] with Bias, From and Slope.</summary>
internal sealed record DenseArguments(
    int Units,
    Activation Activation,
    float Slope,
    bool SlopeGiven,
    bool Bias) : LayerArguments;

/// <summary>
/// A fully connected layer y = f(W·x + b), W [units, inputs] as PyTorch's nn.Linear, x its source flattened. Layers of a
/// few weights are unrolled into straight-line code (<see cref="DenseLayer"/>.Unrolled.cs); the others call the
/// runtime's <c>Dense</c> kernels with the layer's sizes as a shape type.
/// </summary>
internal sealed partial class DenseLayer : LayerKind
{
    public static DenseLayer Instance { get; } = new();

    private DenseLayer()
    {
    }

    /// <summary>
    /// Dense layers with at most this many weights (inputs × units) are unrolled into straight-line code. A kernel call
    /// costs a fixed 10–20 ns (argument checks, spans, dispatch, a pass for bias and f), the time of some 50 multiply-adds
    /// done one by one; at 16 terms a sample the unrolled body is still a few lines per unit, and every layer where the
    /// call would cost more than the work (the logistic neuron 2 → 1, heads of 4 → 4) is covered.
    /// </summary>
    public const int UnrolledMaximumWeights = 16;

    public override string Name => "Dense";

    public override NodeDescription Describe(LayerArguments arguments)
    {
        var dense = (DenseArguments)arguments;
        return NodeDescription.WithActivation(GraphNodeKind.Dense, dense.Activation, dense.Slope);
    }

    private static DenseArguments Arguments(PlannedNode node) => (DenseArguments)node.Arguments;

    // ---- Parse and validate ----

    public override ReadNode Read(NodeAttribute attribute)
    {
        int units = attribute.Int(0, "units", 0, out LocationInfo? unitsLocation);
        var activation = (Activation)attribute.Int(1, "activation", (int)Activation.Identity, out LocationInfo? activationLocation);
        (ImmutableArray<string> sources, ImmutableArray<LocationInfo> locations) = attribute.NamedSource("From");
        var arguments = new DenseArguments(units, activation, attribute.Named("Slope", 0.01f), attribute.HasNamed("Slope"), attribute.Named("Bias", true));
        return new ReadNode(arguments,
            [new ArgumentLocation("units", unitsLocation), new ArgumentLocation("activation", activationLocation), new ArgumentLocation("Slope", attribute.NamedLocation("Slope"))],
            sources, locations);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (DenseArguments)node.Arguments;
        if (arguments.Units < 1 || arguments.Units > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSize, node.Locations.Of("units"), node.Name, arguments.Units, Validator.MaxSize));
        ActivationArguments.Check(node, arguments.Activation, arguments.Slope, arguments.SlopeGiven, diagnostics);
        if (arguments.Activation == Activation.Softmax && arguments.Units == 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOverOneUnit, node.Locations.Of("activation"), node.Name));
    }

    public override bool ReadsNodeBeforeByDefault => true;

    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        Shape.Vector(((DenseArguments)node.Arguments).Units);

    /// <summary>W [units, inputs] (the source flattened, as torch.flatten(x, 1)) and b [units].</summary>
    public override IEnumerable<ParameterSpec> Parameters(NodeSpec node, Shape output, IReadOnlyList<Shape> sourceShapes)
    {
        var arguments = (DenseArguments)node.Arguments;
        yield return new ParameterSpec(ParameterKind.Weight, "weight", Shape.Of(arguments.Units, sourceShapes[0].Size), Penalised: true);
        if (arguments.Bias)
            yield return new ParameterSpec(ParameterKind.Bias, "bias", Shape.Vector(arguments.Units), Penalised: false);
    }

    public override Activation ActivationOf(LayerArguments arguments) => ((DenseArguments)arguments).Activation;

    public override bool HasActivation => true;

    public override LocationInfo? ActivationLocation(NodeSpec node) => node.Locations.Of("activation");

    public override NodeMemberNames Members(string node, LayerArguments arguments) => NodeMemberNames.WithParameters(node, ((DenseArguments)arguments).Bias);

    // ---- Plan ----

    /// <summary>Unrolled when the layer is smaller than a kernel call's overhead and f has a scalar operator to inline.</summary>
    public override Lowering Lower(PlannedNode node, NetworkPlan partial) =>
        node.Weight.Value.Shape.Size <= UnrolledMaximumWeights && ActivationTable.Get(node.Activation).Fusable ? Lowering.Unrolled : Lowering.Kernels;

    public override bool WritesSourceDelta(PlannedNode node) => true;

    // ---- Emit ----

    public override string Formula(NetworkPlan plan, PlannedNode node)
    {
        string source = plan.Source(node).Name;
        string affine = node.Bias is not null ? $"W·{source} + b" : $"W·{source}";
        return $"{node.Name} = {ActivationTable.Apply(node.Activation, affine, Arguments(node).Slope)}";
    }

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => $"{node.Shape} ← {plan.Source(node).Shape}";

    public override string? ShapeType(NetworkPlan plan, PlannedNode node) => node.Lowering != Lowering.Kernels ? null
        : $"public readonly struct {StepWriter.ShapeTypeName(node)} : {Names.Kernels}.ILayerShape {{ public static int Inputs => {Inputs(node)}; public static int Units => {node.Size}; }}";

    public override string ScratchPurpose => "a layer's Wᵀ for a batched product";

    public override string? ScratchLength(PlannedNode node) =>
        node.Lowering == Lowering.Kernels ? $"{Names.Dense}.ScratchLength<{StepWriter.ShapeTypeReference(node)}>()" : null;

    /// <summary>The fan-in: values per sample of the source, flattened.</summary>
    private static int Inputs(PlannedNode node) => node.Weight.Value.Shape[1];


    private void WriteHeader(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        PlannedParameter weight = node.Weight;
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        w.Line($"// z[n, o] = Σ_i W[o, i]·{source.Name}[n, i]{(node.Bias is not null ? " + b[o]" : "")},  W = {weight.Value.View} {weight.Value.Shape}"
            + (node.Bias is not null ? $", b = {node.Bias.Value.View} {node.Bias.Value.Shape}" : ""));
    }

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        if (node.Lowering == Lowering.Unrolled)
        {
            WriteUnrolledForward(w, node);
            return;
        }
        PlannedNode source = w.Source(node);
        bool separateZ = node.PreActivations is not null;

        WriteHeader(w, node);
        w.Line($"// x = {source.Name}, y = {node.Name}{(separateZ ? ", z kept for the backward pass" : "")}; "
            + (!node.ActivationInKernel ? "the kernel writes z, f runs after it"
                : node.Activation != Activation.Identity ? $"{(node.Bias is not null ? "b and f" : "f")} applied as each result leaves the kernel"
                : node.Bias is not null ? "b added as each result leaves the kernel" : "no bias, no activation")
            + "; the runtime may copy Wᵀ into the scratch for a batched product (rebuilt by every call, so never stale)");
        w.WriteAffineForward(node, Names.Dense);
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool sourceIsInput = source.Kind.IsInput;
        bool accumulate = !source.DeltaWrittenByReader;
        bool unrolled = node.Lowering == Lowering.Unrolled;
        string x = source.Name;
        w.Line($"// Backward of {Formula(w.Plan, node)}");
        if (node.FusedWithLoss)
            w.Line("//   δz arrives from the loss, already through the activation (fused)");
        else if (node.DerivativeFusedIntoReader)
            w.Line($"//   δz = δy ⊙ f′ arrives ready: the reader of {node.Name} applied f′ = {ActivationTable.Derivative(node.Activation, Arguments(node).Slope)} in its input-gradient step");
        else if (node.AppliesOwnDerivative)
            w.Line($"//   δz = δy ⊙ f′,  f′ = {ActivationTable.Derivative(node.Activation, Arguments(node).Slope)}");
        w.Line($"//   ∂L/∂W[o, i] = Σ_n δz[n, o]·{x}[n, i]" + (node.Bias is not null ? ",  ∂L/∂b[o] = Σ_n δz[n, o]" : "") + "   (written, not added)");
        w.Line($"//   δ{x}[n, i] {(accumulate ? "+=" : "=")} Σ_o δz[n, o]·W[o, i]"
            + (source.DerivativeFusedIntoReader && source.Activation != Activation.Identity
                ? $", then ⊙ f′ of {x} = {ActivationTable.Derivative(source.Activation, source.Slope)} (fused)" : "")
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        if (unrolled)
        {
            w.Line($"//   Unrolled, like the forward step: {node.Weight.Value.Shape.Size} weight{(node.Weight.Value.Shape.Size == 1 ? "" : "s")}.");
            w.Line(Names.FullyOptimized);
        }
        w.OpenBackward(node);
        w.Line($"{Names.Span} dz = {w.Deltas(node)};");
        if (node.AppliesOwnDerivative && !unrolled)
            w.WriteActivationBackward(node, "dz");
        w.Line($"{Names.ReadOnlySpan} x = {w.Values(source)};");
        if (unrolled)
        {
            WriteUnrolledBackward(w, node, source, accumulate, sourceIsInput);
        }
        else
        {
            w.Line($"{Names.ReadOnlySpan} w = {Tensors.Access(node.Weight.Value)};");
            w.Line($"{Names.Span} dw = {Tensors.Access(node.Weight.Gradient)};");
            w.Line($"{Names.Dense}.WeightGradients<{StepWriter.ShapeTypeReference(node)}>(dw, dz, x, batchSize);");
            if (node.Bias is not null)
            {
                w.Line($"{Names.Span} db = {Tensors.Access(node.Bias.Gradient)};");
                w.Line($"{Names.Dense}.BiasGradients<{StepWriter.ShapeTypeReference(node)}>(db, dz, batchSize);");
            }
            if (sourceIsInput)
                w.Open("if (wantInputGradients)");
            w.Line($"{Names.Span} dx = {w.Deltas(source)};");
            if (accumulate)
                w.Line($"{Names.Dense}.AddInputGradients<{StepWriter.ShapeTypeReference(node)}>(dx, dz, w, batchSize);");
            else if (source.FusedDerivativeReads is not null)
                w.Line($"{Names.Dense}.InputGradients<{StepWriter.ShapeTypeReference(node)}, {w.DerivativeOperator(source.Activation)}>(dx, dz, w, {FusedDerivativeSource(w, source)}, batchSize);");
            else
                w.Line($"{Names.Dense}.InputGradients<{StepWriter.ShapeTypeReference(node)}, {w.DerivativeOperator(Activation.Identity)}>(dx, dz, w, default, batchSize);");
            if (sourceIsInput)
                w.Close();
        }
        w.Close();
        w.Line();
    }

    /// <summary>What the source's f′, applied by this reader, reads: its y (this layer's x), or its z when f′ needs z (softplus).</summary>
    private static string FusedDerivativeSource(StepWriter w, PlannedNode source) =>
        source.FusedDerivativeReads!.Buffer == TensorBuffer.Values ? "x" : Tensors.Access(source.FusedDerivativeReads);

    public override float SlopeOf(LayerArguments arguments) => ((DenseArguments)arguments).Slope;
}
