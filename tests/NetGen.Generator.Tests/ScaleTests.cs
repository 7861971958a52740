using System.Diagnostics;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Generated code grows with the number of layers, not with units × units: sizes live in loop bounds and offsets.
/// Generation times are printed for the record (never asserted: the machine is shared).
/// </summary>
public class ScaleTests(ITestOutputHelper output)
{
    private static string Chain(int layers, int width)
    {
        var members = new StringBuilder($"[Input({width})] public partial Node X {{ get; }}\n");
        for (int i = 0; i < layers; i++)
            members.Append($"[Dense({width}, Activation.Tanh)] public partial Node L{i} {{ get; }}\n");
        members.Append("[Dense(1)] public partial Node Y { get; }\n");
        return DiagnosticAssert.Network(members.ToString());
    }

    private (int Characters, int Lines, double Milliseconds) Generate(int layers, int width)
    {
        string source = Chain(layers, width);
        GeneratorHarness.Run(source); // warm-up: the first run pays for JIT
        var clock = Stopwatch.StartNew();
        GeneratorRun run = GeneratorHarness.Run(source);
        double milliseconds = clock.Elapsed.TotalMilliseconds;
        Assert.Empty(run.GeneratorDiagnostics);
        int characters = run.Sources.Single().Text.Length;
        int lines = run.Sources.Single().Text.Count(c => c == '\n');
        output.WriteLine($"{layers} hidden layers × {width} units: {characters} characters, {lines} lines, generated in {milliseconds:F0} ms (parse + plan + emit, one run)");
        return (characters, lines, milliseconds);
    }

    [Fact]
    public void CodeSize_GrowsLinearlyWithLayers()
    {
        int ten = Generate(10, 16).Characters, thirty = Generate(30, 16).Characters, fifty = Generate(50, 16).Characters;
        // Equal steps in layers give equal steps in size (up to digits of offsets and names).
        double first = thirty - ten, second = fifty - thirty;
        Assert.InRange(second / first, 0.95, 1.10);
        Assert.InRange((double)fifty / ten, 3, 6); // linear with a fixed part, far from quadratic (25×)
    }

    [Fact]
    public void CodeSize_DoesNotGrowWithWidth()
    {
        var narrow = Generate(2, 32); // wider than the unrolling threshold (16 weights), like the wide one
        var wide = Generate(2, 1024);
        // 1024 × 1024 weights would be a million terms if unrolled: the same lines, only offsets with more digits, and a
        // few lines fewer for the wide one (a fan-in of 256 or more reads W as it is, so it declares no Wᵀ scratch).
        Assert.InRange(narrow.Lines - wide.Lines, 0, 8);
        Assert.InRange(System.Math.Abs(wide.Characters - narrow.Characters), 0, narrow.Characters / 20);
    }

    [Fact]
    public void FiftyLayerNetwork_CompilesWithoutWarnings()
    {
        GeneratorRun run = GeneratorHarness.Run(Chain(50, 64));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
