using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static NetGen.Generator.NetworkGenerator;
using static NetGen.Generator.Tests.OnnxHarness;

namespace NetGen.Generator.Tests;

/// <summary>What the import re-uses after an edit, read from the driver's tracked steps: an unchanged model file is not read, planned or emitted again.</summary>
public class OnnxIncrementalityTests
{
    private const string Unrelated = "namespace Samples; public static class Helpers { public static int Answer() => 42; }";

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray()
            : [];

    [Fact]
    public void UnrelatedEdit_DoesNotReadThePlanOrEmitTheModelAgain()
    {
        string file = Fixture("lenet.onnx");
        CSharpCompilation compilation = GeneratorHarness.Compile([Network("lenet.onnx"), Unrelated]);
        GeneratorDriver driver = CreateDriver(file).RunGenerators(compilation);
        Assert.Equal([IncrementalStepRunReason.New], Reasons(driver, TrackingNames.OnnxFile));

        SyntaxTree old = compilation.SyntaxTrees.ElementAt(1);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Unrelated.Replace("42", "43"), GeneratorHarness.ParseOptions(), old.FilePath)));

        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.OnnxFile));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Import));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Plan));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Emit));
    }

    [Fact]
    public void TheSameFileGivenAgain_IsReadButNotImportedOrEmittedAgain()
    {
        // An IDE hands a new AdditionalText when a file is saved: the bytes are read and decoded again, and a graph equal
        // to the last one stops the pipeline there.
        string file = Fixture("dense-classifier.onnx");
        CSharpCompilation compilation = GeneratorHarness.Compile([Network("dense-classifier.onnx")]);
        var first = new FileText(file);
        GeneratorDriver driver = CreateDriver().AddAdditionalTexts([first]).RunGenerators(compilation);
        driver = driver.ReplaceAdditionalText(first, new FileText(file)).RunGenerators(compilation);

        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(driver, TrackingNames.OnnxFile));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Import));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(driver, TrackingNames.Emit));
    }

    [Fact]
    public void ADifferentModel_IsImportedAndEmittedAgain()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile([Network("model.onnx")]);
        string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netgen-model-" + System.Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            string path = System.IO.Path.Combine(folder, "model.onnx");
            System.IO.File.Copy(Fixture("dense-classifier.onnx"), path);
            var first = new FileText(path);
            GeneratorDriver driver = CreateDriver().AddAdditionalTexts([first]).RunGenerators(compilation);
            string before = driver.GetRunResult().GeneratedTrees.Single().ToString();
            System.IO.File.Copy(Fixture("residual.onnx"), path, overwrite: true);
            driver = driver.ReplaceAdditionalText(first, new FileText(path)).RunGenerators(compilation);

            Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.OnnxFile));
            Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.Emit));
            Assert.NotEqual(before, driver.GetRunResult().GeneratedTrees.Single().ToString());
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
