// This file is also compiled into the generator (linked by src/Generator/NetGen.Generator.csproj), which reads attribute
// arguments as these enums' values and must not load the runtime assembly: one source, so the two cannot drift.
#if NETGEN_GENERATOR
namespace NetGen.Generator.Model;
#else
namespace NetGen;
#endif

/// <summary>Activation functions a <see cref="DenseAttribute"/> layer can apply.</summary>
public enum Activation
{
    /// <summary>f(z) = z.</summary>
    Identity,
    /// <summary>f(z) = 1/(1+e^{−z}).</summary>
    Sigmoid,
    /// <summary>f(z) = tanh(z).</summary>
    Tanh,
    /// <summary>f(z) = max(z, 0).</summary>
    ReLU,
    /// <summary>f(z) = z for z &gt; 0, αz otherwise (α = <see cref="DenseAttribute.Slope"/>).</summary>
    LeakyReLU,
    /// <summary>f(z) = log(1 + e^z), computed stably.</summary>
    Softplus,
    /// <summary>f(z) = (1−e^{−z})/(1+e^{−z}) = tanh(z/2).</summary>
    BipolarSigmoid,
    /// <summary>f(z)_i = e^{z_i}/Σ_j e^{z_j}, computed with the maximum subtracted.</summary>
    Softmax,
}

/// <summary>Training losses.</summary>
public enum Loss
{
    /// <summary>PyTorch's MSELoss: the mean of (y − t)² over batch × outputs.</summary>
    MeanSquaredError,
    /// <summary>Σ (y − t)² over batch × outputs (with LossScale = 0.5: ½Σ).</summary>
    SumSquaredError,
    /// <summary>Binary cross-entropy on a sigmoid output, fused and computed from the logit.</summary>
    BinaryCrossEntropy,
    /// <summary>Cross-entropy on a softmax output, fused and computed with log-sum-exp.</summary>
    SoftmaxCrossEntropy,
}

/// <summary>How a cross-entropy loss reduces over the batch.</summary>
public enum Reduction
{
    /// <summary>The loss's own default: mean for cross-entropies (PyTorch's default).</summary>
    Default,
    /// <summary>Mean over the batch (binary cross-entropy: over batch × outputs, as PyTorch).</summary>
    Mean,
    /// <summary>Sum over the batch.</summary>
    Sum,
}

/// <summary>Whether the loss a network reports is a mean or a sum over samples.</summary>
public enum LossReduction
{
    /// <summary>A mean over samples: losses of batches combine as a weighted mean.</summary>
    Mean,
    /// <summary>A sum over samples: losses of batches add up.</summary>
    Sum,
}

/// <summary>The role of a parameter tensor.</summary>
public enum ParameterKind
{
    /// <summary>A weight tensor, row-major in PyTorch's layout ([out, in] for a dense layer).</summary>
    Weight,
    /// <summary>A bias vector [out].</summary>
    Bias,
    /// <summary>A normalisation's scale γ (PyTorch's "weight"), 1 when initialised.</summary>
    Scale,
    /// <summary>A normalisation's shift β (PyTorch's "bias"), 0 when initialised.</summary>
    Shift,
}

/// <summary>
/// The role of a state tensor: a value a layer keeps and updates itself in training (PyTorch's buffers), which is
/// neither a parameter nor a gradient and which no optimiser touches.
/// </summary>
public enum StateKind
{
    /// <summary>A batch normalisation's running mean [C] (PyTorch's <c>running_mean</c>), 0 when fresh.</summary>
    RunningMean,
    /// <summary>A batch normalisation's running, unbiased variance [C] (PyTorch's <c>running_var</c>), 1 when fresh.</summary>
    RunningVariance,
    /// <summary>How many training batches a batch normalisation has seen (PyTorch's <c>num_batches_tracked</c>): an I64 scalar, 0 when fresh.</summary>
    BatchesTracked,
}

/// <summary>
/// What a node of a <see cref="NetworkGraph"/> computes: one member per layer attribute, so that tools reading the graph
/// (the <see cref="Onnx"/> exporter) know every kind NetGen has.
/// </summary>
public enum GraphNodeKind
{
    /// <summary>The network's input ([Input]): the values a caller passes in.</summary>
    Input,
    /// <summary>y = f(W·x + b) ([Dense]); a shaped source is read flattened, in C, H, W order.</summary>
    Dense,
    /// <summary>y = f(W ⋆ x + b) over a [C, L] source ([Conv1D]).</summary>
    Conv1D,
    /// <summary>y = f(W ⋆ x + b) over a [C, H, W] source ([Conv2D]).</summary>
    Conv2D,
    /// <summary>The maximum of each window of a [C, L] source ([MaxPool1D]).</summary>
    MaxPool1D,
    /// <summary>The maximum of each window of a [C, H, W] source ([MaxPool2D]).</summary>
    MaxPool2D,
    /// <summary>The mean of each window of a [C, L] source ([AvgPool1D]).</summary>
    AvgPool1D,
    /// <summary>The mean of each window of a [C, H, W] source ([AvgPool2D]).</summary>
    AvgPool2D,
    /// <summary>Inverted dropout in training, the identity in evaluation ([Dropout]).</summary>
    Dropout,
    /// <summary>Layer normalisation over all of a sample's values, with γ and β of the node's shape ([LayerNorm]).</summary>
    LayerNorm,
    /// <summary>Batch normalisation, one statistic per channel (per value of a vector) ([BatchNorm]).</summary>
    BatchNorm,
    /// <summary>The element-wise sum of two or more operands of one shape ([Add]).</summary>
    Add,
    /// <summary>The element-wise maximum of two or more operands of one shape ([Max]).</summary>
    Max,
    /// <summary>y = f(x), an activation on its own ([Activation]): after a node whose kind has none.</summary>
    Activation,
}
