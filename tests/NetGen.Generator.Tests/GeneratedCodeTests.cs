using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

public class GeneratedCodeTests
{
    [Fact]
    public void ThreeLayerMlp_MatchesSnapshot()
    {
        GeneratorRun run = GeneratorHarness.Run(Sources.ThreeLayerMlp);
        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Match(run.Source("Samples.ThreeLayerMlp.g.cs"), "ThreeLayerMlp");
    }

    [Fact]
    public void ResidualNetwork_MatchesSnapshot()
    {
        GeneratorRun run = GeneratorHarness.Run(Sources.ResidualNetwork);
        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Match(run.Source("Samples.ResidualNetwork.g.cs"), "ResidualNetwork");
    }

    [Theory]
    [InlineData(Sources.ThreeLayerMlp)]
    [InlineData(Sources.ResidualNetwork)]
    public void GeneratedCode_CompilesWithoutWarnings(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void GeneratedCode_IsDeterministic()
    {
        string first = GeneratorHarness.Run(Sources.ThreeLayerMlp).Sources.Single().Text;
        string second = GeneratorHarness.Run(Sources.ThreeLayerMlp).Sources.Single().Text;
        Assert.Equal(first, second);
    }

    [Fact]
    public void GeneratedCode_HasTheApiOfTheDesign()
    {
        GeneratorRun run = GeneratorHarness.Run(Sources.ThreeLayerMlp);
        INamedTypeSymbol type = run.Output.GetTypeByMetadataName("Samples.ThreeLayerMlp")!;
        Assert.Equal(1, ConstantOf(type, "InputSize"));
        Assert.Equal(1, ConstantOf(type, "OutputSize"));
        Assert.Equal(4353, ConstantOf(type, "ParameterCount"));
        string[] members = type.GetMembers().Select(m => m.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)).ToArray();
        Assert.Contains("ThreeLayerMlp.ThreeLayerMlp(int)", members);
        Assert.Contains("ThreeLayerMlp.Forward(ReadOnlySpan<float>, Span<float>)", members);
        Assert.Contains("ThreeLayerMlp.Forward(ReadOnlySpan<float>, Span<float>, int)", members);
        Assert.Contains("ThreeLayerMlp.ComputeLoss(ReadOnlySpan<float>, ReadOnlySpan<float>, int)", members);
        Assert.Contains("ThreeLayerMlp.Backward(ReadOnlySpan<float>, ReadOnlySpan<float>, int, Span<float>)", members);
        foreach (string view in new[] { "Parameters", "Gradients", "Hidden1Weights", "Hidden1Bias", "Hidden2Weights", "Hidden2Bias", "OutputWeights", "OutputBias" })
            Assert.Equal("System.Span<float>", ((IPropertySymbol)type.GetMembers(view).Single()).Type.ToDisplayString());
        Assert.Contains(type.AllInterfaces, i => i.ToDisplayString() == "NetGen.INetwork");
    }

    private static object? ConstantOf(INamedTypeSymbol type, string name) => ((IFieldSymbol)type.GetMembers(name).Single()).ConstantValue;
}
