using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>What the user declared on one [Network] class, as read by the parser: plain values, nothing resolved yet.</summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    LossKind Loss,
    float LossScale,
    ReductionKind Reduction,
    float L2,
    string? Output,
    EquatableArray<NodeSpec> Nodes,
    ArgumentLocations Locations);

/// <summary>One node property, in declaration order.</summary>
/// <param name="Sources">The names this node reads: From (or empty for "the node before") for Dense, the operands of Add/Max.</param>
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
    NodeLocations Locations);

/// <summary>Where the network attribute and its named arguments are, for diagnostics.</summary>
internal sealed record ArgumentLocations(LocationInfo? Attribute, LocationInfo? Loss, LocationInfo? LossScale, LocationInfo? Reduction, LocationInfo? L2, LocationInfo? Output);

/// <summary>Where a node's attribute and its arguments are, for diagnostics.</summary>
/// <param name="Sources">One location per entry of <see cref="NodeSpec.Sources"/>.</param>
internal sealed record NodeLocations(LocationInfo? Property, LocationInfo? Attribute, LocationInfo? Size, LocationInfo? Activation, LocationInfo? Slope, EquatableArray<LocationInfo> Sources);
