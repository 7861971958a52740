using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Names from the user's declaration reach generated code through one escaping function and one table of generated
/// names, and files are named from a sanitised, unique form of the type's full name: no identifier a user can declare
/// breaks the generated code or another network's.
/// </summary>
public class NamingTests
{
    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void EscapedKeywords_AsNamespaceClassAndNode_GiveValidCode()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Models.@event;

            [Network(Output = nameof(@void))]
            public partial class @checked
            {
                [Input(2)]                          public partial Node @class { get; }
                [Dense(2, Activation.Tanh)]         public partial Node @int { get; }
                [Add(nameof(@class), "int")]        public partial Node @nameof { get; }
                [Dense(1, From = nameof(@nameof))]  public partial Node @void { get; }
            }
            """);
        AssertCompilesCleanly(run);
        (string hint, string text) = run.Sources.Single();
        Assert.Equal("Models.event.checked.g.cs", hint);
        Assert.Contains("namespace Models.@event;", text);
        Assert.Contains("partial class @checked : global::NetGen.INetwork", text);
        Assert.Contains("public @checked(int maxBatchSize = 1)", text);
        Assert.Contains("public partial global::NetGen.Node @class {", text);
        // Derived names are built from the value text, and the state_dict names are plain.
        Assert.Contains("private void Forwardint(int batchSize)", text);
        Assert.Contains("public global::System.Span<float> intWeights =>", text);
        Assert.Contains("new(\"int.weight\", \"int\",", text);
    }

    [Fact]
    public void AKeywordNamespace_DoesNotCostOtherNetworksTheirCode()
    {
        // Before: CS8785 "The hintName 'Models.@event.KwNs.g.cs' contains an invalid character '@'", and no network got code.
        GeneratorRun run = GeneratorHarness.Run(
            "using NetGen;\nnamespace Models.@event;\n[Network] public partial class KwNs { [Input(1)] public partial Node X { get; } [Dense(1)] public partial Node Y { get; } }",
            Sources.ThreeLayerMlp);
        AssertCompilesCleanly(run);
        Assert.Equal(["Models.event.KwNs.g.cs", "Samples.ThreeLayerMlp.g.cs"], run.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TypesWhoseNamesDifferOnlyInCase_GetDistinctFiles()
    {
        // Roslyn compares hint names ignoring case: "Samples.Net.g.cs" twice would fail the whole generator.
        const string body = "{ [Input(1)] public partial Node X { get; } [Dense(1)] public partial Node Y { get; } }";
        GeneratorRun run = GeneratorHarness.Run(
            "using NetGen;\nnamespace Samples { [Network] public partial class Net " + body + " [Network] public partial class NET " + body + " }",
            "using NetGen;\nnamespace samples { [Network] public partial class Net " + body + " }");
        AssertCompilesCleanly(run);
        string[] hints = run.Sources.Select(s => s.HintName).ToArray();
        Assert.Equal(3, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(hints, h => Assert.Matches(@"^(Samples|samples)\.(Net|NET)\.[0-9a-f]{16}\.g\.cs$", h));
    }

    [Fact]
    public void UnicodeNames_GiveValidCodeAndFileNames()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Модели.Ωμέγα;

            [Network]
            public partial class Сеть
            {
                [Input(2)]                      public partial Node Вход { get; }
                [Dense(3, Activation.Sigmoid)]  public partial Node Δ { get; }
                [Dense(1)]                      public partial Node \u0059 { get; }
            }
            """);
        AssertCompilesCleanly(run);
        Assert.Equal("Модели.Ωμέγα.Сеть.g.cs", run.Sources.Single().HintName);
        Assert.Contains("public partial global::NetGen.Node Y {", run.Sources.Single().Text);
    }

    [Fact]
    public void BrokenNestedAndGenericTypes_GetDistinctPlaceholderFiles()
    {
        // Placeholders (NG0002) are named like networks: containing types with '+', generic arity with '`'.
        const string body = "{ [Input(1)] public partial Node X { get; } [Dense(1)] public partial Node Y { get; } }";
        GeneratorRun run = GeneratorHarness.Run(
            "using NetGen;\nnamespace N;\npublic partial class Outer { [Network] public partial class Net " + body + " }\n"
            + "public partial class Outer<T> { [Network] public partial class Net " + body + " [Network] public partial class Net<U> " + body + " }");
        Assert.Equal(["N.Outer+Net.g.cs", "N.Outer`1+Net.g.cs", "N.Outer`1+Net`1.g.cs"], run.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal("NG0002", d.Id));
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void AnOperandTwice_AndAnOperandNamedLikeALocal_GiveValidCode()
    {
        // Before: CS0128 'dA' is already defined (an operand twice), CS0128 'dy' and CS1503 (an operand named y).
        GeneratorRun run = GeneratorHarness.Run(DiagnosticAssert.Network("""
                [Input(2)]                               public partial Node X { get; }
                [Dense(2)]                               public partial Node A { get; }
                [Dense(2, From = nameof(X))]             public partial Node y { get; }
                [Add(nameof(A), nameof(A), nameof(X))]   public partial Node S { get; }
                [Add(nameof(S), nameof(y))]              public partial Node T { get; }
                [Max(nameof(T), nameof(T), nameof(y))]   public partial Node dy { get; }
            """));
        AssertCompilesCleanly(run);

        // And the gradients are right: an operand named twice receives δ twice.
        using var loader = new Fuzzing.NetworkLoader(run.Output);
        INetwork network = loader.Create("Samples.Net", 3);
        var random = new SeededRandom(5);
        random.FillNormal(network.Parameters, 0, 0.5);
        var inputs = new float[3 * network.InputSize];
        var targets = new float[3 * network.OutputSize];
        random.FillNormal(inputs, 0, 1);
        random.FillNormal(targets, 0, 1);
        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, 3);
        Assert.True(result.Passed, result.ToString());
    }
}
