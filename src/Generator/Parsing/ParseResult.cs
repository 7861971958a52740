using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>The parser's output: the declared network (null when the class cannot be generated) and what was wrong with it.</summary>
/// <param name="Stub">Placeholders for the node properties, used when no network can be generated; null when they would not help.</param>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, StubSpec? Stub)
{
    /// <summary>Nothing to do: another declaration of the same class carries the [Network] attribute that counts.</summary>
    public static ParseResult Nothing { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty, null);
}
