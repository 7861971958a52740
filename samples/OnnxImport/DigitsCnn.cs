using NetGen;

namespace NetGen.Samples.OnnxImport;

// The CNN that train_digits_cnn.py trained in PyTorch on the 8 × 8 digits (conv 8 → pool → conv 16 → pool → 32 → 10
// logits), compiled from its ONNX file at build time. Fine-tuned with the cross-entropy, whose softmax the generator
// puts on the output layer: Forward answers the ten class probabilities.
[OnnxNetwork("models/digits-cnn.onnx", Loss = Loss.SoftmaxCrossEntropy)]
public partial class DigitsCnn;
