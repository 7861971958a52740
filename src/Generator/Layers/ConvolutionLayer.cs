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

/// <summary>[Conv1D(channels, kernel, activation)] and [Conv2D(…)] with Stride, Padding, Bias, From and Slope.</summary>
internal sealed record ConvolutionArguments(
    int Channels,
    int Kernel,
    Activation Activation,
    int Stride,
    int Padding,
    float Slope,
    bool SlopeGiven,
    bool Bias) : LayerArguments;

/// <summary>
/// A convolution y = f(W ⋆ x + b) as PyTorch's nn.Conv1d and nn.Conv2d (square kernel, one stride and one padding for
/// both dimensions): a [C, L] or [C, H, W] source, W [out, C, k] or [out, C, k, k], b [out]. Its steps call the
/// runtime's <c>Convolution</c> kernels with the layer's sizes as a shape type; a 1-D convolution is run as a 2-D one of
/// height 1.
/// </summary>
internal sealed class ConvolutionLayer : LayerKind
{
    public static ConvolutionLayer Conv1D { get; } = new(1);

    public static ConvolutionLayer Conv2D { get; } = new(2);

    /// <summary>1 or 2: the dimensions the window slides along.</summary>
    private readonly int _dimensions;

    private ConvolutionLayer(int dimensions) => _dimensions = dimensions;

    public override string Name => _dimensions == 1 ? "Conv1D" : "Conv2D";

    public override NodeDescription Describe(LayerArguments arguments)
    {
        var convolution = (ConvolutionArguments)arguments;
        return NodeDescription.WithActivation(_dimensions == 1 ? GraphNodeKind.Conv1D : GraphNodeKind.Conv2D, convolution.Activation, convolution.Slope)
            with { Kernel = convolution.Kernel, Stride = convolution.Stride, Padding = convolution.Padding };
    }

    /// <summary>The largest patch matrix of one sample, in floats (256 MB): the scratch the kernels fill per sample.</summary>
    public const long MaxPatchMatrix = 1L << 26;

    private static ConvolutionArguments Arguments(PlannedNode node) => (ConvolutionArguments)node.Arguments;

    // ---- Parse and validate ----

