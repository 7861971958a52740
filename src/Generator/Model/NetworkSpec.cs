using NetGen.Generator.Helpers;

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
    LossKind Loss,
    float LossScale,
    ReductionKind Reduction,
    float L2,
    string? Output,
    EquatableArray<NodeSpec> Nodes,
    int Parts,
    EquatableArray<UserMember> UserMembers,
    ArgumentLocations Locations);

/// <summary>A member the user declared in a network class that is not a node.</summary>
/// <param name="Kind">What it is, for messages: "method", "field", "property", "event", "nested type".</param>
internal sealed record UserMember(string Name, string Kind, LocationInfo? Location);

/// <summary>One node property, in declaration order.</summary>
/// <param name="Name">Value text (<c>class</c> for <c>@class</c>).</param>
/// <param name="Sources">The names this node reads: From (or empty for "the node before") for Dense, the operands of Add/Max.</param>
/// <param name="FirstInPart">Whether no node precedes it in its partial declaration, so that "the node before" is not defined by the text.</param>
internal sealed record NodeSpec(
    string Name,
    string Accessibility,
    NodeKind Kind,
    int Size,
    ActivationKind Activation,
    float Slope,
    bool SlopeGiven,
    bool Bias,
    EquatableArray<string> Sources,
    bool FirstInPart,
    NodeLocations Locations);

/// <summary>Where the network attribute and its named arguments are, for diagnostics.</summary>
internal sealed record ArgumentLocations(LocationInfo? Attribute, LocationInfo? Loss, LocationInfo? LossScale, LocationInfo? Reduction, LocationInfo? L2, LocationInfo? Output);

/// <summary>Where a node's attribute and its arguments are, for diagnostics.</summary>
/// <param name="Sources">One location per entry of <see cref="NodeSpec.Sources"/>.</param>
internal sealed record NodeLocations(LocationInfo? Property, LocationInfo? Attribute, LocationInfo? Size, LocationInfo? Activation, LocationInfo? Slope, EquatableArray<LocationInfo> Sources);
