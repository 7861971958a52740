using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>
/// [Input(size)], [Input(channels, length)] or [Input(channels, height, width)]: the values a caller passes in, one
/// sample row-major in PyTorch's order, copied into the arena by <c>RunForward</c>.
/// </summary>
internal sealed record InputArguments(EquatableArray<int> Dimensions) : LayerArguments;

/// <summary>The network's input node.</summary>
internal sealed class InputLayer : LayerKind
{
    public static InputLayer Instance { get; } = new();

    private InputLayer()
    {
    }

    public override string Name => "Input";

    public override NodeDescription Describe(LayerArguments arguments) => new(GraphNodeKind.Input);

    public override bool IsInput => true;

    /// <summary>A vector, a signal [channels, length] or an image [channels, height, width].</summary>
    public const int MaxRank = 3;

    public override ReadNode Read(NodeAttribute attribute)
    {
        (ImmutableArray<int> dimensions, ImmutableArray<LocationInfo> locations) = attribute.Ints(0);
        var written = ImmutableArray.CreateBuilder<ArgumentLocation>(dimensions.Length);
        for (int d = 0; d < dimensions.Length; d++)
            written.Add(new ArgumentLocation(DimensionArgument(d), locations[d]));
        return new ReadNode(new InputArguments(dimensions.ToEquatableArray()), written.ToImmutable(), [], []);
    }

    private static string DimensionArgument(int dimension) => "shape" + dimension;

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        EquatableArray<int> dimensions = ((InputArguments)node.Arguments).Dimensions;
        if (dimensions.Count is 0 or > MaxRank)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Attribute,
                $"The shape of '{node.Name}'", Shape.Of([.. dimensions]).ToString(),
                "one size [Input(n)], channels and length [Input(c, length)], or channels, height and width [Input(c, h, w)]"));
            return;
        }
        bool each = true;
        for (int d = 0; d < dimensions.Count; d++)
            if (dimensions[d] < 1 || dimensions[d] > Validator.MaxSize)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSize, node.Locations.Of(DimensionArgument(d)), node.Name, dimensions[d], Validator.MaxSize));
                each = false;
            }
        long size = 1;
        foreach (int dimension in dimensions)
            size *= dimension;
        if (each && size > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSize, node.Locations.Attribute, node.Name, size, Validator.MaxSize));
    }

    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        new(((InputArguments)node.Arguments).Dimensions);

    public override NodeMemberNames Members(string node, LayerArguments arguments) => new(node, null, null, null, null, null, null);

    public override string Formula(NetworkPlan plan, PlannedNode node) => $"{node.Name} = input";

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => node.Shape.ToString();

    public override string ForwardCall(NetworkPlan plan, PlannedNode node) => $"global::NetGen.Kernels.SmallCopy.Copy(inputs, {Tensors.Access(node.Values)}); // {node.Name} = input";

    public override string BackwardCall(NetworkPlan plan, PlannedNode node) => "";

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        // Copied in by RunForward: no step of its own.
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        // ∂L/∂inputs is its δ, copied out by RunBackward when asked for.
    }
}
