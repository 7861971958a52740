using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static NetGen.Generator.NetworkGenerator;

namespace NetGen.Generator.Tests;

/// <summary>What the incremental pipeline re-uses after an edit, read from the driver's tracked steps.</summary>
public class IncrementalityTests
{
    private const string Unrelated = """
        namespace Samples;

        public static class Helpers
        {
            public static int Answer() => 42;
        }
        """;

    private static (GeneratorRun First, GeneratorRun Second) RunTwice(string[] sources, int editedFile, string editedText)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(sources);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(editedFile);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(editedText, GeneratorHarness.ParseOptions(), old.FilePath));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, edited);
        return (first, second);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRun run, string step) =>
        run.Driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(step, out System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray()
            : [];

    [Fact]
    public void UnrelatedEdit_ReusesTheCachedOutput()
    {
        (GeneratorRun first, GeneratorRun second) = RunTwice([Sources.ThreeLayerMlp, Unrelated], 1, Unrelated.Replace("42", "43"));

        // The parse re-runs on every new compilation (symbols belong to it); its result compares equal to the last one,
        // so everything after it is taken from the cache.
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(second, TrackingNames.Parse));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(second, TrackingNames.Plan));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(second, TrackingNames.Emit));
        Assert.Equal(first.Sources.ToArray(), second.Sources.ToArray());
    }

    [Fact]
    public void MovingTheDeclaration_ReparsesButDoesNotReEmit()
    {
        // Locations are part of the parsed model (diagnostics need them) but not of the plan: the code is not rewritten.
        (_, GeneratorRun second) = RunTwice([Sources.ThreeLayerMlp], 0, "// a comment above\n\n" + Sources.ThreeLayerMlp);

        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(second, TrackingNames.Parse));
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(second, TrackingNames.Plan));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(second, TrackingNames.Emit));
    }

    [Fact]
    public void ChangedLayer_RegeneratesOnlyItsNetwork()
    {
        string[] sources = [Sources.ThreeLayerMlp, Sources.ResidualNetwork];
        (GeneratorRun first, GeneratorRun second) = RunTwice(sources, 1,
            Sources.ResidualNetwork.Replace("[Dense(16, Activation.Sigmoid, Bias = false)]", "[Dense(32, Activation.Sigmoid, Bias = false)]"));

        // Outputs are in source order: the MLP's file first, the residual network's second.
        Assert.Equal([IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Modified], Reasons(second, TrackingNames.Parse));
        Assert.Equal([IncrementalStepRunReason.Cached, IncrementalStepRunReason.Modified], Reasons(second, TrackingNames.Plan));
        Assert.Equal([IncrementalStepRunReason.Cached, IncrementalStepRunReason.Modified], Reasons(second, TrackingNames.Emit));
        Assert.Equal(first.Source("Samples.ThreeLayerMlp.g.cs"), second.Source("Samples.ThreeLayerMlp.g.cs"));
        Assert.NotEqual(first.Source("Samples.ResidualNetwork.g.cs"), second.Source("Samples.ResidualNetwork.g.cs"));
        Assert.Contains("[16, 8]", first.Source("Samples.ResidualNetwork.g.cs"));
        Assert.Contains("[32, 8]", second.Source("Samples.ResidualNetwork.g.cs"));
    }

    [Fact]
    public void RemovingTheAttribute_RemovesTheOutput()
    {
        (GeneratorRun first, GeneratorRun second) = RunTwice([Sources.ThreeLayerMlp], 0,
            Sources.ThreeLayerMlp.Replace("[Network(Loss = Loss.MeanSquaredError)]", ""));

        Assert.Single(first.Sources);
        Assert.Empty(second.Sources);
        Assert.Equal([IncrementalStepRunReason.Removed], Reasons(second, TrackingNames.Emit));
    }

    [Fact]
    public void FixingAnError_ReplacesThePlaceholdersWithTheNetwork()
    {
        string broken = Sources.ResidualNetwork.Replace("[Dense(8, Activation.Sigmoid, Bias = false)]", "[Dense(7, Activation.Sigmoid, Bias = false)]");
        (GeneratorRun first, GeneratorRun second) = RunTwice([broken], 0, Sources.ResidualNetwork);

        Assert.Equal(["NG0004"], first.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Contains("NetGen could not generate this network", first.Sources.Single().Text);
        Assert.Empty(second.GeneratorDiagnostics);
        Assert.Contains("global::NetGen.INetwork", second.Sources.Single().Text);
        Assert.Equal([IncrementalStepRunReason.Removed], Reasons(second, TrackingNames.Stub));
        Assert.Equal([IncrementalStepRunReason.New], Reasons(second, TrackingNames.Emit));
    }

    [Fact]
    public void NoPipelineModel_HoldsASymbolSyntaxOrCompilation()
    {
        string broken = DiagnosticAssert.Network("[Input(5)] public partial Node X { get; }\n[Dense(7)] public partial Node Z { get; }\n[Add(nameof(X), nameof(Z))] public partial Node H { get; }");
        GeneratorRun run = GeneratorHarness.Run(Sources.ThreeLayerMlp, Sources.ResidualNetwork, broken);
        var steps = run.Driver.GetRunResult().Results.Single().TrackedSteps;
        int walked = 0;
        foreach (string step in new[] { TrackingNames.Parse, TrackingNames.Plan, TrackingNames.Diagnostics, TrackingNames.Emit, TrackingNames.Stub })
        {
            Assert.True(steps.ContainsKey(step), step);
            foreach (IncrementalGeneratorRunStep runStep in steps[step])
                foreach ((object value, IncrementalStepRunReason _) in runStep.Outputs)
                    walked += ModelWalker.AssertHoldsNoRoslynObjects(value, step);
        }
        Assert.True(walked > 100, $"walked only {walked} objects"); // the walk did reach into the models
    }

    [Fact]
    public void ModelWalker_FindsARoslynObjectHiddenInACollection()
    {
        // The check above must be able to fail: a syntax tree two levels down is caught.
        var model = new { Name = "x", Items = new object[] { 1, new { Tree = CSharpSyntaxTree.ParseText("class C { }") } } };
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ModelWalker.AssertHoldsNoRoslynObjects(model, "probe"));
    }

    /// <summary>Walks an object graph through every field and asserts that no Roslyn object that pins a compilation is in it.</summary>
    private static class ModelWalker
    {
        private static readonly Type[] s_forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree), typeof(Location), typeof(AttributeData)];

        public static int AssertHoldsNoRoslynObjects(object root, string step)
        {
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var stack = new Stack<(object Value, string Path)>();
            stack.Push((root, step));
            while (stack.Count > 0)
            {
                (object value, string path) = stack.Pop();
                Type type = value.GetType();
                Assert.False(s_forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.FullName}");
                if (type.IsPrimitive || type.IsEnum || value is string || value is DiagnosticDescriptor || (!type.IsValueType && !seen.Add(value)))
                    continue;
                if (value is IEnumerable sequence)
                {
                    int i = 0;
                    foreach (object? item in sequence)
                        if (item is not null)
                            stack.Push((item, $"{path}[{i++}]"));
                    continue;
                }
                for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
                    foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                        if (field.GetValue(value) is { } child)
                            stack.Push((child, $"{path}.{field.Name}"));
            }
            return seen.Count;
        }
    }
}
