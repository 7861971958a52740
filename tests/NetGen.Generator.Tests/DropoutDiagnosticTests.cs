using Xunit;
using static NetGen.Generator.Tests.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The arguments of dropout (a probability in [0, 1)) and layer normalisation (a positive ε, NG0034), reported where written.</summary>
public class DropoutDiagnosticTests
{
    [Theory]
    [InlineData("1f", "1")]
    [InlineData("-0.1f", "-0.1")]
    [InlineData("float.NaN", "NaN")]
    [InlineData("1.5f", "1.5")]
    public void NG0016_DropoutProbabilityOutsideZeroToOne(string written, string value)
    {
        Reports(Network($"[Input(4)] public partial Node X {{ get; }}\n[Dropout({written})] public partial Node D {{ get; }}\n[Dense(2)] public partial Node Y {{ get; }}"),
            "NG0016", written, $"The dropout probability of 'D' is {value}; it must be a number in [0, 1), e.g. 0.5f (1 would drop everything)");
    }

    [Fact]
    public void Dropout_OfTheInputAndOfAnImage_Compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Network("""
                [Input(1, 6, 6)]           public partial Node X { get; }
                [Dropout(0.2f)]            public partial Node D0 { get; }
                [Conv2D(2, 3)]             public partial Node C { get; }
                [Dropout(0f)]              public partial Node D1 { get; }
                [Dense(2)]                 public partial Node Y { get; }
            """));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Theory]
    [InlineData("0f", "0")]
    [InlineData("-1e-5f", "-1E-05")]
    [InlineData("float.PositiveInfinity", "∞")]
    public void NG0034_LayerNormEpsilonNotPositive(string written, string value)
    {
        Reports(Network($"[Input(4)] public partial Node X {{ get; }}\n[LayerNorm(Epsilon = {written})] public partial Node N {{ get; }}\n[Dense(2)] public partial Node Y {{ get; }}"),
            "NG0034", $"Epsilon = {written}", $"The Epsilon of 'N' is {value}; it must be a positive, finite number, added to the variance so that a constant channel divides by √ε and not by 0 (PyTorch's default is 1e-5f)");
    }
}
