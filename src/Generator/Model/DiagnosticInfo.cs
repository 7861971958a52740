using Microsoft.CodeAnalysis;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// A diagnostic as an equatable value. Descriptors are static singletons, so reference equality is value equality;
/// the real <see cref="Diagnostic"/> is created only when it is reported.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor, location, System.Linq.Enumerable.Select(arguments, a => a?.ToString() ?? "").ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), System.Linq.Enumerable.ToArray<object>(Arguments));
}
