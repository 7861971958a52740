using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.OnnxHarness;

namespace NetGen.Generator.Tests;

/// <summary>
/// The emission path of an imported network (node properties declared, not implemented; the constructor copying the
/// embedded weights; PyTorch's names in the tensor list), as a snapshot that also compiles without a warning; the weight
/// literal's escaping; and docs/onnx.md's operator table against the importer's own.
/// </summary>
public class OnnxEmissionTests
{
    [Fact]
    public void ImportedResidual_MatchesItsSnapshot_AndCompilesWithoutWarnings()
    {
        GeneratorRun run = Run(Network("residual.onnx"), Fixture("residual.onnx"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        Snapshot.Match(run.Source("Samples.Net.g.cs"), "Paths.OnnxResidual");
    }

    [Fact]
    public void ImportedNormalizations_MatchTheirSnapshot_WithTheRunningStatisticsEmbedded()
    {
        // The state path: the running statistics copied from the file instead of starting at 0 and 1.
        GeneratorRun run = Run(Network("norms-13.onnx"), Fixture("norms-13.onnx"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        string source = run.Source("Samples.Net.g.cs");
        Assert.DoesNotContain(".Fill(1f)", source, StringComparison.Ordinal);
        Snapshot.Match(source, "Paths.OnnxNorms");
    }

    [Fact]
    public void WeightLiteral_EscapesWhatALiteralCannotHoldAsWritten()
    {
        // A quote, a backslash, a control, a lone surrogate of each kind, a line separator and the BOM are escaped;
        // printable ASCII and CJK stay as written.
        string units = "a\"\\\n\uD800\uDC00\u2028\uFEFF\u4E00";
        Assert.Equal("a\\u0022\\u005c\\u000a\\ud800\\udc00\\u2028\\ufeff\u4E00", Emit.WeightLiteral.Escape(units));
    }

    [Fact]
    public void WeightLiteral_RoundTripsEveryCodeUnitThroughTheCompiler()
    {
        // All 65,536 code units in one literal, compiled and read back by the compiler's own constant value.
        string units = new(Enumerable.Range(0, 65536).Select(i => (char)i).ToArray());
        string source = $"static class Bits {{ public const string Units = \"{Emit.WeightLiteral.Escape(units)}\"; }}";
        var compilation = GeneratorHarness.Compile([source]);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        IFieldSymbol field = (IFieldSymbol)compilation.GetTypeByMetadataName("Bits")!.GetMembers("Units").Single();
        Assert.Equal(units, (string)field.ConstantValue!);
    }

    [Fact]
    public void DocsOperatorTable_IsTheImportersTable()
    {
        // The import section's operator table: the first table after its "Supported operators" heading.
        string docs = File.ReadAllText(Paths.Repository("docs/onnx.md"));
        docs = docs.Substring(docs.IndexOf("## Import", StringComparison.Ordinal));
        docs = docs.Substring(docs.IndexOf("### Supported operators", StringComparison.Ordinal));
        docs = docs.Substring(0, docs.IndexOf("\n### ", 1, StringComparison.Ordinal));
        string[] rows = docs.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| operator", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))
            .Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(Onnx.OnnxOperators.Documentation.Select(r => $"| {r.OpType} | {r.Becomes} |"), rows);
    }
}
