namespace NetGen.Benchmarks;

// The vocabulary every engine builds its copy of a workload's network from. Plain types with no dependency on NetGen,
// libtorch or ONNX Runtime, so that the ONNX writer and its tests can use them alone.

/// <summary>The activations the benchmark networks use (the scalar reference, libtorch and ONNX build theirs from these).</summary>
public enum LayerActivation { Identity, Sigmoid, Tanh, ReLU, Softmax }

/// <summary>The losses the benchmark networks use.</summary>
public enum LossFunction { MeanSquaredError, SoftmaxCrossEntropy }

/// <summary>The optimisers the training workloads use (PyTorch's update rules and defaults in every engine).</summary>
public enum OptimizerKind { Sgd, Adam }

/// <summary>One dense layer: z = W·x + b with W row-major [Units, Inputs] (PyTorch's layout), then the activation.</summary>
public sealed record Layer(int Inputs, int Units, LayerActivation Activation);
