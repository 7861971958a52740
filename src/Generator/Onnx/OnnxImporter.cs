using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Onnx;

/// <summary>
/// The parse stage of an [OnnxNetwork] class: finds its file among the additional files and turns the file's graph into
/// the <see cref="NetworkSpec"/> an attribute declaration of the same network would give (nodes with their layer kinds
/// and arguments), plus the file's weights in the parameter buffer's order. The planner and the emitter then run as for
/// any network. What cannot be compiled is an NG diagnostic at the attribute, naming the node, its op and what is supported.
/// </summary>
internal static class OnnxImporter
{
    public static ParseResult Import(OnnxDeclaration? declaration, ImmutableArray<OnnxFile> files)
    {
        if (declaration is null)
            return ParseResult.Nothing;
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        diagnostics.AddRange(declaration.Problems);
        if (diagnostics.Any(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
            return Failed(diagnostics);

        OnnxFile? file = Find(declaration, files, diagnostics);
        if (file is null)
            return Failed(diagnostics);
        if (file.Unreadable is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OnnxFileUnreadable, declaration.PathLocation, declaration.Path, declaration.ClassName, file.Unreadable));
            return Failed(diagnostics);
        }
        if (file.Graph is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAnOnnxModel, declaration.PathLocation, declaration.Path, declaration.ClassName, file.NotOnnx ?? "it cannot be decoded"));
            return Failed(diagnostics);
        }

        var builder = new OnnxGraphBuilder(declaration, file.Graph, diagnostics);
        NetworkSpec? spec = builder.Build();
        return spec is null ? Failed(diagnostics) : new ParseResult(spec, diagnostics.ToImmutable().ToEquatableArray(), null);
    }

    private static ParseResult Failed(ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        new(null, diagnostics.ToImmutable().ToEquatableArray(), null);

    /// <summary>
    /// The additional file the attribute's path names: the one whose full path is the attribute's path, or ends with it
    /// after a directory separator (the path is written relative to the project, as in the AdditionalFiles item).
    /// </summary>
    private static OnnxFile? Find(OnnxDeclaration declaration, ImmutableArray<OnnxFile> files, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        string wanted = Normalise(declaration.Path).TrimStart('.', '/');
        OnnxFile[] matches = wanted.Length == 0 ? [] : files
            .Where(f => Normalise(f.Path) == Normalise(declaration.Path) || Normalise(f.Path).EndsWith("/" + wanted, StringComparison.Ordinal))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToArray();
        if (matches.Length == 1)
            return matches[0];
        string detail = matches.Length > 1
            ? $" alone: {matches.Length} of them end with it ({string.Join(", ", matches.Select(m => m.Path))}), write a longer part of the path"
            : files.Length == 0 ? " (the project lists no .onnx file)" : $" (it lists {string.Join(", ", files.Select(f => System.IO.Path.GetFileName(f.Path)).OrderBy(n => n, StringComparer.Ordinal))})";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OnnxFileNotListed, declaration.PathLocation, declaration.Path, declaration.ClassName, detail));
        return null;
    }

    private static string Normalise(string path) => path.Replace('\\', '/');
}
