using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Onnx;

/// <summary>
/// An [OnnxNetwork(path)] class as plain values: everything of a <see cref="NetworkSpec"/> but its nodes, which come
/// from the file, plus the path as written and what is wrong with the class itself.
/// </summary>
/// <param name="Path">The attribute's path, as written (e.g. "models/classifier.onnx").</param>
/// <param name="Problems">What is wrong with the C# declaration (NG0001, NG0002, …): with any error, nothing is imported.</param>
internal sealed record OnnxDeclaration(
    string? Namespace,
    string ClassName,
    string HintName,
    string Path,
    Loss Loss,
    float LossScale,
    Reduction Reduction,
    float L2,
    EquatableArray<UserMember> UserMembers,
    ArgumentLocations Locations,
    LocationInfo? PathLocation,
    EquatableArray<DiagnosticInfo> Problems)
{
    public const string AttributeName = "NetGen.OnnxNetworkAttribute";

    /// <summary>Reads the class the attribute is on; null for the declarations that do not carry the one that counts.</summary>
    public static OnnxDeclaration? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax || context.Attributes.IsEmpty)
            return null;
        if (syntax.Identifier.IsMissing || !SyntaxFacts.IsValidIdentifier(type.Name))
            return null;
        cancellationToken.ThrowIfCancellationRequested();
        AttributeData attribute = context.Attributes[0];
        var problems = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        LocationInfo? classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        Parser.CheckClass(type, syntax, classLocation, problems);
        var arguments = AttributeArguments.Of(attribute);
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Parser.NetworkAttributeName))
            problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, classLocation, type.Name,
                "marked both [Network] and [OnnxNetwork]", "keep one: [OnnxNetwork] takes its nodes from the file, [Network] from the class's properties"));
        string? path = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        if (Parser.HasErrors(attribute))
            problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableAttribute, arguments.Attribute ?? classLocation,
                $"[OnnxNetwork] on '{type.Name}'", type.Name));
        // The nodes come from the file: a node property declared in the class would be a second, conflicting declaration.
        foreach (IPropertySymbol property in type.GetMembers().OfType<IPropertySymbol>().Where(p => p.IsPartialDefinition))
            problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassShape, LocationInfo.From(property.Locations.FirstOrDefault()), type.Name,
                $"an [OnnxNetwork] declaring the partial property '{property.Name}'", "remove it: the node properties are generated from the file's graph"));
        return new OnnxDeclaration(
            TypeNames.Namespace(type),
            type.Name,
            TypeNames.HintName(type),
            path ?? "",
            (Loss)Parser.Named(attribute, "Loss", (int)Loss.MeanSquaredError),
            Parser.Named(attribute, "LossScale", 1f),
            (Reduction)Parser.Named(attribute, "Reduction", (int)Reduction.Default),
            Parser.Named(attribute, "L2", 0f),
            Parser.UserMembers(type, []).ToEquatableArray(),
            new ArgumentLocations(classLocation, arguments.Named("Loss"), arguments.Named("LossScale"), arguments.Named("Reduction"), arguments.Named("L2"), null),
            arguments.Positional(0, "path") ?? classLocation,
            problems.ToImmutable().ToEquatableArray());
    }
}
