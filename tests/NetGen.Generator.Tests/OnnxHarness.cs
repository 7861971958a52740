using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests;

/// <summary>Runs the generator over an [OnnxNetwork] class with .onnx files as the project's additional files.</summary>
public static class OnnxHarness
{
    /// <summary>A fixture of tests/NetGen.Tests/Fixtures/Onnx (make_onnx_fixtures.py wrote them).</summary>
    public static string Fixture(string name) => Paths.Repository(Path.Combine("tests", "NetGen.Tests", "Fixtures", "Onnx", name));

    /// <summary>A class <c>Net</c> in namespace <c>Samples</c> importing <paramref name="path"/>.</summary>
    public static string Network(string path, string arguments = "") => $$"""
        using NetGen;

        namespace Samples;

        [OnnxNetwork("{{path}}"{{(arguments.Length > 0 ? ", " + arguments : "")}})]
        public partial class Net;
        """;

    public static GeneratorDriver CreateDriver(params string[] files) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: files.Select(f => (AdditionalText)new FileText(f)).ToImmutableArray(),
            parseOptions: GeneratorHarness.ParseOptions(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string source, params string[] files) =>
        GeneratorHarness.Run(CreateDriver(files), GeneratorHarness.Compile([source]));

    /// <summary>
    /// An additional file as the compiler gives it: a path, and text that a binary file does not have (the compiler's
    /// decoder refuses it), which the generator therefore never asks for.
    /// </summary>
    public sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
    }
}
