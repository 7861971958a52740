using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// NetGen writes the constructor <c>Net(int maxBatchSize = 1)</c>, which allocates every buffer. A constructor the
/// user writes must leave room for it and run it: one taking a single int has its signature (CS0111 in generated
/// code), a primary constructor would need it to call <c>this(…)</c> (CS8862 in generated code), and one that does
/// not chain to it with <c>: this(…)</c> would leave the buffers null. Each is NG0029 at the user's constructor.
/// </summary>
internal static class ConstructorRules
{
    public static void Check(INamedTypeSymbol type, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            if (reference.GetSyntax() is TypeDeclarationSyntax { ParameterList: { } parameters })
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorConflict, LocationInfo.From(parameters),
                    $"'{type.Name}' has a primary constructor", type.Name,
                    "remove its parameter list and declare an ordinary constructor that calls ': this(maxBatchSize)'"));

        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.IsImplicitlyDeclared || constructor.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not ConstructorDeclarationSyntax syntax)
                continue;
            string signature = $"{type.Name}({string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString()))})";
            LocationInfo? location = LocationInfo.From(syntax.Identifier.GetLocation());
            if (constructor.Parameters.Length == 1 && constructor.Parameters[0] is { Type.SpecialType: SpecialType.System_Int32, RefKind: RefKind.None })
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorConflict, location,
                    $"The constructor '{signature}' has the signature of the generated one", type.Name,
                    "remove it, or give it other parameters and call ': this(maxBatchSize)' from it"));
            else if (syntax.Initializer is null || !syntax.Initializer.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorConflict, location,
                    $"The constructor '{signature}' does not call the generated one, so the network's buffers would never be allocated", type.Name,
                    "add ': this(maxBatchSize)' to it, e.g. ': this(1)'"));
        }
    }
}
