using Xunit;
using static NetGen.Generator.Tests.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of shaped inputs and convolutions: each at the argument that causes it, with the shapes in the message.</summary>
public class ConvolutionDiagnosticTests
{
    private static string Nodes(string input, string layer) =>
        Network($"{input} public partial Node X {{ get; }}\n{layer} public partial Node Y {{ get; }}\n[Dense(2)] public partial Node Out {{ get; }}");

    [Theory]
    [InlineData("[Input(4)]", "[Conv2D(2, 3)]", "Conv2D", "[channels, height, width]", "[4]", "[Input(channels, height, width)]")]
    [InlineData("[Input(3, 8)]", "[Conv2D(2, 3)]", "Conv2D", "[channels, height, width]", "[3, 8]", "[Input(channels, height, width)]")]
    [InlineData("[Input(1, 8, 8)]", "[Conv1D(2, 3)]", "Conv1D", "[channels, length]", "[1, 8, 8]", "[Input(channels, length)]")]
    public void NG0030_ConvolutionOfTheWrongRank(string input, string layer, string kind, string reads, string shape, string example)
    {
        Reports(Nodes(input, layer), "NG0030", layer.Trim('[', ']'),
            $"'Y' is a [{kind}], which reads {reads}, but 'X' has shape {shape}; read a node of that shape, e.g. {example}");
    }

    [Fact]
    public void NG0030_PointsAtFrom_WhenWritten()
    {
        Reports(Nodes("[Input(4)]", "[Conv1D(2, 3, From = nameof(X))]"), "NG0030", "From = nameof(X)",
            "'Y' is a [Conv1D], which reads [channels, length], but 'X' has shape [4]; read a node of that shape, e.g. [Input(channels, length)]");
    }

    [Theory]
    [InlineData("[Input(1, 4, 4)]", "[Conv2D(2, 5)]", "5", "5 × 5", "[1, 4, 4]", "")]
    [InlineData("[Input(1, 2, 9)]", "[Conv2D(2, 5, Padding = 1)]", "5", "5 × 5", "[1, 2, 9]", " padded by 1")]
    [InlineData("[Input(3, 6)]", "[Conv1D(2, kernel: 7)]", "kernel: 7", "7", "[3, 6]", "")]
    public void NG0031_WindowLargerThanItsPaddedInput(string input, string layer, string at, string window, string shape, string padded)
    {
        Reports(Nodes(input, layer), "NG0031", at,
            $"'Y' slides a window of {window} over 'X' of shape {shape}{padded}, which leaves no output; use a smaller kernel, or more Padding");
    }

