using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Reads a [Network] class and its node properties into a <see cref="NetworkSpec"/>: symbols and syntax are
/// looked at here and nowhere later. Problems with the C# shape of the declaration become diagnostics here;
/// problems with the network itself (references, sizes, losses) are the <see cref="Planning.Validator"/>'s.
/// </summary>
internal static class Parser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    private const string NodeTypeName = "NetGen.Node";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax || context.Attributes.IsEmpty)
            return ParseResult.Nothing;
        AttributeData networkAttribute = context.Attributes[0];
        // [Network] on two parts of one partial class is the compiler's CS0579; generate once, from the first.
        if (!IsFirstNetworkAttribute(type, syntax))
            return ParseResult.Nothing;
        // A class whose name is missing or damaged is a syntax error the compiler reports; there is nothing to name the code after.
        if (syntax.Identifier.IsMissing || !SyntaxFacts.IsValidIdentifier(type.Name))
            return ParseResult.Nothing;

        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        LocationInfo? classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        CheckClass(type, syntax, classLocation, diagnostics);

        var networkArguments = AttributeArguments.Of(networkAttribute);
        if (HasErrors(networkAttribute))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableAttribute, networkArguments.Attribute ?? classLocation,
                $"[Network] on '{type.Name}'", type.Name));
        (List<(IPropertySymbol Property, bool FirstInPart)> declared, int parts) = NodeProperties(type, syntax, cancellationToken);
        IPropertySymbol[] properties = declared.Select(d => d.Property).ToArray();
        var nodes = ImmutableArray.CreateBuilder<NodeSpec>();
        foreach ((IPropertySymbol property, bool firstInPart) in declared)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NodeSpec? node = ParseNode(type, property, firstInPart, diagnostics);
            if (node is not null)
                nodes.Add(node);
        }
        CheckFields(type, diagnostics);
        ConstructorRules.Check(type, diagnostics);

        if (diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            return new ParseResult(null, diagnostics.ToImmutable().ToEquatableArray(), StubReader.Read(type, properties));

        var spec = new NetworkSpec(
            TypeNames.Namespace(type),
            type.Name,
            TypeNames.HintName(type),
            (Loss)Named(networkAttribute, "Loss", (int)Loss.MeanSquaredError),
            Named(networkAttribute, "LossScale", 1f),
            (Reduction)Named(networkAttribute, "Reduction", (int)Reduction.Default),
            Named(networkAttribute, "L2", 0f),
            Named<string?>(networkAttribute, "Output", null),
            nodes.ToImmutable().ToEquatableArray(),
            parts,
            UserMembers(type, properties).ToEquatableArray(),
            new ArgumentLocations(
                classLocation,
                networkArguments.Named("Loss"),
                networkArguments.Named("LossScale"),
                networkArguments.Named("Reduction"),
                networkArguments.Named("L2"),
                networkArguments.Named("Output")));
        return new ParseResult(spec, diagnostics.ToImmutable().ToEquatableArray(), StubReader.Read(type, properties));
    }

    /// <summary>
    /// Whether <paramref name="declaration"/> holds the type's first [Network] attribute. The transform runs once per
    /// declaration that carries one, and its attribute list holds them all, so the declaration is what tells them apart.
    /// </summary>
    private static bool IsFirstNetworkAttribute(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        SyntaxReference? first = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName)
            .Select(a => a.ApplicationSyntaxReference)
            .Where(r => r is not null)
            .OrderBy(r => r!.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(r => r!.Span.Start)
            .FirstOrDefault();
        return first is null || (first.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(first.Span));
    }

    /// <summary>Reports what NetGen cannot generate.</summary>
    internal static void CheckClass(INamedTypeSymbol type, TypeDeclarationSyntax syntax, LocationInfo? location, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        if (syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp13 } options)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LanguageVersionTooOld, location, type.Name, options.LanguageVersion.ToDisplayString()));
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, location, type.Name));
        if (type.IsRecord || type.TypeKind != TypeKind.Class)
        {
            string kind = type.IsRecord ? (type.TypeKind == TypeKind.Struct ? "a record struct" : "a record")
                : type.TypeKind == TypeKind.Struct ? "a struct" : type.TypeKind == TypeKind.Interface ? "an interface" : "not a class";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                kind, "declare it as a 'partial class'"));
        }
        if (type.ContainingType is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                $"nested in '{type.ContainingType.Name}'", $"move it out of '{type.ContainingType.Name}' into the namespace"));
        // Its own type parameters only: a class nested in a generic one is reported as nested, once.
        if (type.TypeParameters.Length > 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                "generic", "remove the type parameters"));
        if (type.TypeKind == TypeKind.Class && (type.IsStatic || type.IsAbstract))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, location, type.Name,
                type.IsStatic ? "static" : "abstract", $"remove the '{(type.IsStatic ? "static" : "abstract")}' modifier"));
    }

    /// <summary>A node attribute on a field (e.g. a property whose accessor list was lost) would silently drop a node.</summary>
    private static void CheckFields(INamedTypeSymbol type, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
            if (!field.IsImplicitlyDeclared && field.GetAttributes().Any(a => KindOf(a) is not null))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeWrongShape, LocationInfo.From(field.Locations.FirstOrDefault()), field.Name, "a field"));
    }

    internal static bool HasErrors(AttributeData attribute) =>
        attribute.AttributeClass is null or { TypeKind: TypeKind.Error }
        || attribute.AttributeConstructor is null
        || attribute.ConstructorArguments.Any(IsError)
        || attribute.NamedArguments.Any(a => IsError(a.Value));

    private static bool IsError(TypedConstant constant) =>
        constant.Kind == TypedConstantKind.Error
        || (constant.Kind == TypedConstantKind.Array && !constant.IsNull && constant.Values.Any(IsError));

    /// <summary>
    /// The properties that carry a node attribute, in declaration order, and how many partial declarations hold them.
    /// The order is the language's, never the build's: within one declaration, the order of the text; across
    /// declarations, which C# does not order (the compiler follows the order of its files, which follows their names),
    /// the declaration that carries [Network] first, then the others by the name of their first node. Whatever relies
    /// on the order across declarations ("the node before", "the last node") is NG0027; the order left fixes only the
    /// parameter layout, which thus never changes with file names.
    /// </summary>
    private static (List<(IPropertySymbol, bool)>, int) NodeProperties(INamedTypeSymbol type, TypeDeclarationSyntax networkDeclaration, CancellationToken cancellationToken)
    {
        var parts = new List<(SyntaxNode? Part, List<(IPropertySymbol Property, int Position)> Nodes)>();
        foreach (IPropertySymbol property in type.GetMembers().OfType<IPropertySymbol>())
        {
            // A property without a name, or with a damaged one ("N0." before a lost token), is a syntax error the
            // compiler reports; it cannot be a node, and its name cannot be written into code.
            if (!SyntaxFacts.IsValidIdentifier(property.Name) || !property.GetAttributes().Any(a => KindOf(a) is not null))
                continue;
            SyntaxNode? declaration = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
            SyntaxNode? part = declaration?.Parent as TypeDeclarationSyntax;
            int index = parts.FindIndex(p => SameNode(p.Part, part));
            if (index < 0)
            {
                parts.Add((part, []));
                index = parts.Count - 1;
            }
            parts[index].Nodes.Add((property, declaration?.SpanStart ?? 0));
        }
        foreach (var part in parts)
            part.Nodes.Sort((a, b) => a.Position.CompareTo(b.Position));
        var ordered = parts
            .OrderBy(p => SameNode(p.Part, networkDeclaration) ? 0 : 1)
            .ThenBy(p => p.Nodes[0].Property.Name, StringComparer.Ordinal)
            // Two declarations whose first nodes share a name are NG0024 (a duplicate node): any order reports it.
            .ThenBy(p => p.Part?.SyntaxTree.FilePath ?? "", StringComparer.Ordinal)
            .ThenBy(p => p.Part?.SpanStart ?? 0);
        var nodes = new List<(IPropertySymbol, bool)>();
        foreach (var part in ordered)
            for (int i = 0; i < part.Nodes.Count; i++)
                nodes.Add((part.Nodes[i].Property, i == 0));
        return (nodes, parts.Count);
    }

    private static bool SameNode(SyntaxNode? a, SyntaxNode? b) =>
        a is null ? b is null : b is not null && a.SyntaxTree == b.SyntaxTree && a.Span == b.Span;

    /// <summary>The members the user wrote besides the nodes: the validator checks their names against the generated ones.</summary>
    internal static IEnumerable<UserMember> UserMembers(INamedTypeSymbol type, IPropertySymbol[] nodes)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || nodes.Contains(member, SymbolEqualityComparer.Default))
                continue;
            string? kind = member switch
            {
                IMethodSymbol { MethodKind: MethodKind.Ordinary } => "method",
                IMethodSymbol { MethodKind: MethodKind.ExplicitInterfaceImplementation } m => ImplementsNetwork(m.ExplicitInterfaceImplementations) ? "explicit implementation" : null,
                IPropertySymbol p when p.ExplicitInterfaceImplementations.Length > 0 => ImplementsNetwork(p.ExplicitInterfaceImplementations) ? "explicit implementation" : null,
                IPropertySymbol { IsIndexer: false } => "property",
                IFieldSymbol f when !f.GetAttributes().Any(a => KindOf(a) is not null) => f.IsConst ? "constant" : "field",
                IEventSymbol { ExplicitInterfaceImplementations.Length: 0 } => "event",
                INamedTypeSymbol => "nested type",
                _ => null,
            };
            if (kind is null)
                continue;
            // An explicit implementation is named "NetGen.INetwork.Forward": the generated name it meets is the last part.
            string name = kind == "explicit implementation" ? member.Name.Substring(member.Name.LastIndexOf('.') + 1) : member.Name;
            yield return new UserMember(name, kind, LocationInfo.From(member.Locations.FirstOrDefault(l => l.IsInSource)));
        }
    }

    private static bool ImplementsNetwork<T>(ImmutableArray<T> implemented) where T : ISymbol =>
        implemented.Any(m => m.ContainingType?.ToDisplayString() == "NetGen.INetwork");

    /// <summary>The layer kind a node attribute declares, or null for any other attribute.</summary>
    private static LayerKind? KindOf(AttributeData attribute) => LayerKinds.ByAttribute(attribute.AttributeClass?.ToDisplayString());

    private static NodeSpec? ParseNode(INamedTypeSymbol type, IPropertySymbol property, bool firstInPart, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        LocationInfo? propertyLocation = LocationInfo.From(property.Locations.FirstOrDefault());
        AttributeData[] attributes = property.GetAttributes().Where(a => KindOf(a) is not null).ToArray();
        if (attributes.Length > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleNodeAttributes, LocationInfo.From(attributes[1].ApplicationSyntaxReference?.GetSyntax()) ?? propertyLocation,
                property.Name, string.Join(" and ", attributes.Select(a => "[" + DisplayName(a) + "]"))));
            return null;
        }

        bool shapeValid = CheckProperty(property, propertyLocation, diagnostics);
        AttributeData attribute = attributes[0];
        if (HasErrors(attribute))
        {
            // The compiler reports what is wrong; reading on would turn its error into a misleading size or reference error.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableAttribute, LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax()) ?? propertyLocation,
                $"[{DisplayName(attribute)}] on '{property.Name}'", type.Name));
            return null;
        }

        LayerKind kind = KindOf(attribute)!;
        ReadNode read = kind.Read(new NodeAttribute(attribute, propertyLocation));
        if (!shapeValid)
            return null;
        LocationInfo? attributeLocation = AttributeArguments.Of(attribute).Attribute ?? propertyLocation;
        return new NodeSpec(
            property.Name,
            WritesAccessibility(property) ? AccessibilityText(property.DeclaredAccessibility) : "",
            kind,
            read.Arguments,
            read.Sources.ToEquatableArray(),
            firstInPart,
            new NodeLocations(propertyLocation, attributeLocation, read.SourceLocations.ToEquatableArray(), read.ArgumentLocations.ToEquatableArray()));
    }

    private static bool CheckProperty(IPropertySymbol property, LocationInfo? location, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        int before = diagnostics.Count;
        if (property.Type.ToDisplayString() != NodeTypeName)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeWrongType, location, property.Name, property.Type.ToDisplayString()));
        if (property.IsStatic)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeWrongShape, location, property.Name, "static"));
        else if (property.SetMethod is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeWrongShape, location, property.Name, "settable"));
        else if (property.GetMethod is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeWrongShape, location, property.Name, "without a getter"));
        else if (property.IsIndexer)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeWrongShape, location, property.Name, "an indexer"));
        else if (property.IsAbstract || property.IsVirtual || property.IsOverride)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeWrongShape, location, property.Name, "abstract, virtual or override"));
        if (!property.IsPartialDefinition || property.PartialImplementationPart is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NodeNotPartial, location, property.Name));
        return diagnostics.Count == before;
    }

    private static string DisplayName(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "?";
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    /// <summary>
    /// Whether the declaration spells its accessibility: both parts of a partial property must write the same modifiers,
    /// so a node declared without one (private by default) gets its implementation without one too.
    /// </summary>
    private static bool WritesAccessibility(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<PropertyDeclarationSyntax>().FirstOrDefault() is not { } syntax
        || syntax.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword));

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    internal static T Named<T>(AttributeData attribute, string name, T fallback)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            if (argument.Key == name && argument.Value.Value is T value)
                return value;
        return fallback;
    }
}
