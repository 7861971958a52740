using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;

namespace NetGen.Generator.Parsing;

/// <summary>Reads what <see cref="Emit.StubEmitter"/> needs to implement the node properties of a broken declaration.</summary>
internal static class StubReader
{
    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The placeholders, or null when there is no node property to implement. Before C# 13 they are written too: the
    /// compiler then reports its CS8703 ("use language version 13") at each node and at its placeholder, all of which
    /// go with the one fix NG0017 names, instead of a CS9248 per node that asks the user to implement the node.
    /// </summary>
    public static StubSpec? Read(INamedTypeSymbol type, IEnumerable<IPropertySymbol> nodeProperties)
    {
        var headers = new List<string>();
        // Damaged text can leave a type parameter without a name ("class Net<{"): no header can reopen that type, so no
        // placeholders; the compiler's syntax error at the declaration is the one to fix.
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            if (t.TypeParameters.Any(p => p.Name.Length == 0))
                return null;
        // A type without 'partial' is reopened anyway: that costs one CS0260 at its declaration (next to NG0001),
        // where leaving the nodes unimplemented would cost one CS9248 per node.
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            headers.Insert(0, Header(t));

        var properties = ImmutableArray.CreateBuilder<StubProperty>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in nodeProperties)
        {
            // A name declared twice is already an error; implementing it twice would add two more.
            if (!property.IsPartialDefinition || property.PartialImplementationPart is not null || property.IsIndexer || !names.Add(property.Name))
                continue;
            // An unknown type is already the compiler's error at the declaration; naming it here would repeat it in generated code.
            if (property.Type.TypeKind == TypeKind.Error || property.GetMethod is null && property.SetMethod is null
                || property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not PropertyDeclarationSyntax syntax)
                continue;
            var modifiers = new StringBuilder();
            foreach (SyntaxToken modifier in syntax.Modifiers)
                if (!modifier.IsKind(SyntaxKind.PartialKeyword))
                    modifiers.Append(modifier.Text).Append(' ');
            string propertyType = (property.ReturnsByRef ? "ref " : property.ReturnsByRefReadonly ? "ref readonly " : "") + property.Type.ToDisplayString(s_typeFormat);
            var accessors = ImmutableArray.CreateBuilder<string>();
            if (property.GetMethod is { } getter)
                accessors.Add(AccessorModifier(property, getter) + "get");
            if (property.SetMethod is { } setter)
                accessors.Add(AccessorModifier(property, setter) + (setter.IsInitOnly ? "init" : "set"));
            properties.Add(new StubProperty(modifiers.ToString(), propertyType, Identifiers.Escape(property.Name), accessors.ToImmutable().ToEquatableArray()));
        }
        if (properties.Count == 0)
            return null;
        return new StubSpec(TypeNames.HintName(type), TypeNames.Namespace(type), headers.ToEquatableArray(), properties.ToImmutable().ToEquatableArray());
    }

    private static string AccessorModifier(IPropertySymbol property, IMethodSymbol accessor) =>
        accessor.DeclaredAccessibility == property.DeclaredAccessibility ? "" : accessor.DeclaredAccessibility switch
        {
            Accessibility.Private => "private ",
            Accessibility.Protected => "protected ",
            Accessibility.Internal => "internal ",
            Accessibility.ProtectedOrInternal => "protected internal ",
            Accessibility.ProtectedAndInternal => "private protected ",
            _ => "",
        };

    private static string Header(INamedTypeSymbol type)
    {
        string keyword = type.TypeKind switch
        {
            TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
            TypeKind.Interface => "interface",
            _ => type.IsRecord ? "record" : "class",
        };
        string parameters = type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => Identifiers.Escape(p.Name))) + ">";
        return "partial " + keyword + " " + Identifiers.Escape(type.Name) + parameters;
    }
}
