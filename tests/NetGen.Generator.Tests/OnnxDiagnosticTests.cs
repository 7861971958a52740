using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.OnnxHarness;

namespace NetGen.Generator.Tests;

/// <summary>
/// The import's diagnostics, each from a file made to break one rule (make_onnx_fixtures.py): at the attribute's path,
/// naming the node, its op and what NetGen compiles. A file that is not a model is a diagnostic too, never a crash.
/// </summary>
public class OnnxDiagnosticTests
{
    private const string Supported = "Gemm, MatMul, Conv, MaxPool, AveragePool, BatchNormalization, LayerNormalization, ReduceMean, Add, Max, Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Softmax, Mul, Flatten, Dropout, Identity, Pad, Constant";

    private static Diagnostic Single(GeneratorRun run, string id)
    {
        Diagnostic[] matches = run.GeneratorDiagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matches.Length == 1, $"Expected one {id}, got: {string.Join("; ", run.GeneratorDiagnostics)}");
        Assert.Empty(run.Sources.Where(s => s.HintName.Contains("Net", StringComparison.Ordinal)));
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Id != id && d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("NG", StringComparison.Ordinal)));
        return matches[0];
    }

    private static void Reports(GeneratorRun run, string id, string at, string message)
    {
        Diagnostic diagnostic = Single(run, id);
        Assert.Equal(at, DiagnosticAssert.TextAt(run, diagnostic));
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NG0035_FileNotAmongTheAdditionalFiles()
    {
        Reports(Run(Network("models/classifier.onnx"), Fixture("residual.onnx")), "NG0035", "\"models/classifier.onnx\"",
            "The ONNX file 'models/classifier.onnx' of 'Net' is not among the project's additional files (it lists residual.onnx); list it in the project file, e.g. <AdditionalFiles Include=\"models/classifier.onnx\" />, with a name ending in .onnx");
    }

    [Fact]
    public void NG0035_NoOnnxFileAtAll()
    {
        Reports(Run(Network("classifier.onnx")), "NG0035", "\"classifier.onnx\"",
            "The ONNX file 'classifier.onnx' of 'Net' is not among the project's additional files (the project lists no .onnx file); list it in the project file, e.g. <AdditionalFiles Include=\"classifier.onnx\" />, with a name ending in .onnx");
    }

    [Fact]
    public void NG0036_ListedButNotOnDisk()
    {
        string missing = Path.Combine(Path.GetTempPath(), "netgen-missing-" + Guid.NewGuid().ToString("N"), "gone.onnx");
        Diagnostic diagnostic = Single(Run(Network("gone.onnx"), missing), "NG0036");
        Assert.StartsWith("The ONNX file 'gone.onnx' of 'Net' cannot be read: ", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("; check that the file exists and that the build may read it", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("not-onnx.onnx", "wire type 4 of field 10 at byte 0")]
    [InlineData("truncated.onnx", "a field of 4392 bytes at byte 20, with 2187 bytes left")]
    public void NG0037_NotAWellFormedModel(string file, string why)
    {
        Reports(Run(Network("Fixtures/Onnx/" + file), Fixture(file)), "NG0037", $"\"Fixtures/Onnx/{file}\"",
            $"The file 'Fixtures/Onnx/{file}' of 'Net' is not a well-formed ONNX model: {why}; export the model again, e.g. with torch.onnx.export(model, sample, path, opset_version=13)");
    }

    [Fact]
    public void NG0038_UnsupportedOperator_NamesTheNodeAndWhatIsSupported()
    {
        Reports(Run(Network("unsupported-op.onnx"), Fixture("unsupported-op.onnx")), "NG0038", "\"unsupported-op.onnx\"",
            $"The node '/Cos' of 'unsupported-op.onnx' is 'Cos', which NetGen cannot compile; NetGen compiles {Supported}");
    }

    [Fact]
    public void NG0038_AddOfAConstant_IsReportedOnce()
    {
        // The Relu and the Gemm after it are not reported as well: one problem, one diagnostic.
        Reports(Run(Network("add-of-constant.onnx"), Fixture("add-of-constant.onnx")), "NG0038", "\"add-of-constant.onnx\"",
            "The node '/Add' of 'add-of-constant.onnx' is 'Add' of a constant, which NetGen cannot compile here: a constant is added only as the bias of a MatMul it alone reads, and 'h' is not such a MatMul; "
            + $"NetGen compiles {Supported}");
    }

    [Fact]
    public void NG0038_MulThatIsNotTheBipolarSigmoid()
    {
        // NetGen's own export of the bipolar sigmoid, tanh(x/2), is a Mul by 0.5 before a Tanh; a Mul by anything else is refused.
        Reports(Run(Network("mul-not-half.onnx"), Fixture("mul-not-half.onnx")), "NG0038", "\"mul-not-half.onnx\"",
            "The node '/Mul' of 'mul-not-half.onnx' is 'Mul', which NetGen cannot compile outside LayerNorm's expansion and tanh(x/2), a bipolar sigmoid (a Mul by the constant 0.5 that only a Tanh reads); "
            + $"NetGen compiles {Supported}");
    }

    [Fact]
    public void NG0039_UnsupportedAttribute()
    {
        Reports(Run(Network("bad-attribute.onnx"), Fixture("bad-attribute.onnx")), "NG0039", "\"bad-attribute.onnx\"",
            "The node '/conv/Conv' (Conv) of 'bad-attribute.onnx' has dilations = [2, 2]; NetGen compiles it only with dilations of 1");
    }

    [Fact]
    public void NG0040_DynamicShape()
    {
        Reports(Run(Network("dynamic-shape.onnx"), Fixture("dynamic-shape.onnx")), "NG0040", "\"dynamic-shape.onnx\"",
            "The graph of 'dynamic-shape.onnx' in 'Net' has an input 'input' of shape [batch, features]; NetGen compiles an input [batch, n], [batch, channels, length] or [batch, channels, height, width] whose sizes after the batch are fixed numbers: export with a sample of the real size and dynamic_axes only on dimension 0");
    }

    [Fact]
    public void ValidModel_GeneratesWithoutDiagnostics_AndCompilesWithoutWarnings()
    {
        GeneratorRun run = Run(Network("Fixtures/Onnx/lenet.onnx", "Loss = Loss.SoftmaxCrossEntropy"), Fixture("lenet.onnx"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationDiagnostics);
        Assert.Contains("public global::NetGen.Node Conv1", run.Source("Samples.Net.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptFiles_AreDiagnostics_NeverACrash()
    {
        // Every prefix length of a real model, and single-byte changes across it: each is a model or an NG diagnostic.
        byte[] model = File.ReadAllBytes(Fixture("residual.onnx"));
        string folder = Path.Combine(Path.GetTempPath(), "netgen-corrupt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var random = new Random(18);
            for (int trial = 0; trial < 120; trial++)
            {
                byte[] bytes = trial < 60 ? model[..random.Next(model.Length)] : (byte[])model.Clone();
                if (trial >= 60)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                string path = Path.Combine(folder, "corrupt.onnx");
                File.WriteAllBytes(path, bytes);
                GeneratorRun run = Run(Network("corrupt.onnx"), path);
                Assert.DoesNotContain(run.GeneratorDiagnostics, d => !d.Id.StartsWith("NG", StringComparison.Ordinal));
                if (run.Sources.Length > 0 && !run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
                    Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
