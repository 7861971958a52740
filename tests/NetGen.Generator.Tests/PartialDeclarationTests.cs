using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// A network over several partial declarations is the same network whatever its files are called and in whatever
/// order the compiler reads them: every permutation of file names and of file order gives the same code and the same
/// diagnostics.
/// </summary>
public class PartialDeclarationTests
{
    private const string Head = """
        using NetGen;
        namespace Samples;
        [Network(Output = nameof(Y))]
        public partial class Net
        {
            [Input(2)] public partial Node X { get; }
            [Dense(8)] public partial Node H { get; }
        }
        """;

    private const string Middle = """
        using NetGen;
        namespace Samples;
        public partial class Net
        {
            [Dense(4, Activation.Tanh, From = nameof(H))] public partial Node A { get; }
            [Dense(8)]                                    public partial Node B { get; }
        }
        """;

    private const string Tail = """
        using NetGen;
        namespace Samples;
        public partial class Net
        {
            [Add(nameof(H), nameof(B))] public partial Node S { get; }
            [Dense(1)]                  public partial Node Y { get; }
        }
        """;

    /// <summary>File names whose order differs from the order of the parts: every permutation is tried.</summary>
    private static readonly string[] s_fileNames = ["Net.cs", "Net.Head.cs", "A/Zeta.cs"];

    private static IEnumerable<int[]> Permutations(int n) =>
        n == 1 ? [[0]] : Permutations(n - 1).SelectMany(p => Enumerable.Range(0, n).Select(i => p.Take(i).Append(n - 1).Concat(p.Skip(i)).ToArray()));

    /// <summary>The generated sources and the diagnostics (ID, message, text pointed at) of every arrangement.</summary>
    private static List<string> Outcomes(params string[] parts)
    {
        var outcomes = new List<string>();
        foreach (int[] names in Permutations(parts.Length))
            foreach (int[] order in Permutations(parts.Length))
            {
                SyntaxTree[] trees = order.Select(i => CSharpSyntaxTree.ParseText(parts[i], GeneratorHarness.ParseOptions(), path: s_fileNames[names[i]])).ToArray();
                CSharpCompilation compilation = CSharpCompilation.Create("Parts", trees, GeneratorHarness.Compile([]).References,
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
                GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
                Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
                string diagnostics = string.Join("\n", run.GeneratorDiagnostics
                    .Select(d => $"{d.Id} at '{DiagnosticAssert.TextAt(run, d)}': {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
                    .Order(StringComparer.Ordinal));
                outcomes.Add(diagnostics + "\n" + string.Join("\n", run.Sources.Select(s => s.HintName + "\n" + s.Text)));
            }
        return outcomes;
    }

    [Fact]
    public void TwoDeclarations_WithFromAndOutputNamed_GiveTheSameNetworkWhateverTheFileNames()
    {
        string tail = Tail.Replace("[Dense(1)]", "[Dense(1, From = nameof(S))]");
        List<string> outcomes = Outcomes(Head, tail.Replace("[Add(nameof(H), nameof(B))]", "[Add(nameof(H), nameof(X))]").Replace("[Input(2)]", "[Input(8)]"));
        Assert.Single(outcomes.Distinct());
    }

    [Fact]
    public void ThreeDeclarations_WithFromAndOutputNamed_GiveTheSameNetworkWhateverTheFileNames()
    {
        // Y reads S, the node before it in its own declaration: that order is the text's, and stays allowed.
        List<string> outcomes = Outcomes(Head, Middle, Tail);
        Assert.Equal(36, outcomes.Count);
        Assert.Single(outcomes.Distinct());
        string outcome = outcomes[0];
        Assert.StartsWith("\nSamples.Net.g.cs", outcome);
        Assert.Contains("public const int OutputSize = 1;", outcome);
        // Parameters: the [Network] declaration's nodes first (H), then the others by their first node (A, B before S, Y).
        Assert.Contains("new(\"H.weight\", \"H\", global::NetGen.ParameterKind.Weight, 0, new(8, 2))", outcome);
        Assert.Contains("new(\"A.weight\", \"A\", global::NetGen.ParameterKind.Weight, 24, new(4, 8))", outcome);
    }

    [Fact]
    public void AnImplicitOutputOrPreviousNode_AcrossDeclarations_IsNG0027_WhateverTheFileNames()
    {
        // The case: before, OutputSize was 8 with a warning, or 1, depending on the files' names.
        List<string> outcomes = Outcomes(Head.Replace("(Output = nameof(Y))", ""), Tail.Replace("public partial Node S", "public partial Node Q").Replace("[Add(nameof(H), nameof(B))]", "[Dense(1)]"));
        Assert.Single(outcomes.Distinct());
        string[] lines = outcomes[0].Split('\n');
        Assert.Equal("NG0027 at 'Dense(1)': 'Q' has no From and is the first node of its declaration, so the node before it is in another one; the nodes of 'Net' are declared in 2 partial declarations, which C# does not order (the build would follow file names): set From = nameof(...) on 'Q'", lines[0]);
        Assert.Equal("NG0027 at 'Net': 'Net' has no Output, so its output would be the last node declared; the nodes of 'Net' are declared in 2 partial declarations, which C# does not order (the build would follow file names): set [Network(Output = nameof(...))]", lines[1]);
        Assert.Equal("Samples.Net.g.cs", lines[2]);
        Assert.Contains("NetGen could not generate this network", outcomes[0]);
    }
}
