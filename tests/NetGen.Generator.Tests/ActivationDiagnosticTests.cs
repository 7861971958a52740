using System.Linq;
using Xunit;
using static NetGen.Generator.Tests.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The rules of an [Activation] node, each reported at the argument that breaks it.</summary>
public class ActivationDiagnosticTests
{
    [Fact]
    public void NG0016_SoftmaxOfAShapedNode()
    {
        Reports(Network("[Input(2, 3, 3)] public partial Node X { get; }\n[Conv2D(4, 3)] public partial Node C { get; }\n[Activation(Activation.Softmax)] public partial Node S { get; }\n[Dense(2)] public partial Node Y { get; }"),
            "NG0016", "Activation.Softmax",
            "The activation of 'S', which reads 'C' [4, 1, 1], is Activation.Softmax; it must be an element-wise activation for a shaped node: give the softmax to the Dense layer that reads it flattened");
    }

    [Fact]
    public void NG0025_SoftmaxOfOneValue()
    {
        Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(1)] public partial Node H { get; }\n[Activation(Activation.Softmax)] public partial Node Y { get; }", "Loss = Loss.SoftmaxCrossEntropy"),
            "NG0025", "Activation.Softmax",
            "'Y' applies Softmax to 1 unit, so its output is always 1 and nothing before it can learn; give it one unit per class, or use Activation.Sigmoid (with Loss.BinaryCrossEntropy) for a yes/no output");
    }

    [Fact]
    public void NG0022_SlopeWithoutLeakyReLU_IsAWarning()
    {
        GeneratorRun run = Reports(Network("[Input(2)] public partial Node X { get; }\n[Activation(Activation.ReLU, Slope = 0.2f)] public partial Node R { get; }\n[Dense(1)] public partial Node Y { get; }"),
            "NG0022", "Slope = 0.2f",
            "'R' sets Slope but its activation is ReLU; Slope only applies to Activation.LeakyReLU: remove it or change the activation");
        Assert.Single(run.Sources);
    }

    [Theory]
    [InlineData("0f", "0")]
    [InlineData("1f", "1")]
    [InlineData("float.NaN", "NaN")]
    public void NG0016_LeakyReLUSlopeOutsideZeroToOne(string written, string value)
    {
        Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n[Activation(Activation.LeakyReLU, Slope = {written})] public partial Node R {{ get; }}\n[Dense(1)] public partial Node Y {{ get; }}"),
            "NG0016", $"Slope = {written}", $"The Slope of 'R' is {value}; it must be a number between 0 and 1, exclusive (e.g. 0.01f)");
    }

    [Fact]
    public void NG0016_UndefinedActivation()
    {
        Reports(Network("[Input(2)] public partial Node X { get; }\n[Activation((Activation)42)] public partial Node R { get; }\n[Dense(1)] public partial Node Y { get; }"),
            "NG0016", "(Activation)42", "The activation of 'R' is 42; it must be one of the Activation enum's members");
    }

    [Fact]
    public void NG0014_OutputActivationAgainstTheLoss()
    {
        // An [Activation] output is held to the loss like a Dense one: the cross-entropy needs its softmax.
        Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(3)] public partial Node H { get; }\n[Activation(Activation.Tanh)] public partial Node Y { get; }", "Loss = Loss.SoftmaxCrossEntropy"),
            "NG0014", "Activation.Tanh",
            "Loss.SoftmaxCrossEntropy needs an output layer with Activation.Softmax, but the output 'Y' has Activation.Tanh; declare the output as [Dense(n, Activation.Softmax)]: NetGen fuses the two into one stable computation");
    }

    [Fact]
    public void EveryActivation_AfterEveryKindWithoutOne_Compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Network("""
                [Input(2, 6, 6)]                                  public partial Node X { get; }
                [Activation(Activation.Sigmoid)]                  public partial Node A0 { get; }
                [MaxPool2D(2)]                                    public partial Node P { get; }
                [Activation(Activation.BipolarSigmoid)]           public partial Node A1 { get; }
                [LayerNorm]                                       public partial Node L { get; }
                [Activation(Activation.LeakyReLU, Slope = 0.3f)]  public partial Node A2 { get; }
                [Dropout(0.1f)]                                   public partial Node D { get; }
                [Activation(Activation.Identity, From = nameof(D))] public partial Node A3 { get; }
                [Max(nameof(A2), nameof(A3))]                     public partial Node M { get; }
                [Activation(Activation.Softplus)]                 public partial Node A4 { get; }
                [Dense(4)]                                        public partial Node H { get; }
                [Activation(Activation.Softmax)]                  public partial Node Y { get; }
            """, "Loss = Loss.SoftmaxCrossEntropy"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
    }
}
