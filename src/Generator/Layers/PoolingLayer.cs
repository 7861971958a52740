using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[MaxPool2D(size)] and its kin, with Stride (by default the size) and From.</summary>
internal sealed record PoolingArguments(int Size, int Stride) : LayerArguments;

/// <summary>
/// Max or average pooling over a [C, L] or [C, H, W] node, as PyTorch's nn.MaxPool1d/2d and nn.AvgPool1d/2d (square
/// windows, no padding, output sizes floored). No parameters: the backward step sends δ to each window's first
/// maximum, or spreads it over the window, adding to the source's δ; max pooling with windows side by side (stride =
/// size) writes the source's δ instead, with the source's f′ (<see cref="WritesSourceDelta"/>).
/// </summary>
internal sealed class PoolingLayer : LayerKind
{
    public static PoolingLayer MaxPool1D { get; } = new(max: true, dimensions: 1);

    public static PoolingLayer MaxPool2D { get; } = new(max: true, dimensions: 2);

    public static PoolingLayer AvgPool1D { get; } = new(max: false, dimensions: 1);

    public static PoolingLayer AvgPool2D { get; } = new(max: false, dimensions: 2);

    private readonly bool _max;
    private readonly int _dimensions;

    private PoolingLayer(bool max, int dimensions)
    {
        _max = max;
        _dimensions = dimensions;
    }

    public override string Name => (_max ? "MaxPool" : "AvgPool") + _dimensions + "D";

    public override NodeDescription Describe(LayerArguments arguments)
    {
        var pooling = (PoolingArguments)arguments;
        GraphNodeKind kind = (_max, _dimensions) switch
        {
            (true, 1) => GraphNodeKind.MaxPool1D,
            (true, _) => GraphNodeKind.MaxPool2D,
            (false, 1) => GraphNodeKind.AvgPool1D,
            (false, _) => GraphNodeKind.AvgPool2D,
        };
        return new NodeDescription(kind, Kernel: pooling.Size, Stride: pooling.Stride);
    }

    private static PoolingArguments Arguments(PlannedNode node) => (PoolingArguments)node.Arguments;

    // ---- Parse and validate ----

