using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[Input(size)]: the values a caller passes in, copied into the arena by <c>RunForward</c>.</summary>
internal sealed record InputArguments(int Size) : LayerArguments;

/// <summary>The network's input node.</summary>
internal sealed class InputLayer : LayerKind
{
    public static InputLayer Instance { get; } = new();

    private InputLayer()
    {
    }

    public override string Name => "Input";

    public override bool IsInput => true;

    public override ReadNode Read(NodeAttribute attribute)
    {
        int size = attribute.Int(0, "size", 0, out LocationInfo? location);
        return new ReadNode(new InputArguments(size), [new ArgumentLocation("size", location)], [], []);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (InputArguments)node.Arguments;
        if (arguments.Size < 1 || arguments.Size > Validator.MaxSize)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSize, node.Locations.Of("size"), node.Name, arguments.Size, Validator.MaxSize));
    }

    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        Shape.Vector(((InputArguments)node.Arguments).Size);

    public override NodeMemberNames Members(string node, LayerArguments arguments) => new(node, null, null, null, null, null, null);

    public override string Formula(NetworkPlan plan, PlannedNode node) => $"{node.Name} = input";

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => node.Shape.ToString();

    public override string ForwardCall(NetworkPlan plan, PlannedNode node) => $"inputs.CopyTo({Tensors.Access(node.Values)}); // {node.Name} = input";

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
