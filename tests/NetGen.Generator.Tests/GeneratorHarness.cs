using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;

namespace NetGen.Generator.Tests;

/// <summary>What one run of the generator over some source produced.</summary>
public sealed record GeneratorRun(
    GeneratorDriver Driver,
    CSharpCompilation Input,
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<(string HintName, string Text)> Sources)
{
    /// <summary>Errors and warnings of the compilation with the generated code in it.</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    public string Source(string hintName) => Sources.Single(s => s.HintName == hintName).Text;
}

/// <summary>
/// Compiles source text against the running runtime's assemblies and NetGen.Runtime, and runs the generator
/// over it with step tracking on, as the compiler would.
/// </summary>
public static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(NetworkAttribute).Assembly.Location)
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    public static CSharpParseOptions ParseOptions(LanguageVersion version = LanguageVersion.Latest) =>
        CSharpParseOptions.Default.WithLanguageVersion(version);

    public static CSharpCompilation Compile(IEnumerable<string> sources, CSharpParseOptions? options = null) =>
        CSharpCompilation.Create(
            "NetGenTestAssembly",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, options ?? ParseOptions(), path: $"Network{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(CSharpParseOptions? options = null) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: options ?? ParseOptions(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), Compile(sources));

    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        var sources = result.Results
            .SelectMany(r => r.GeneratedSources)
            .Select(s => (s.HintName, s.SourceText.ToString()))
            .ToImmutableArray();
        return new GeneratorRun(driver, compilation, output, diagnostics, sources);
    }
}
