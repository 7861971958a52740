using System;
using System.Collections.Generic;
using System.IO;
using NetGen;

namespace NetGen.Benchmarks.Onnx;

// The models the import comparison compiles at build time, each from the file ONNX Runtime is then given: the import
// tests' fixtures (tests/NetGen.Tests/Fixtures/Onnx, made by torch.onnx.export), the OnnxImport sample's CNN, and a
// LeNet-5 on 28 × 28 images (Models/lenet5.onnx, made by Models/make_models.py). No loss is named, so Forward answers
// what the file's graph answers: the logits, as ONNX Runtime does.

[OnnxNetwork("Fixtures/Onnx/dense-classifier.onnx")]
public partial class ImportedDenseClassifier;

[OnnxNetwork("Fixtures/Onnx/residual.onnx")]
public partial class ImportedResidual;

[OnnxNetwork("Fixtures/Onnx/lenet.onnx")]
public partial class ImportedSmallCnn;

[OnnxNetwork("models/digits-cnn.onnx")]
public partial class ImportedDigitsCnn;

[OnnxNetwork("Models/lenet5.onnx")]
public partial class ImportedLeNet5;

/// <summary>One imported model: what it is, its file (copied beside the benchmark by the project) and its class.</summary>
public sealed record ImportedModel(string Name, string Description, string FileName, Func<int, INetwork> Create)
{
    /// <summary>The file as the build copied it into the output folder (OnnxModels/…).</summary>
    public string FilePath => Path.Combine(AppContext.BaseDirectory, "OnnxModels", FileName);

    public static IReadOnlyList<ImportedModel> All { get; } =
    [
        new("dense classifier", "10 → 32 → 16 → 3 (Gemm, ReLU, Sigmoid)", "dense-classifier.onnx", b => new ImportedDenseClassifier(b)),
        new("residual graph", "8 → 16 → 16, Add, MatMul + Add → 4", "residual.onnx", b => new ImportedResidual(b)),
        new("small CNN", "1×12×12, conv + folded BatchNorm, MaxPool, Pad + AveragePool → 5", "lenet.onnx", b => new ImportedSmallCnn(b)),
        new("digits CNN (sample)", "1×8×8, conv 8, pool, conv 16, pool, 32 → 10", "digits-cnn.onnx", b => new ImportedDigitsCnn(b)),
        new("LeNet-5", "1×28×28, conv 6, pool, conv 16, pool, 120, 84 → 10", "lenet5.onnx", b => new ImportedLeNet5(b)),
    ];
}
