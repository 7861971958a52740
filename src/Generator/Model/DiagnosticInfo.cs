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

    /// <summary>The diagnostic, located in <paramref name="compilation"/>'s tree for the file when it has one.</summary>
    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), System.Linq.Enumerable.ToArray<object>(Arguments));
}
