using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Naming;

/// <summary>
/// The one way an identifier reaches generated code. Models hold identifiers as their value text (<c>class</c> for a
/// node declared <c>@class</c>): that is what names compare by, what derived names are built from and what string
/// literals and comments show. Code positions write <see cref="Escape"/> of it.
/// </summary>
internal static class Identifiers
{
    /// <summary>
    /// <paramref name="name"/> as a C# identifier: <c>@</c>-prefixed when it is a keyword, reserved or contextual.
    /// Escaping contextual keywords too costs nothing (<c>@value</c> is <c>value</c>) and keeps a node named
    /// <c>nameof</c>, <c>partial</c> or <c>var</c> from changing how the generated code parses or binds.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>A dotted namespace (value text of each part, e.g. "Models.event") as C#: "Models.@event".</summary>
    public static string EscapeNamespace(string dotted) => string.Join(".", dotted.Split('.').Select(Escape));

    /// <summary>Joins value-text parts with dots, as stored in the models.</summary>
    public static string Dotted(IEnumerable<string> parts) => string.Join(".", parts);
}
