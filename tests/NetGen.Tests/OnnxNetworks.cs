using NetGen;

namespace NetGen.Tests;

// Models PyTorch exported (Fixtures/Onnx/make_onnx_fixtures.py), compiled by NetGen at build time.

/// <summary>[10] → 32 ReLU → 16 sigmoid → 3 logits (Gemm nodes); the cross-entropy puts a softmax on the output.</summary>
[OnnxNetwork("Fixtures/Onnx/dense-classifier.onnx", Loss = Loss.SoftmaxCrossEntropy)]
public partial class OnnxDenseClassifier;

/// <summary>[8] → 16 ReLU → 16 tanh → Add of both → MatMul + Add (x @ W.T + b) → 4.</summary>
[OnnxNetwork("Fixtures/Onnx/residual.onnx")]
public partial class OnnxResidual;

/// <summary>[1, 12, 12] → Conv (BatchNorm folded in) ReLU → MaxPool → Conv leaky → Pad + AveragePool → Flatten → Gemm softplus → Gemm.</summary>
[OnnxNetwork("Fixtures/Onnx/lenet.onnx", Loss = Loss.SoftmaxCrossEntropy)]
public partial class OnnxLeNet;

/// <summary>[6] → 12 ReLU → BatchNorm1d → LayerNorm (expanded into ReduceMean, Sub, Pow, … at opset 13) → 3.</summary>
[OnnxNetwork("Fixtures/Onnx/norms-13.onnx")]
public partial class OnnxNorms13;

/// <summary>The same model at opset 17, where LayerNorm is one LayerNormalization node.</summary>
[OnnxNetwork("Fixtures/Onnx/norms-17.onnx")]
public partial class OnnxNorms17;

/// <summary>
/// [1, 8, 8] → Conv ReLU → a residual block (Conv ReLU, Conv, Add, then a ReLU of its own) → MaxPool → Gemm → BatchNorm1d
/// → a ReLU of its own → Gemm logits (the convolutions' BatchNorms folded in by the exporter); softmax on the output.
/// </summary>
[OnnxNetwork("Fixtures/Onnx/residual-cnn.onnx", Loss = Loss.SoftmaxCrossEntropy)]
public partial class OnnxResidualCnn;
