using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;

namespace NetGen.Generator.Model;

/// <summary>What the user declared on one [Network] class, as read by the parser: plain values, nothing resolved yet.</summary>
/// <param name="Namespace">Dotted value text ("Models.event" for <c>namespace Models.@event</c>), or null for the global namespace.</param>
/// <param name="ClassName">Value text, like every identifier in the models; the emitter escapes it.</param>
/// <param name="HintName">The generated file's name, unique among the compilation's networks.</param>
/// <param name="Nodes">In declaration order: the part that carries [Network] first, then the other parts (see <see cref="Parsing.Parser"/>).</param>
/// <param name="Parts">How many partial declarations of the class hold nodes.</param>
/// <param name="UserMembers">The members the user wrote in the class besides its nodes, to check against the generated names.</param>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    string HintName,
    Loss Loss,
    float LossScale,
    Reduction Reduction,
    float L2,
    string? Output,
    EquatableArray<NodeSpec> Nodes,
    int Parts,
    EquatableArray<UserMember> UserMembers,
    ArgumentLocations Locations)
{
    /// <summary>For a network imported from an ONNX file: the file's weights, which the constructor starts from; else null.</summary>
    public Onnx.ImportedWeights? Imported { get; init; }
}

/// <summary>A member the user declared in a network class that is not a node.</summary>
/// <param name="Kind">What it is, for messages: "method", "field", "property", "event", "nested type".</param>
internal sealed record UserMember(string Name, string Kind, LocationInfo? Location);

/// <summary>One node property, in declaration order.</summary>
/// <param name="Name">Value text (<c>class</c> for <c>@class</c>).</param>
/// <param name="Kind">The layer kind its attribute declares: the descriptor that knows everything else about it.</param>
/// <param name="Arguments">The attribute's arguments, as the kind reads them (and where each one is written).</param>
/// <param name="Sources">The names this node reads as written: From for Dense (empty for "the node before"), the operands of Add/Max.</param>
/// <param name="FirstInPart">Whether no node precedes it in its partial declaration, so that "the node before" is not defined by the text.</param>
internal sealed record NodeSpec(
    string Name,
    string Accessibility,
    LayerKind Kind,
    LayerArguments Arguments,
    EquatableArray<string> Sources,
    bool FirstInPart,
    NodeLocations Locations)
{
    /// <summary>
    /// The name its parameters carry in a state dict before ".weight" and ".bias", when it is not the node's name: an
    /// imported node keeps PyTorch's ("fc1", "layers.0") while its property gets a C# identifier ("Fc1", "Layers0").
    /// </summary>
    public string? StateDictPrefix { get; init; }
}

/// <summary>Where the network attribute and its named arguments are, for diagnostics.</summary>
internal sealed record ArgumentLocations(LocationInfo? Attribute, LocationInfo? Loss, LocationInfo? LossScale, LocationInfo? Reduction, LocationInfo? L2, LocationInfo? Output);

/// <summary>
/// Where a node's property, its attribute, the names it reads and its kind's arguments are, for diagnostics. Kept apart
/// from the arguments' values, so that the plan holds no location and moving a declaration does not re-emit its code.
/// </summary>
/// <param name="Sources">One location per entry of <see cref="NodeSpec.Sources"/>.</param>
/// <param name="Arguments">Where each argument the kind reads is written, by the argument's name.</param>
internal sealed record NodeLocations(LocationInfo? Property, LocationInfo? Attribute, EquatableArray<LocationInfo> Sources, EquatableArray<ArgumentLocation> Arguments)
{
    /// <summary>Where the argument <paramref name="name"/> is written, or the attribute when it is not.</summary>
    public LocationInfo? Of(string name)
    {
        foreach (ArgumentLocation argument in Arguments)
            if (argument.Name == name)
                return argument.Location ?? Attribute;
        return Attribute;
    }
}

/// <summary>Where one argument of a node attribute is written.</summary>
internal sealed record ArgumentLocation(string Name, LocationInfo? Location);