    public override ReadNode Read(NodeAttribute attribute)
    {
        int size = attribute.Int(0, "size", 0, out LocationInfo? sizeLocation);
        (ImmutableArray<string> sources, ImmutableArray<LocationInfo> locations) = attribute.NamedSource("From");
        return new ReadNode(new PoolingArguments(size, attribute.Named("Stride", size)),
            [new ArgumentLocation("size", sizeLocation), new ArgumentLocation("Stride", attribute.NamedLocation("Stride"))], sources, locations);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (PoolingArguments)node.Arguments;
        if (arguments.Size < 1 || arguments.Size > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("size"),
                $"The window size of '{node.Name}'", arguments.Size, "a positive size (e.g. 2)"));
        else if (arguments.Stride < 1 || arguments.Stride > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("Stride"),
                $"The Stride of '{node.Name}'", arguments.Stride, "a positive step (by default the window's size)"));
    }

    public override bool ReadsNodeBeforeByDefault => true;

    /// <summary>[C, ⌊(n − size) / s⌋ + 1, …], warning when the windows leave the last values of a dimension unread.</summary>
    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (PoolingArguments)node.Arguments;
        Shape source = sourceShapes[0];
        if (!SpatialSource.HasRank(node, Name, _dimensions, sources[0], source, diagnostics))
            return null;
        if (SpatialSource.Slide(node, _dimensions, sources[0], source, arguments.Size, arguments.Stride, padding: 0, "size", diagnostics) is not int[] sizes)
            return null;
        int[] output = [source[0], .. sizes];
        var unread = new List<string>();
        for (int d = 1; d <= _dimensions; d++)
        {
            int left = source[d] - ((output[d] - 1) * arguments.Stride + arguments.Size);
            if (left > 0)
                unread.Add(_dimensions == 1 ? $"the last {Plural(left, "value")}"
                    : $"the last {Plural(left, d == 1 ? "row" : "column")}");
        }
        if (unread.Count > 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PoolingDropsValues, node.Locations.Of("size"), node.Name, sources[0].Name,
                source.ToString(), SpatialSource.Window(arguments.Size, _dimensions), arguments.Stride, string.Join(" and ", unread)));
        return Shape.Of(output);
    }

    private static string Plural(int count, string noun) => count == 1 ? noun : $"{count} {noun}s";

    // ---- Plan ----

    public override Lowering Lower(PlannedNode node, NetworkPlan partial) => Lowering.Kernels;

    /// <summary>
    /// Max pooling whose windows tile the input (stride = size) writes its source's δ, the source's f′ with it: every
    /// value is in one window at most, so the kernel writes each once (0 off the maxima) and nothing is cleared first.
    /// </summary>
    public override bool WritesSourceDelta(PlannedNode node) => _max && Arguments(node).Stride == Arguments(node).Size;

    // ---- Emit ----

    private string Operation => _max ? "maxpool" : "avgpool";

    public override string Formula(NetworkPlan plan, PlannedNode node) => $"{node.Name} = {Operation}({plan.Source(node).Name})";

    public override string ShapeText(NetworkPlan plan, PlannedNode node)
    {
        PoolingArguments arguments = Arguments(node);
        return $"{node.Shape} ← {plan.Source(node).Shape}, window {SpatialSource.Window(arguments.Size, _dimensions, tight: true)}" + (arguments.Stride != arguments.Size ? $", stride {arguments.Stride}" : "");
    }

    /// <summary>The sizes as <c>IPoolingShape</c> constants; a 1-D pooling as a 2-D one of height 1.</summary>
    public override string? ShapeType(NetworkPlan plan, PlannedNode node)
    {
        PoolingArguments arguments = Arguments(node);
        Shape source = plan.Source(node).Shape;
        bool flat = _dimensions == 1;
        return $"public readonly struct {StepWriter.ShapeTypeName(node)} : {Names.Kernels}.IPoolingShape {{ "
            + $"public static int Channels => {source[0]}; public static int InHeight => {(flat ? 1 : source[1])}; public static int InWidth => {source[_dimensions]}; "
            + $"public static int WindowHeight => {(flat ? 1 : arguments.Size)}; public static int WindowWidth => {arguments.Size}; public static int Stride => {arguments.Stride}; }}";
    }


    /// <summary>"[n, c, h, w]" and "[n, c, 2h + i, 2w + j]" (the window's elements), per dimensions.</summary>
    private (string Output, string Window, string Over) Indices(PoolingArguments arguments)
    {
        string at(string position, string offset) => (arguments.Stride == 1 ? position : $"{arguments.Stride}{position}") + $" + {offset}";
        return _dimensions == 1
            ? ("[n, c, l]", $"[n, c, {at("l", "j")}]", $"j < {arguments.Size}")
            : ("[n, c, h, w]", $"[n, c, {at("h", "i")}, {at("w", "j")}]", $"i, j < {arguments.Size}");
    }

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        (string output, string window, string over) = Indices(Arguments(node));
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        w.Line(_max ? $"// y{output} = max over {over} of {source.Name}{window}"
            : $"// y{output} = mean over {over} of {source.Name}{window}");
        w.Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.Pooling}.{(_max ? "MaxForward" : "AverageForward")}<{StepWriter.ShapeTypeReference(node)}>({w.Values(node)}, {w.Values(source)}, batchSize);");
        w.Close();
        w.Line();
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool sourceIsInput = source.Kind.IsInput;
        PoolingArguments arguments = Arguments(node);
        (string output, string window, _) = Indices(arguments);
        w.Line($"// Backward of {Formula(w.Plan, node)}");
        bool written = source.DeltaWrittenByReader;
        bool fused = source.FusedDerivativeReads is not null && source.Activation != Activation.Identity;
        w.Line((written
            ? $"//   δ{source.Name}{window} = δ{node.Name}{output} at each window's first maximum, 0 elsewhere (windows side by side: written, not added)"
                + (fused ? $", then ⊙ f′ of {source.Name} = {ActivationTable.Derivative(source.Activation, source.Slope)} (fused)" : "")
            : _max
            ? $"//   δ{source.Name}{window} += δ{node.Name}{output} at each window's first maximum, nothing elsewhere"
            : $"//   δ{source.Name}{window} += δ{node.Name}{output} / {(_dimensions == 1 ? arguments.Size : arguments.Size * arguments.Size)}, over every window")
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        w.OpenBackward(node);
        if (sourceIsInput)
            w.Open("if (wantInputGradients)");
        string derivative = w.DerivativeOperator(fused ? source.Activation : Activation.Identity);
        string derivativeSource = fused ? Tensors.Access(source.FusedDerivativeReads!) : "default";
        w.Line(written
            ? $"{Names.Pooling}.MaxInputGradients<{StepWriter.ShapeTypeReference(node)}, {derivative}>({w.Deltas(source)}, {w.Deltas(node)}, {w.Values(source)}, {derivativeSource}, batchSize);"
            : _max
            ? $"{Names.Pooling}.MaxAddInputGradients<{StepWriter.ShapeTypeReference(node)}>({w.Deltas(source)}, {w.Deltas(node)}, {w.Values(source)}, batchSize);"
            : $"{Names.Pooling}.AverageAddInputGradients<{StepWriter.ShapeTypeReference(node)}>({w.Deltas(source)}, {w.Deltas(node)}, batchSize);");
        if (sourceIsInput)
            w.Close();
        w.Close();
        w.Line();
    }
}
