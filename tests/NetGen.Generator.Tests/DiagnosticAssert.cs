using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Runs the generator over a declaration and checks one diagnostic by ID, by the source text it points at, and by message.</summary>
public static class DiagnosticAssert
{
    /// <summary>A network class <c>Net</c> in namespace <c>Samples</c> with the given [Network] arguments and members.</summary>
    public static string Network(string members, string networkArguments = "") => $$"""
        using NetGen;

        namespace Samples;

        [Network{{(networkArguments.Length == 0 ? "" : "(" + networkArguments + ")")}}]
        public partial class Net
        {
        {{members}}
        }
        """;

    /// <summary>
    /// Asserts that the generator reported <paramref name="id"/> exactly once, at the source text <paramref name="at"/>,
    /// with <paramref name="message"/>; returns the run for further checks.
    /// </summary>
    public static GeneratorRun Reports(string source, string id, string at, string message, LanguageVersion version = LanguageVersion.Latest)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(GeneratorHarness.ParseOptions(version)),
            GeneratorHarness.Compile([source], GeneratorHarness.ParseOptions(version)));
        Diagnostic[] matches = run.GeneratorDiagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matches.Length == 1, $"Expected one {id}, got: {string.Join("; ", run.GeneratorDiagnostics)}");
        Diagnostic diagnostic = matches[0];
        Assert.Equal(at, TextAt(run, diagnostic));
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Network0.cs", diagnostic.Location.GetLineSpan().Path);
        return run;
    }

    /// <summary>The user's source text that a diagnostic points at.</summary>
    public static string TextAt(GeneratorRun run, Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        SyntaxTree tree = run.Input.SyntaxTrees.Single(t => t.FilePath == span.Path);
        return tree.GetText().ToString(diagnostic.Location.SourceSpan);
    }

    /// <summary>The IDs the generator reported, sorted.</summary>
    public static string[] Ids(GeneratorRun run) => run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(i => i, System.StringComparer.Ordinal).ToArray();
}
