using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static NetGen.Generator.Tests.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>Every diagnostic of the catalogue: its ID, where it points in the user's source, and its message.</summary>
public class DiagnosticTests
{
    private const string Chain = """
            [Input(2)] public partial Node X { get; }
            [Dense(1)] public partial Node Y { get; }
        """;

    [Fact]
    public void NG0001_ClassNotPartial()
    {
        string source = Network(Chain).Replace("public partial class Net", "public class Net");
        Reports(source, "NG0001", "Net",
            "The network class 'Net' must be declared 'partial' so that NetGen can add the generated members; add the 'partial' modifier");
    }

    [Theory]
    [InlineData("public partial class Outer { [Network] public partial class Net { BODY } }", "nested in 'Outer'", "move it out of 'Outer' into the namespace")]
    [InlineData("[Network] public partial class Net<T> { BODY }", "generic", "remove the type parameters")]
    [InlineData("[Network] public static partial class Net { BODY }", "static", "remove the 'static' modifier")]
    [InlineData("[Network] public abstract partial class Net { BODY }", "abstract", "remove the 'abstract' modifier")]
    [InlineData("[Network] public partial record Net { BODY }", "a record", "declare it as a 'partial class'")]
    [InlineData("[Network] public partial struct Net { BODY }", "a struct", "declare it as a 'partial class'")]
    public void NG0002_UnsupportedClassShape(string declaration, string shape, string fix)
    {
        string source = "using NetGen;\nnamespace Samples;\n" + declaration.Replace("BODY", Chain);
        Reports(source, "NG0002", "Net",
            $"The network class 'Net' is {shape}; NetGen supports only non-generic, non-static, non-abstract classes (not records or structs) declared directly in a namespace: {fix}");
    }

    [Fact]
    public void NG0003_NoInput()
    {
        GeneratorRun run = Reports(Network("[Dense(1)] public partial Node Y { get; }"), "NG0003", "Net",
            "The network 'Net' declares no [Input] node; declare one, e.g. '[Input(4)] public partial Node X { get; }', before its first layer");
        Assert.Equal(["NG0003", "NG0019"], Ids(run));
    }

    [Fact]
    public void NG0004_SizeMismatch_PointsAtTheOperandOfTheOtherSize()
    {
        Reports(Network("""
                [Input(5)]                  public partial Node X { get; }
                [Dense(7)]                  public partial Node Z { get; }
                [Add(nameof(X), nameof(Z))] public partial Node H { get; }
            """), "NG0004", "nameof(Z)",
            "'H' adds 'X' (5) and 'Z' (7); Add needs inputs of equal size: make the operands the same size or insert a Dense layer to project one of them");
    }

    [Fact]
    public void NG0004_SizeMismatch_InMax()
    {
        Reports(Network("""
                [Input(3)]                        public partial Node X { get; }
                [Dense(3)]                        public partial Node A { get; }
                [Dense(4, From = nameof(X))]      public partial Node B { get; }
                [Max(nameof(X), nameof(A), "B")]  public partial Node M { get; }
            """), "NG0004", "\"B\"",
            "'M' takes the maximum of 'X' (3) and 'A' (3) and 'B' (4); Max needs inputs of equal size: make the operands the same size or insert a Dense layer to project one of them");
    }

    [Fact]
    public void NG0005_MultipleInputs()
    {
        Reports(Network("""
                [Input(2)] public partial Node X { get; }
                [Input(3)] public partial Node W { get; }
                [Dense(1)] public partial Node Y { get; }
            """), "NG0005", "Input(3)",
            "The network 'Net' declares 2 [Input] nodes ('X', 'W'); NetGen supports one input node: concatenate the features into a single input");
    }

    [Fact]
    public void NG0006_UnknownFrom()
    {
        Reports(Network("""
                [Input(2)]                public partial Node X { get; }
                [Dense(1, From = "Nope")] public partial Node Y { get; }
            """), "NG0006", "From = \"Nope\"",
            "'Y' refers to 'Nope', which is not a node of 'Net'; use nameof(...) with one of: X");
    }

    [Fact]
    public void NG0006_UnknownOutput()
    {
        Reports(Network(Chain, "Output = \"Z\""), "NG0006", "Output = \"Z\"",
            "'Output' refers to 'Z', which is not a node of 'Net'; use nameof(...) with one of: X, Y");
    }