    public override ReadNode Read(NodeAttribute attribute)
    {
        int channels = attribute.Int(0, "channels", 0, out LocationInfo? channelsLocation);
        int kernel = attribute.Int(1, "kernel", 0, out LocationInfo? kernelLocation);
        var activation = (Activation)attribute.Int(2, "activation", (int)Activation.Identity, out LocationInfo? activationLocation);
        (ImmutableArray<string> sources, ImmutableArray<LocationInfo> locations) = attribute.NamedSource("From");
        var arguments = new ConvolutionArguments(channels, kernel, activation, attribute.Named("Stride", 1), attribute.Named("Padding", 0),
            attribute.Named("Slope", 0.01f), attribute.HasNamed("Slope"), attribute.Named("Bias", true));
        return new ReadNode(arguments,
            [
                new ArgumentLocation("channels", channelsLocation), new ArgumentLocation("kernel", kernelLocation),
                new ArgumentLocation("activation", activationLocation), new ArgumentLocation("Slope", attribute.NamedLocation("Slope")),
                new ArgumentLocation("Stride", attribute.NamedLocation("Stride")), new ArgumentLocation("Padding", attribute.NamedLocation("Padding")),
            ],
            sources, locations);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (ConvolutionArguments)node.Arguments;
        if (arguments.Channels < 1 || arguments.Channels > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSize, node.Locations.Of("channels"), node.Name, arguments.Channels, Validator.MaxSize));
        if (arguments.Kernel < 1 || arguments.Kernel > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("kernel"),
                $"The kernel size of '{node.Name}'", arguments.Kernel, "a positive size (e.g. 3 or 5)"));
        if (arguments.Stride < 1 || arguments.Stride > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("Stride"),
                $"The Stride of '{node.Name}'", arguments.Stride, "a positive step (1, the default, reads every position)"));
        if (arguments.Padding < 0 || arguments.Padding > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("Padding"),
                $"The Padding of '{node.Name}'", arguments.Padding, "zero or more (zeros added on every side)"));
        ActivationArguments.Check(node, arguments.Activation, arguments.Slope, arguments.SlopeGiven, diagnostics);
    }

    public override bool ReadsNodeBeforeByDefault => true;

    /// <summary>[out, ⌊(n + 2p − k) / s⌋ + 1, …] from the source's [C, n, …], as PyTorch computes it.</summary>
    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (ConvolutionArguments)node.Arguments;
        Shape source = sourceShapes[0];
        if (!SpatialSource.HasRank(node, Name, _dimensions, sources[0], source, diagnostics))
            return null;
        if (SpatialSource.Slide(node, _dimensions, sources[0], source, arguments.Kernel, arguments.Stride, arguments.Padding, "kernel", diagnostics) is not int[] sizes)
            return null;
        int[] output = [arguments.Channels, .. sizes];
        var shape = Shape.Of(output);
        long size = shape.Dimensions.Aggregate(1L, (product, d) => product * d);
        if (size > Validator.MaxSize)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSize, node.Locations.Of("channels"), node.Name, size, Validator.MaxSize));
            return null;
        }
        // The kernels hold one sample's patches (in × k^d values for each output position) in the scratch.
        long patches = source[0] * (long)System.Math.Pow(arguments.Kernel, _dimensions) * (size / arguments.Channels);
        if (patches > MaxPatchMatrix)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("kernel"),
                $"The patch matrix of '{node.Name}' (input channels × kernel values × output positions)", patches,
                $"at most {MaxPatchMatrix} floats: use a smaller kernel, fewer input channels or a larger Stride"));
            return null;
        }
        return shape;
    }

    /// <summary>W [out, C, k] or [out, C, k, k] and b [out], PyTorch's names and layout.</summary>
    public override IEnumerable<ParameterSpec> Parameters(NodeSpec node, Shape output, IReadOnlyList<Shape> sourceShapes)
    {
        var arguments = (ConvolutionArguments)node.Arguments;
        int[] weight = _dimensions == 1
            ? [arguments.Channels, sourceShapes[0][0], arguments.Kernel]
            : [arguments.Channels, sourceShapes[0][0], arguments.Kernel, arguments.Kernel];
        yield return new ParameterSpec(ParameterKind.Weight, "weight", Shape.Of(weight), Penalised: true);
        if (arguments.Bias)
            yield return new ParameterSpec(ParameterKind.Bias, "bias", Shape.Vector(arguments.Channels), Penalised: false);
    }

    public override Activation ActivationOf(LayerArguments arguments) => ((ConvolutionArguments)arguments).Activation;

    public override float SlopeOf(LayerArguments arguments) => ((ConvolutionArguments)arguments).Slope;

    public override bool HasActivation => true;

    public override LocationInfo? ActivationLocation(NodeSpec node) => node.Locations.Of("activation");

    public override NodeMemberNames Members(string node, LayerArguments arguments) => NodeMemberNames.WithParameters(node, ((ConvolutionArguments)arguments).Bias);

    // ---- Plan ----

    public override Lowering Lower(PlannedNode node, NetworkPlan partial) => Lowering.Kernels;

    // ---- Emit ----

    public override string Formula(NetworkPlan plan, PlannedNode node)
    {
        string source = plan.Source(node).Name;
        string affine = node.Bias is not null ? $"W ⋆ {source} + b" : $"W ⋆ {source}";
        return $"{node.Name} = {ActivationTable.Apply(node.Activation, affine, Arguments(node).Slope)}";
    }

    public override string ShapeText(NetworkPlan plan, PlannedNode node)
    {
        ConvolutionArguments arguments = Arguments(node);
        return $"{node.Shape} ← {plan.Source(node).Shape}, kernel {SpatialSource.Window(arguments.Kernel, _dimensions, tight: true)}"
            + (arguments.Stride != 1 ? $", stride {arguments.Stride}" : "") + (arguments.Padding != 0 ? $", padding {arguments.Padding}" : "");
    }

    /// <summary>The sizes as <c>IConvolutionShape</c> constants; a 1-D convolution as a 2-D one of height 1.</summary>
    public override string? ShapeType(NetworkPlan plan, PlannedNode node)
    {
        ConvolutionArguments arguments = Arguments(node);
        Shape source = plan.Source(node).Shape;
        bool flat = _dimensions == 1;
        (string name, int value)[] sizes =
        [
            ("InChannels", source[0]),
            ("InHeight", flat ? 1 : source[1]),
            ("InWidth", source[_dimensions]),
            ("OutChannels", arguments.Channels),
            ("KernelHeight", flat ? 1 : arguments.Kernel),
            ("KernelWidth", arguments.Kernel),
            ("Stride", arguments.Stride),
            ("PaddingHeight", flat ? 0 : arguments.Padding),
            ("PaddingWidth", arguments.Padding),
        ];
        return $"public readonly struct {StepWriter.ShapeTypeName(node)} : {Names.Kernels}.IConvolutionShape {{ "
            + string.Join(" ", sizes.Select(size => $"public static int {size.name} => {size.value};")) + " }";
    }

    public override string ScratchPurpose => "a convolution's patches";

    public override string? ScratchLength(PlannedNode node) => $"{Names.Convolution}.ScratchLength<{StepWriter.ShapeTypeReference(node)}>()";


    /// <summary>The input position a window reads, with this layer's numbers: "2h − 1 + i" for stride 2, padding 1.</summary>
    private static string Reads(ConvolutionArguments arguments, string position, string offset) =>
        (arguments.Stride == 1 ? position : $"{arguments.Stride}{position}") + (arguments.Padding > 0 ? $" − {arguments.Padding}" : "") + $" + {offset}";

    /// <summary>"[n, o, h, w]" for the output, "[n, c, 2h + i, 2w + j]" for what it reads, "[o, c, i, j]" for W, per dimensions.</summary>
    private (string Output, string Input, string Weight, string Sums) Indices(ConvolutionArguments arguments) => _dimensions == 1
        ? ("[n, o, l]", $"[n, c, {Reads(arguments, "l", "j")}]", "[o, c, j]", "Σ_l")
        : ("[n, o, h, w]", $"[n, c, {Reads(arguments, "h", "i")}, {Reads(arguments, "w", "j")}]", "[o, c, i, j]", "Σ_h Σ_w");

    private void WriteHeader(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        PlannedParameter weight = node.Weight;
        ConvolutionArguments arguments = Arguments(node);
        (string output, string input, string weightIndex, _) = Indices(arguments);
        string window = _dimensions == 1 ? "Σ_c Σ_j" : "Σ_c Σ_i Σ_j";
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        w.Line($"// z{output} = {window} W{weightIndex}·{source.Name}{input}{(node.Bias is not null ? " + b[o]" : "")}{(arguments.Padding > 0 ? " (zeros outside)" : "")},"
            + $"  W = {weight.Value.View} {weight.Value.Shape}" + (node.Bias is not null ? $", b = {node.Bias.Value.View} {node.Bias.Value.Shape}" : ""));
    }

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool separateZ = node.PreActivations is not null;

        WriteHeader(w, node);
        ConvolutionArguments arguments = Arguments(node);
        bool pointwise = arguments.Kernel == 1 && arguments.Stride == 1 && arguments.Padding == 0;
        w.Line($"// x = {source.Name}, y = {node.Name}{(separateZ ? ", z kept for the backward pass" : "")}; "
            + (pointwise ? "a 1×1 kernel: one product with W over each sample as it is; "
                : "each sample's patches become a matrix in the scratch, and one product with W gives every position of every channel; ")
            + (!node.ActivationInKernel ? "the kernel writes z, f runs after it"
                : node.Activation != Activation.Identity ? $"{(node.Bias is not null ? "b and f" : "f")} applied as each result leaves the product"
                : node.Bias is not null ? "b added as each result leaves the product" : "no bias, no activation"));
        w.WriteAffineForward(node, Names.Convolution);
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool sourceIsInput = source.Kind.IsInput;
        string x = source.Name;
        w.Line($"// Backward of {Formula(w.Plan, node)}");
        if (node.FusedWithLoss)
            w.Line("//   δz arrives from the loss, already through the activation (fused)");
        else if (node.DerivativeFusedIntoReader && node.Activation != Activation.Identity)
            w.Line($"//   δz = δy ⊙ f′ arrives ready: the reader of {node.Name} applied f′ = {ActivationTable.Derivative(node.Activation, Arguments(node).Slope)} in its input-gradient step");
        else if (node.AppliesOwnDerivative)
            w.Line($"//   δz = δy ⊙ f′,  f′ = {ActivationTable.Derivative(node.Activation, Arguments(node).Slope)}");
        (string output, string input, string weightIndex, string sums) = Indices(Arguments(node));
        w.Line($"//   ∂L/∂W{weightIndex} = Σ_n {sums} δz{output}·{x}{input}"
            + (node.Bias is not null ? $",  ∂L/∂b[o] = Σ_n {sums} δz{output}" : "") + "   (written, not added)");
        w.Line($"//   δ{x}{input} += Σ_o δz{output}·W{weightIndex}, over every window{(Arguments(node).Padding > 0 ? " (the padding receives nothing)" : "")}"
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        w.OpenBackward(node);
        w.Line($"{Names.Span} dz = {w.Deltas(node)};");
        if (node.AppliesOwnDerivative)
            w.WriteActivationBackward(node, "dz");
        w.Line($"{Names.ReadOnlySpan} x = {w.Values(source)};");
        w.Line($"{Names.ReadOnlySpan} w = {Tensors.Access(node.Weight.Value)};");
        w.Line($"{Names.Span} dw = {Tensors.Access(node.Weight.Gradient)};");
        w.Line($"{Names.Convolution}.WeightGradients<{StepWriter.ShapeTypeReference(node)}>(dw, dz, x, {GeneratedNames.ScratchBuffer}, batchSize);");
        if (node.Bias is not null)
        {
            w.Line($"{Names.Span} db = {Tensors.Access(node.Bias.Gradient)};");
            w.Line($"{Names.Convolution}.BiasGradients<{StepWriter.ShapeTypeReference(node)}>(db, dz, batchSize);");
        }
        if (sourceIsInput)
            w.Open("if (wantInputGradients)");
        w.Line($"{Names.Span} dx = {w.Deltas(source)};");
        w.Line($"{Names.Convolution}.AddInputGradients<{StepWriter.ShapeTypeReference(node)}>(dx, dz, w, {GeneratedNames.ScratchBuffer}, batchSize);");
        if (sourceIsInput)
            w.Close();
        w.Close();
        w.Line();
    }
}
