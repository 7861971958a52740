using System.Linq;
using Xunit;
using static NetGen.Generator.Tests.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The arguments of batch normalisation (a momentum in [0, 1], a positive ε), reported where written, and where it may stand.</summary>
public class BatchNormDiagnosticTests
{
    [Theory]
    [InlineData("1.5f", "1.5")]
    [InlineData("-0.1f", "-0.1")]
    [InlineData("float.NaN", "NaN")]
    [InlineData("float.PositiveInfinity", "∞")]
    public void NG0033_MomentumOutsideZeroToOne(string written, string value)
    {
        Reports(Network($"[Input(4)] public partial Node X {{ get; }}\n[BatchNorm(Momentum = {written})] public partial Node B {{ get; }}\n[Dense(2)] public partial Node Y {{ get; }}"),
            "NG0033", $"Momentum = {written}",
            $"The Momentum of 'B' is {value}; it must be in [0, 1], the weight each training batch's statistics get in the running ones: 0 keeps the running statistics as they are, 1 replaces them with the latest batch's (PyTorch's default is 0.1f)");
    }

    [Theory]
    [InlineData("0f", "0")]
    [InlineData("-1e-5f", "-1E-05")]
    [InlineData("float.PositiveInfinity", "∞")]
    [InlineData("float.NaN", "NaN")]
    public void NG0034_BatchNormEpsilonNotPositive(string written, string value)
    {
        Reports(Network($"[Input(2, 5)] public partial Node X {{ get; }}\n[BatchNorm(Epsilon = {written})] public partial Node B {{ get; }}\n[Dense(2)] public partial Node Y {{ get; }}"),
            "NG0034", $"Epsilon = {written}",
            $"The Epsilon of 'B' is {value}; it must be a positive, finite number, added to the variance so that a constant channel divides by √ε and not by 0 (PyTorch's default is 1e-5f)");
    }

    [Fact]
    public void MomentumAndEpsilon_BothWrong_AreReportedEachAtItsArgument()
    {
        GeneratorRun run = GeneratorHarness.Run(Network(
            "[Input(3)] public partial Node X { get; }\n[BatchNorm(Momentum = 2f, Epsilon = 0f)] public partial Node B { get; }\n[Dense(1)] public partial Node Y { get; }"));
        Assert.Equal(["NG0033", "NG0034"], run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id));
    }

    [Fact]
    public void BatchNorm_OfTheInputOfAnImageAndOfAVector_AtTheEdgesOfItsArguments_CompilesClean()
    {
        GeneratorRun run = GeneratorHarness.Run(Network("""
                [Input(1, 6, 6)]                              public partial Node X { get; }
                [BatchNorm(Momentum = 0f)]                    public partial Node B0 { get; }
                [Conv2D(2, 3)]                                public partial Node C { get; }
                [BatchNorm(Momentum = 1f, Epsilon = 1e-30f)]  public partial Node B1 { get; }
                [Dense(2)]                                    public partial Node D { get; }
                [BatchNorm(From = nameof(D))]                 public partial Node B2 { get; }
                [Add(nameof(B2), nameof(D))]                  public partial Node Y { get; }
            """));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