    [Fact]
    public void NG0006_UnknownAddOperand()
    {
        Reports(Network("""
                [Input(2)]             public partial Node X { get; }
                [Add(nameof(X), "Q")]  public partial Node Y { get; }
            """), "NG0006", "\"Q\"",
            "'Y' refers to 'Q', which is not a node of 'Net'; use nameof(...) with one of: X");
    }

    [Fact]
    public void NG0006_UnknownNameof_AddsTheNodesToChooseFrom()
    {
        // nameof(Missing) is also the compiler's CS0103, but its value still reads, so NetGen can say what the choices are.
        Reports(Network("""
                [Input(2)]                         public partial Node X { get; }
                [Dense(2)]                         public partial Node A { get; }
                [Add(nameof(X), nameof(Missing))]  public partial Node Y { get; }
            """), "NG0006", "nameof(Missing)",
            "'Y' refers to 'Missing', which is not a node of 'Net'; use nameof(...) with one of: X, A");
    }

    [Fact]
    public void NG0007_SelfReference()
    {
        Reports(Network("""
                [Input(2)]                     public partial Node X { get; }
                [Dense(1, From = nameof(Y))]   public partial Node Y { get; }
            """), "NG0007", "From = nameof(Y)",
            "'Y' depends on itself (Y → Y); a network must be acyclic: make one of these nodes read an earlier node");
    }

    [Fact]
    public void NG0007_Cycle_PointsAtTheReferenceThatClosesIt()
    {
        Reports(Network("""
                [Input(2)]                     public partial Node X { get; }
                [Dense(2, From = nameof(B))]   public partial Node A { get; }
                [Dense(2, From = nameof(A))]   public partial Node B { get; }
                [Dense(1, From = nameof(B))]   public partial Node Y { get; }
            """), "NG0007", "From = nameof(A)",
            "'B' depends on itself (A → B → A); a network must be acyclic: make one of these nodes read an earlier node");
    }

