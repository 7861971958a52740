using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Naming;

namespace NetGen.Generator.Parsing;

/// <summary>The names of a network's type as the models hold them: value text, never display strings (which escape).</summary>
internal static class TypeNames
{
    /// <summary>The containing namespace as dotted value text ("Models.event" for <c>Models.@event</c>), or null for the global namespace.</summary>
    public static string? Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? Identifiers.Dotted(NamespaceParts(ns)) : null;

    /// <summary>The generated file's name (the same for a network and for its placeholders): see <see cref="HintNames"/>.</summary>
    public static string HintName(INamedTypeSymbol type)
    {
        var types = new List<(string, int)>();
        bool twin = false;
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            types.Insert(0, (t.Name, t.Arity));
            twin |= HasCaseTwin(t);
        }
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            twin |= HasCaseTwin(ns);
        return HintNames.For(type.ContainingNamespace is { IsGlobalNamespace: false } n ? NamespaceParts(n) : [], types, twin);
    }

    private static List<string> NamespaceParts(INamespaceSymbol ns)
    {
        var parts = new List<string>();
        for (INamespaceSymbol? n = ns; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
            parts.Insert(0, n.Name);
        return parts;
    }

    /// <summary>Whether the symbol's container holds another namespace or type whose name (and arity) differs from its own only in case.</summary>
    private static bool HasCaseTwin(INamespaceOrTypeSymbol symbol)
    {
        IEnumerable<INamespaceOrTypeSymbol> siblings = symbol.ContainingSymbol switch
        {
            INamespaceSymbol ns => ns.GetMembers(),
            INamedTypeSymbol t => t.GetTypeMembers(),
            _ => [],
        };
        int arity = symbol is INamedTypeSymbol named ? named.Arity : 0;
        return siblings.Any(s => s.Name.Length == symbol.Name.Length
            && !string.Equals(s.Name, symbol.Name, StringComparison.Ordinal)
            && string.Equals(s.Name, symbol.Name, StringComparison.OrdinalIgnoreCase)
            && (s is INamedTypeSymbol t ? t.Arity : 0) == arity);
    }
}