    [Fact]
    public void Padding_CanMakeAWindowFit()
    {
        GeneratorRun run = GeneratorHarness.Run(Nodes("[Input(1, 2, 9)]", "[Conv2D(2, 5, Padding = 2)]"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Theory]
    [InlineData("[Conv2D(2, 0)]", "0", "The kernel size of 'Y' is 0; it must be a positive size (e.g. 3 or 5)")]
    [InlineData("[Conv2D(2, 3, Stride = 0)]", "Stride = 0", "The Stride of 'Y' is 0; it must be a positive step (1, the default, reads every position)")]
    [InlineData("[Conv2D(2, 3, Padding = -1)]", "Padding = -1", "The Padding of 'Y' is -1; it must be zero or more (zeros added on every side)")]
    [InlineData("[Conv2D(2, 3, Activation.ReLU, Slope = 0.2f)]", null, null)]
    public void NG0016_InvalidConvolutionArgument(string layer, string? at, string? message)
    {
        if (at is null)
        {
            // A slope without leaky ReLU is NG0022's, as for Dense: the rules are shared.
            GeneratorRun run = GeneratorHarness.Run(Nodes("[Input(1, 8, 8)]", layer));
            Assert.Contains("NG0022", Ids(run));
            return;
        }
        Reports(Nodes("[Input(1, 8, 8)]", layer), "NG0016", at, message!);
    }

    [Fact]
    public void NG0016_PatchMatrixTooLarge()
    {
        // 1000 × 1000 kernel values for each of 1001 × 1001 positions: the kernels could not hold one sample's patches.
        Reports(Nodes("[Input(1, 1000, 1000)]", "[Conv2D(1, 1000, Padding = 500)]"), "NG0016", "1000",
            "The patch matrix of 'Y' (input channels × kernel values × output positions) is 1002001000000; it must be at most 67108864 floats: use a smaller kernel, fewer input channels or a larger Stride");
    }

    [Fact]
    public void NG0008_ZeroChannels()
    {
        Reports(Nodes("[Input(1, 8, 8)]", "[Conv2D(0, 3)]"), "NG0008", "0",
            "'Y' has size 0; sizes must be between 1 and 1048576: give it a positive size that fits, e.g. [Dense(64)]");
    }

    [Theory]
    [InlineData("[Input()]", "Input()", "[]")]
    [InlineData("[Input(1, 2, 3, 4)]", "Input(1, 2, 3, 4)", "[1, 2, 3, 4]")]
    public void NG0016_InputOfNoOrTooManyDimensions(string input, string at, string shape)
    {
        Reports(Nodes(input, "[Dense(3)]"), "NG0016", at,
            $"The shape of 'X' is {shape}; it must be one size [Input(n)], channels and length [Input(c, length)], or channels, height and width [Input(c, h, w)]");
    }

    [Theory]
    [InlineData("[Input(3, 0)]", "0", "0")]
    [InlineData("[Input(-1, 5, 5)]", "-1", "-1")]
    [InlineData("[Input(2048, 2048)]", "Input(2048, 2048)", "4194304")]
    public void NG0008_InputDimensionOrSizeOutOfRange(string input, string at, string size)
    {
        Reports(Nodes(input, "[Dense(3)]"), "NG0008", at,
            $"'X' has size {size}; sizes must be between 1 and 1048576: give it a positive size that fits, e.g. [Dense(64)]");
    }

    [Fact]
    public void NG0004_AddOfUnequalShapes_ShowsTheShapes()
    {
        Reports(Network("""
                [Input(2, 3, 3)]                     public partial Node X { get; }
                [Conv2D(3, 3, Padding = 1)]          public partial Node A { get; }
                [Add(nameof(A), nameof(X))]          public partial Node S { get; }
                [Dense(2)]                           public partial Node Out { get; }
            """), "NG0004", "nameof(X)",
            "'S' adds 'A' ([3, 3, 3]) and 'X' ([2, 3, 3]); Add needs inputs of equal size: make the operands the same size or insert a Dense layer to project one of them");
    }

    [Theory]
    [InlineData("[Input(4)]", "[MaxPool2D(2)]", "MaxPool2D", "[channels, height, width]", "[4]", "[Input(channels, height, width)]")]
    [InlineData("[Input(2, 3, 8)]", "[AvgPool1D(2)]", "AvgPool1D", "[channels, length]", "[2, 3, 8]", "[Input(channels, length)]")]
    public void NG0030_PoolingOfTheWrongRank(string input, string layer, string kind, string reads, string shape, string example)
    {
        Reports(Nodes(input, layer), "NG0030", layer.Trim('[', ']'),
            $"'Y' is a [{kind}], which reads {reads}, but 'X' has shape {shape}; read a node of that shape, e.g. {example}");
    }

    [Fact]
    public void NG0031_PoolingWindowLargerThanItsInput()
    {
        Reports(Nodes("[Input(3, 4, 9)]", "[MaxPool2D(5)]"), "NG0031", "5",
            "'Y' slides a window of 5 × 5 over 'X' of shape [3, 4, 9], which leaves no output; use a smaller kernel, or more Padding");
    }

    [Theory]
    [InlineData("[Input(6, 27, 27)]", "[MaxPool2D(2)]", "[6, 27, 27]", "2 × 2", 2, "the last row and the last column")]
    [InlineData("[Input(6, 28, 27)]", "[AvgPool2D(2)]", "[6, 28, 27]", "2 × 2", 2, "the last column")]
    [InlineData("[Input(2, 10)]", "[MaxPool1D(3, Stride = 2)]", "[2, 10]", "3", 2, "the last value")]
    [InlineData("[Input(2, 11)]", "[MaxPool1D(4)]", "[2, 11]", "4", 4, "the last 3 values")]
    public void NG0032_PoolingLeavesValuesOut(string input, string layer, string shape, string window, int stride, string unread)
    {
        string at = layer.Trim('[', ']');
        at = at[(at.IndexOf('(') + 1)..].Split(',', ')')[0];
        Reports(Nodes(input, layer), "NG0032", at,
            $"'Y' pools 'X' of shape {shape} with windows of {window} every {stride}, which never read {unread}; PyTorch drops them too, but the values before them are then trained on nothing there: choose a size and Stride that tile the input, or change the layer before");
    }

    [Theory]
    [InlineData("[MaxPool2D(0)]", "0", "The window size of 'Y' is 0; it must be a positive size (e.g. 2)")]
    [InlineData("[AvgPool2D(2, Stride = 0)]", "Stride = 0", "The Stride of 'Y' is 0; it must be a positive step (by default the window's size)")]
    public void NG0016_InvalidPoolingArgument(string layer, string at, string message)
    {
        Reports(Nodes("[Input(1, 8, 8)]", layer), "NG0016", at, message);
    }

    [Fact]
    public void LeNet_AsTheIssueDeclaresIt_CompilesWithoutADiagnostic()
    {
        GeneratorRun run = GeneratorHarness.Run(Network("""
                [Input(1, 28, 28)]                            public partial Node Image { get; }
                [Conv2D(6, 5, Activation.ReLU, Padding = 2)]  public partial Node C1 { get; }
                [MaxPool2D(2)]                                public partial Node S2 { get; }
                [Conv2D(16, 5, Activation.ReLU)]              public partial Node C3 { get; }
                [MaxPool2D(2)]                                public partial Node S4 { get; }
                [Dense(120, Activation.ReLU)]                 public partial Node F5 { get; }
                [Dense(84, Activation.ReLU)]                  public partial Node F6 { get; }
                [Dense(10, Activation.Softmax)]               public partial Node Output { get; }
            """, "Loss = Loss.SoftmaxCrossEntropy"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