    [Theory]
    [InlineData("[Dense(0)]", "0", "0")]
    [InlineData("[Dense(-3, Activation.ReLU)]", "-3", "-3")]
    [InlineData("[Dense(units: 2000000)]", "units: 2000000", "2000000")]
    public void NG0008_InvalidSize(string attribute, string at, string size)
    {
        Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n{attribute} public partial Node Y {{ get; }}"), "NG0008", at,
            $"'Y' has size {size}; sizes must be between 1 and 1048576: give it a positive size that fits, e.g. [Dense(64)]");
    }

    [Fact]
    public void NG0009_NodeNotPartial()
    {
        Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(1)] public Node Y { get; }"), "NG0009", "Y",
            "The node property 'Y' must be declared 'partial' with only a getter and no body, e.g. 'public partial Node Y { get; }'; NetGen writes its implementation");
    }

    [Fact]
    public void NG0010_NodeWrongType()
    {
        Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(1)] public partial float[] Y { get; }"), "NG0010", "Y",
            "The node property 'Y' has type 'float[]'; node properties must have type 'NetGen.Node'");
    }

    [Theory]
    [InlineData("public static partial Node Y { get; }", "static")]
    [InlineData("public partial Node Y { get; set; }", "settable")]
    [InlineData("public Node Y;", "a field")]
    public void NG0011_NodeWrongShape(string declaration, string shape)
    {
        Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n[Dense(1)] {declaration}"), "NG0011", "Y",
            $"The node property 'Y' is {shape}; a node must be an instance property with only a getter: 'public partial Node Y {{ get; }}'");
    }

    [Fact]
    public void NG0012_TwoAttributesOnOneNode()
    {
        Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(2)][Max(nameof(X), nameof(X))] public partial Node Y { get; }"), "NG0012", "Max(nameof(X), nameof(X))",
            "The node property 'Y' has [Dense] and [Max]; a node is exactly one of [Input], [Dense], [Add] or [Max]: declare a separate node for each");
    }

    [Fact]
    public void NG0013_OutputIsTheInput()
    {
        Reports(Network(Chain, "Output = nameof(X)"), "NG0013", "Output = nameof(X)",
            "The output of 'Net' is 'X', the input node; the output must be a layer: declare a [Dense] node after the input or name one in [Network(Output = ...)]");
    }

    [Fact]
    public void NG0013_OnlyAnInput()
    {
        Reports(Network("[Input(2)] public partial Node X { get; }"), "NG0013", "Input(2)",
            "The output of 'Net' is 'X', the input node; the output must be a layer: declare a [Dense] node after the input or name one in [Network(Output = ...)]");
    }

    [Theory]
    [InlineData("BinaryCrossEntropy", "Sigmoid", "[Dense(1, Activation.Tanh)]", "Activation.Tanh", "Tanh")]
    [InlineData("SoftmaxCrossEntropy", "Softmax", "[Dense(3, Activation.Sigmoid)]", "Activation.Sigmoid", "Sigmoid")]
    [InlineData("SoftmaxCrossEntropy", "Softmax", "[Dense(3)]", "Dense(3)", "Identity")]
    public void NG0014_CrossEntropyOnANonProbabilityOutput(string loss, string needed, string attribute, string at, string actual)
    {
        Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n{attribute} public partial Node Y {{ get; }}", "Loss = Loss." + loss), "NG0014", at,
            $"Loss.{loss} needs an output layer with Activation.{needed}, but the output 'Y' has Activation.{actual}; declare the output as [Dense(n, Activation.{needed})]: NetGen fuses the two into one stable computation");
    }

    [Fact]
    public void NG0014_CrossEntropyOnAnAdd()
    {
        Reports(Network("""
                [Input(2)]                  public partial Node X { get; }
                [Dense(2)]                  public partial Node A { get; }
                [Add(nameof(X), nameof(A))] public partial Node Y { get; }
            """, "Loss = Loss.BinaryCrossEntropy"), "NG0014", "Add(nameof(X), nameof(A))",
            "Loss.BinaryCrossEntropy needs an output layer with Activation.Sigmoid, but the output 'Y' is an [Add] node, which has no activation; declare the output as [Dense(n, Activation.Sigmoid)]: NetGen fuses the two into one stable computation");
    }

    [Fact]
    public void NG0015_NodeDoesNotReachTheOutput_IsAWarningAndStillGenerates()
    {
        GeneratorRun run = Reports(Network("""
                [Input(2)]                     public partial Node X { get; }
                [Dense(4)]                     public partial Node Unused { get; }
                [Dense(1, From = nameof(X))]   public partial Node Y { get; }
            """), "NG0015", "Unused",
            "'Unused' does not reach the output 'Y': it is computed but never trained; remove it, or read it from a node that leads to the output");
        Assert.Equal(DiagnosticSeverity.Warning, run.GeneratorDiagnostics.Single().Severity);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Theory]
    [InlineData("LossScale = 0f", "LossScale = 0f", "LossScale is 0; it must be a finite number greater than 0 (e.g. 0.5f for ½Σ)")]
    [InlineData("LossScale = -1f", "LossScale = -1f", "LossScale is -1; it must be a finite number greater than 0 (e.g. 0.5f for ½Σ)")]
    [InlineData("LossScale = float.NaN", "LossScale = float.NaN", "LossScale is NaN; it must be a finite number greater than 0 (e.g. 0.5f for ½Σ)")]
    [InlineData("L2 = -0.5f", "L2 = -0.5f", "L2 is -0.5; it must be a finite number ≥ 0 (0 means no L2 term)")]
    [InlineData("L2 = float.PositiveInfinity", "L2 = float.PositiveInfinity", "L2 is ∞; it must be a finite number ≥ 0 (0 means no L2 term)")]
    [InlineData("Loss = (Loss)9", "Loss = (Loss)9", "Loss is 9; it must be one of the Loss enum's members")]
    public void NG0016_InvalidNetworkArgument(string argument, string at, string message)
    {
        Reports(Network(Chain, argument), "NG0016", at, message);
    }

    [Theory]
    [InlineData("[Dense(1, Activation.LeakyReLU, Slope = -0.1f)]", "Slope = -0.1f", "The Slope of 'Y' is -0.1; it must be a number between 0 and 1, exclusive (e.g. 0.01f)")]
    [InlineData("[Dense(1, Activation.LeakyReLU, Slope = float.NaN)]", "Slope = float.NaN", "The Slope of 'Y' is NaN; it must be a number between 0 and 1, exclusive (e.g. 0.01f)")]
    [InlineData("[Dense(1, (Activation)42)]", "(Activation)42", "The activation of 'Y' is 42; it must be one of the Activation enum's members")]
    public void NG0016_InvalidNodeArgument(string attribute, string at, string message)
    {
        Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n{attribute} public partial Node Y {{ get; }}"), "NG0016", at, message);
    }

    [Fact]
    public void NG0017_LanguageVersionTooOld()
    {
        GeneratorRun run = Reports(Network(Chain), "NG0017", "Net",
            "NetGen nodes are partial properties, which need C# 13 or later, but 'Net' is compiled as C# 12.0; set <LangVersion>13</LangVersion> (or later) in the project file",
            LanguageVersion.CSharp12);
        // The placeholders keep CS9248 ("must have an implementation part") away: what the compiler says besides NG0017 is
        // only CS8703 ("use language version 13"), at each node and its placeholder, which NG0017's fix also removes.
        Assert.Equal(["NG0017"], Ids(run));
        Diagnostic[] errors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, d => Assert.Equal("CS8703", d.Id));
    }

    [Fact]
    public void NG0002_ClassNestedInAGenericClass_IsReportedOnce_AsNested()
    {
        // Before: a second NG0002 at the same place said 'Net' is generic, although only 'Outer<T>' is.
        GeneratorRun run = Reports("using NetGen;\nnamespace Samples;\npublic partial class Outer<T> { [Network] public partial class Net { " + Chain + " } }",
            "NG0002", "Net",
            "The network class 'Net' is nested in 'Outer'; NetGen supports only non-generic, non-static, non-abstract classes (not records or structs) declared directly in a namespace: move it out of 'Outer' into the namespace");
        Assert.Equal(["NG0002"], Ids(run));
    }

    [Theory]
    [InlineData("Forward", "a public method")]
    [InlineData("YWeights", "the weight view of 'Y'")]
    [InlineData("ForwardY", "the forward step of 'Y'")]
    [InlineData("BackwardY", "the backward step of 'Y'")]
    [InlineData("RunForward", "a private method")]
    [InlineData("_parameters", "a private field")]
    [InlineData("ArenaFloatsPerSample", "a private constant")]
    [InlineData("Net", "the constructor")]
    public void NG0018_NameCollision(string name, string role)
    {
        Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n[Dense(2, From = nameof(X))] public partial Node {name} {{ get; }}\n[Dense(1, From = nameof(X))] public partial Node Y {{ get; }}", $"Output = nameof(Y)"),
            "NG0018", name,
            $"The node name '{name}' collides with the generated member '{name}' of 'Net' ({role}); rename the node");
    }

    [Fact]
    public void NG0019_FirstNodeIsALayerWithoutFrom()
    {
        Reports(Network("[Dense(2)] public partial Node A { get; }\n[Input(2)] public partial Node X { get; }\n[Dense(1)] public partial Node Y { get; }"), "NG0019", "Dense(2)",
            "'A' is the first node declared, so it has no previous node to read; declare the [Input] first or set From = nameof(...)");
    }

    [Theory]
    [InlineData("[Add(nameof(X))]", "Add(nameof(X))", "Add", "has 1 operand")]
    [InlineData("[Max(nameof(X), nameof(X))]", "Max(nameof(X), nameof(X))", "Max", "names the same node more than once")]
    public void NG0020_TooFewOperands(string attribute, string at, string kind, string what)
    {
        Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n{attribute} public partial Node Y {{ get; }}"), "NG0020", at,
            $"'Y' {what}; [{kind}] needs at least two distinct nodes, e.g. [{kind}(nameof(A), nameof(B))]");
    }

    [Fact]
    public void NG0021_ReductionOnSquaredError()
    {
        Reports(Network(Chain, "Loss = Loss.MeanSquaredError, Reduction = Reduction.Sum"), "NG0021", "Reduction = Reduction.Sum",
            "Loss.MeanSquaredError already names its reduction; remove 'Reduction = ...' or use Loss.SumSquaredError");
    }

    [Fact]
    public void NG0022_SlopeWithoutLeakyReLU_IsAWarning()
    {
        GeneratorRun run = Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(1, Activation.Tanh, Slope = 0.2f)] public partial Node Y { get; }"), "NG0022", "Slope = 0.2f",
            "'Y' sets Slope but its activation is Tanh; Slope only applies to Activation.LeakyReLU: remove it or change the activation");
        Assert.Equal(DiagnosticSeverity.Warning, run.GeneratorDiagnostics.Single().Severity);
        Assert.Single(run.Sources);
    }

    [Theory]
    [InlineData("[Dense(Units)]", "Dense(Units)", "[Dense] on 'Y'")]
    [InlineData("[Dense(2 3)]", "Dense(2 3)", "[Dense] on 'Y'")]
    public void NG0023_UnreadableAttribute(string attribute, string at, string what)
    {
        GeneratorRun run = Reports(Network($"[Input(2)] public partial Node X {{ get; }}\n{attribute} public partial Node Y {{ get; }}"), "NG0023", at,
            $"NetGen cannot read {what} because its arguments have C# errors, so 'Net' is not generated; fix the compiler errors reported there first");
        // The compiler's own error explains the argument; NetGen adds no guess (no NG0008 for a size it could not read).
        Assert.Equal(["NG0023"], Ids(run));
        Assert.Contains(run.CompilationDiagnostics, d => d.Id.StartsWith("CS", System.StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void NG0024_DuplicateNodeAcrossPartialDeclarations()
    {
        string source = Network(Chain) + "\npublic partial class Net\n{\n    [Dense(3)] public partial Node Y { get; }\n}\n";
        Reports(source, "NG0024", "Y",
            "'Y' is declared as a node more than once in 'Net'; node names must be unique: rename or remove one declaration");
    }

    [Fact]
    public void NG0025_SoftmaxOverOneUnit()
    {
        Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(1, Activation.Softmax)] public partial Node Y { get; }", "Loss = Loss.SoftmaxCrossEntropy"),
            "NG0025", "Activation.Softmax",
            "'Y' applies Softmax to 1 unit, so its output is always 1 and nothing before it can learn; give it one unit per class, or use Activation.Sigmoid (with Loss.BinaryCrossEntropy) for a yes/no output");
    }

    [Fact]
    public void NG0026_SoftmaxWithSquaredError_IsAWarningAndStillGenerates()
    {
        GeneratorRun run = Reports(Network("[Input(2)] public partial Node X { get; }\n[Dense(3, Activation.Softmax)] public partial Node Y { get; }"),
            "NG0026", "Activation.Softmax",
            "The output 'Y' applies Softmax and is trained with Loss.MeanSquaredError: squared error on probabilities has vanishing gradients once the softmax saturates; for classification use Loss.SoftmaxCrossEntropy, which NetGen fuses with the softmax into one stable log-sum-exp");
        Assert.Equal(DiagnosticSeverity.Warning, run.GeneratorDiagnostics.Single().Severity);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void NG0027_ImplicitPreviousNodeAcrossPartialDeclarations()
    {
        // Y is the first node of the second declaration: "the node before it" would be the last node of whichever
        // declaration the compiler happened to read first, which follows the file names.
        string source = Network("""
                [Input(2)] public partial Node X { get; }
                [Dense(8)] public partial Node H { get; }
            """, "Output = nameof(Y)") + "\npublic partial class Net\n{\n    [Dense(1)] public partial Node Y { get; }\n}\n";
        GeneratorRun run = Reports(source, "NG0027", "Dense(1)",
            "'Y' has no From and is the first node of its declaration, so the node before it is in another one; the nodes of 'Net' are declared in 2 partial declarations, which C# does not order (the build would follow file names): set From = nameof(...) on 'Y'");
        Assert.Equal(["NG0027"], Ids(run));
    }

    [Fact]
    public void NG0027_ImplicitOutputAcrossPartialDeclarations()
    {
        // The case: built, with OutputSize = 8 and a warning, or not, depending on the files' names.
        string source = Network("""
                [Input(2)] public partial Node X { get; }
                [Dense(8)] public partial Node H { get; }
            """) + "\npublic partial class Net\n{\n    [Dense(1, From = nameof(H))] public partial Node Y { get; }\n}\n";
        GeneratorRun run = Reports(source, "NG0027", "Net",
            "'Net' has no Output, so its output would be the last node declared; the nodes of 'Net' are declared in 2 partial declarations, which C# does not order (the build would follow file names): set [Network(Output = nameof(...))]");
        Assert.Equal(["NG0027"], Ids(run));
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Theory]
    [InlineData("public void RunForward() { }", "RunForward", "method", "RunForward", "a private method", "rename it")]
    [InlineData("private int _batchSize;", "_batchSize", "field", "_batchSize", "a private field", "rename it")]
    [InlineData("public int ForwardY => 1;", "ForwardY", "property", "ForwardY", "the forward step of 'Y'", "rename it")]
    [InlineData("public const int YBias = 1;", "YBias", "constant", "YBias", "the bias view of 'Y'", "rename it")]
    [InlineData("private class Forward { }", "Forward", "nested type", "Forward", "a public method", "rename it")]
    [InlineData("int INetwork.InputSize => 1;", "InputSize", "explicit implementation", "INetwork.InputSize", "a public constant", "remove it: NetGen implements INetwork")]
    public void NG0028_UserMemberCollidesWithAGeneratedMember(string member, string at, string kind, string shown, string role, string fix)
    {
        Reports(Network(Chain + "\n    " + member), "NG0028", at,
            $"The {kind} '{shown}' of 'Net' has the name of a member NetGen generates ({role}); {fix}");
    }

    [Fact]
    public void NG0028_NoFalseAlarm_ForTheBiasViewOfALayerWithoutBias()
    {
        // H has no bias, so there is no HBias: a node (or member) of that name is fine.
        GeneratorRun run = GeneratorHarness.Run(Network("""
                [Input(2)]                  public partial Node X { get; }
                [Dense(2, Bias = false)]    public partial Node H { get; }
                [Dense(2, From = nameof(X))] public partial Node HBias { get; }
                [Add(nameof(H), nameof(HBias))] public partial Node Y { get; }
                public int HBiasGradients => 0;
            """));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Theory]
    [InlineData("public Net(int maxBatchSize) { }", "Net", "The constructor 'Net(int)' has the signature of the generated one", "remove it, or give it other parameters and call ': this(maxBatchSize)' from it")]
    [InlineData("public Net(string name) { }", "Net", "The constructor 'Net(string)' does not call the generated one, so the network's buffers would never be allocated", "add ': this(maxBatchSize)' to it, e.g. ': this(1)'")]
    [InlineData("public Net() : base() { }", "Net", "The constructor 'Net()' does not call the generated one, so the network's buffers would never be allocated", "add ': this(maxBatchSize)' to it, e.g. ': this(1)'")]
    public void NG0029_UserConstructor(string constructor, string at, string what, string fix)
    {
        GeneratorRun run = Reports(Network(Chain + "\n    " + constructor), "NG0029", at,
            $"{what}; NetGen generates the constructor 'Net(int maxBatchSize = 1)', which allocates every buffer: {fix}");
        Assert.Equal(["NG0029"], Ids(run));
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
    }

    [Fact]
    public void NG0029_PrimaryConstructor()
    {
        string source = Network(Chain).Replace("public partial class Net", "public partial class Net(int size)");
        GeneratorRun run = Reports(source, "NG0029", "(int size)",
            "'Net' has a primary constructor; NetGen generates the constructor 'Net(int maxBatchSize = 1)', which allocates every buffer: remove its parameter list and declare an ordinary constructor that calls ': this(maxBatchSize)'");
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
    }

    [Fact]
    public void UserConstructorThatCallsTheGeneratedOne_IsFine()
    {
        GeneratorRun run = GeneratorHarness.Run(Network(Chain + "\n    public Net(string name) : this(4) => Name = name;\n    public string Name { get; } = \"\";"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void Diagnostics_AreLocatedInTheUsersSyntaxTree()
    {
        // A location in the compilation's own tree is what lets the compiler apply #pragma warning disable to it
        // (tests/NetGen.Tests/Seeds/SeedNetworks.cs relies on that under warnings-as-errors) and the IDE underline it.
        GeneratorRun run = GeneratorHarness.Run(Network("[Input(2)] public partial Node X { get; }\n[Dense(3, Activation.Softmax)] public partial Node Y { get; }"));
        Diagnostic warning = run.GeneratorDiagnostics.Single();
        Assert.Equal("NG0026", warning.Id);
        Assert.True(warning.Location.IsInSource);
        Assert.Same(run.Input.SyntaxTrees.Single(), warning.Location.SourceTree);
    }

    [Fact]
    public void SigmoidOutputWithSquaredError_IsFine()
    {
        // Seed problem K trains a sigmoid output with ½Σ squared error: a sound pairing, so no warning.
        GeneratorRun run = GeneratorHarness.Run(Network("[Input(2)] public partial Node X { get; }\n[Dense(1, Activation.Sigmoid)] public partial Node Y { get; }", "Loss = Loss.SumSquaredError"));
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void EveryRuleBrokenIsReported_NotOnlyTheFirst()
    {
        GeneratorRun run = GeneratorHarness.Run(Network("""
                [Input(0)]                                       public partial Node X { get; }
                [Dense(2, Activation.LeakyReLU, Slope = 2f)]     public partial Node A { get; }
                [Dense(1, From = "Nope")]                        public partial Node Y { get; }
            """, "LossScale = 0f"));
        Assert.Equal(["NG0006", "NG0008", "NG0016", "NG0016"], Ids(run));
    }

    [Fact]
    public void BrokenDeclaration_ShowsOnlyNetGenErrors_NotACascadeOfMissingImplementations()
    {
        // Without placeholders every partial node property would add CS9248 ("must have an implementation part").
        GeneratorRun run = GeneratorHarness.Run(Network("""
                [Input(5)]                  public partial Node X { get; }
                [Dense(7)]                  public partial Node Z { get; }
                [Add(nameof(X), nameof(Z))] public partial Node H { get; }
            """));
        Assert.Equal(["NG0004"], Ids(run));
        Assert.Empty(run.CompilationDiagnostics);
        Assert.Contains("NetGen could not generate this network", run.Sources.Single().Text);
    }

    [Fact]
    public void HelpLinks_AreAbsoluteUrlsOfTheDiagnosticsPage_FromTheOnePlaceTheyAreDefined()
    {
        string props = System.IO.File.ReadAllText(Paths.Repository("Directory.Build.props"));
        string repository = System.Text.RegularExpressions.Regex.Match(props, "<NetGenRepositoryUrl>(.*)</NetGenRepositoryUrl>").Groups[1].Value;
        Assert.StartsWith("https://", repository);
        GeneratorRun run = GeneratorHarness.Run(Network("[Input(2)] public partial Node X { get; }\n[Dense(0)] public partial Node Y { get; }"));
        Assert.Equal(repository + "/blob/main/docs/diagnostics.md#ng0008", run.GeneratorDiagnostics.Single().Descriptor.HelpLinkUri);
        Assert.True(System.Uri.IsWellFormedUriString(run.GeneratorDiagnostics.Single().Descriptor.HelpLinkUri, System.UriKind.Absolute));
    }

    [Fact]
    public void EveryDescriptor_IsTestedHere_AndTrackedInTheReleaseFile()
    {
        string[] ids = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .OrderBy(id => id, System.StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(Enumerable.Range(1, ids.Length).Select(i => $"NG{i:D4}"), ids);

        // Tested in a class of diagnostics tests: this one, or one per family of kinds (ConvolutionDiagnosticTests).
        string[] tested = typeof(DiagnosticTests).Assembly.GetTypes().Where(t => t.Name.EndsWith("DiagnosticTests", System.StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods()).Select(m => m.Name).Where(n => n.StartsWith("NG", System.StringComparison.Ordinal))
            .Select(n => n.Substring(0, 6)).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
        Assert.Equal(ids, tested);

        string releases = System.IO.File.ReadAllText(Paths.Repository("src/Generator/AnalyzerReleases.Unshipped.md"));
        string docs = System.IO.File.ReadAllText(Paths.Repository("docs/diagnostics.md"));
        foreach (string id in ids)
        {
            Assert.Contains($"\n{id} | NetGen |", releases);
            Assert.Contains($"## {id}", docs);
        }
    }
}
