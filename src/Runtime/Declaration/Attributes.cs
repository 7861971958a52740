using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a network: NetGen's generator writes its forward pass,
/// backward pass and training API at build time from the node properties declared on it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The training loss.</summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;

    /// <summary>A factor applied to the data term of the loss (0.5 gives ½Σ). Must be finite and non-zero.</summary>
    public float LossScale { get; set; } = 1f;

    /// <summary>How the cross-entropy losses reduce over the batch; squared-error losses name their reduction.</summary>
    public Reduction Reduction { get; set; } = Reduction.Default;

    /// <summary>λ of an L2 term λ‖w‖² over every weight matrix (biases excluded); 0 means none.</summary>
    public float L2 { get; set; }

    /// <summary>The output node's name; by default the node declared last.</summary>
    public string? Output { get; set; }
}

/// <summary>
/// Marks a <c>partial</c> class as a network compiled from an ONNX model at build time: NetGen's generator reads the
/// file (which must be listed as <c>&lt;AdditionalFiles Include="…" /&gt;</c> in the project) and writes the same class a
/// <see cref="NetworkAttribute"/> declaration would, with its node properties and with <c>Parameters</c> starting at the
/// file's weights (embedded in the assembly). The training members say how the imported model is fine-tuned.
/// </summary>
/// <param name="path">The model file, as written in the project's <c>AdditionalFiles</c> item (e.g. "models/classifier.onnx").</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class OnnxNetworkAttribute(string path) : Attribute
{
    /// <summary>The model file, as listed in the project's <c>AdditionalFiles</c>.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// The training loss. A cross-entropy on a model that ends in logits adds the loss's activation to the output
    /// (softmax for <see cref="Loss.SoftmaxCrossEntropy"/>, σ for <see cref="Loss.BinaryCrossEntropy"/>), as NetGen's
    /// cross-entropies are computed from the logits of a softmax or sigmoid output.
    /// </summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;

    /// <summary>A factor applied to the data term of the loss (0.5 gives ½Σ). Must be finite and non-zero.</summary>
    public float LossScale { get; set; } = 1f;

    /// <summary>How the cross-entropy losses reduce over the batch; squared-error losses name their reduction.</summary>
    public Reduction Reduction { get; set; } = Reduction.Default;

    /// <summary>λ of an L2 term λ‖w‖² over every weight matrix (biases excluded); 0 means none.</summary>
    public float L2 { get; set; }
}

/// <summary>
/// Declares the network's input, one sample's shape in PyTorch's order: <c>[Input(n)]</c> a vector of n values,
/// <c>[Input(channels, length)]</c> a signal, <c>[Input(channels, height, width)]</c> an image. A sample is passed
/// row-major, as a PyTorch tensor of shape [B, C, L] or [B, C, H, W] is laid out; <c>InputSize</c> is the product.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class InputAttribute(params int[] shape) : Attribute
{
    /// <summary>One sample's shape, outermost dimension first.</summary>
    public int[] Shape { get; } = shape;

    /// <summary>Values per sample: the product of the shape.</summary>
    public int Size => Shape is null ? 0 : System.Linq.Enumerable.Aggregate(Shape, 1, (product, dimension) => product * dimension);
}

/// <summary>A fully connected layer: <c>y = f(W·x + b)</c>, W stored row-major [units, inputs].</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Identity) : Attribute
{
    /// <summary>Output units.</summary>
    public int Units { get; } = units;

    /// <summary>The activation f.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>Whether the layer has a bias vector b.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>The node this layer reads; by default the node declared just before.</summary>
    public string? From { get; set; }

    /// <summary>The negative-side slope α of <see cref="Activation.LeakyReLU"/> (default 0.01).</summary>
    public float Slope { get; set; } = 0.01f;
}

/// <summary>
/// What every convolution takes, as PyTorch's nn.Conv1d and nn.Conv2d (square kernels; one stride and one padding for
/// every dimension): see <see cref="Conv1DAttribute"/> and <see cref="Conv2DAttribute"/>.
/// </summary>
public abstract class ConvolutionAttribute(int channels, int kernel, Activation activation) : Attribute
{
    /// <summary>Output channels (filters).</summary>
    public int Channels { get; } = channels;

    /// <summary>The kernel's size: its length, or its height and width.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>The activation f.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The step between windows, in every dimension.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side of the input, in every dimension.</summary>
    public int Padding { get; set; }

    /// <summary>Whether the layer has a bias per output channel.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>The node this layer reads; by default the node declared just before.</summary>
    public string? From { get; set; }

    /// <summary>The negative-side slope α of <see cref="Activation.LeakyReLU"/> (default 0.01).</summary>
    public float Slope { get; set; } = 0.01f;
}

/// <summary>
/// A 2-D convolution over a [channels, height, width] node, as PyTorch's nn.Conv2d with a square kernel:
/// <c>y = f(W ⋆ x + b)</c>, W [channels, inChannels, kernel, kernel], b [channels], output
/// [channels, (height + 2·Padding − kernel) / Stride + 1, (width + 2·Padding − kernel) / Stride + 1].
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class Conv2DAttribute(int channels, int kernel, Activation activation = Activation.Identity)
    : ConvolutionAttribute(channels, kernel, activation);

/// <summary>
/// A 1-D convolution over a [channels, length] node, as PyTorch's nn.Conv1d: <c>y = f(W ⋆ x + b)</c>,
/// W [channels, inChannels, kernel], b [channels], output [channels, (length + 2·Padding − kernel) / Stride + 1].
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class Conv1DAttribute(int channels, int kernel, Activation activation = Activation.Identity)
    : ConvolutionAttribute(channels, kernel, activation);

/// <summary>
/// What every pooling layer takes, as PyTorch's pooling layers (square windows, no padding, output sizes floored:
/// (n − size) / Stride + 1): see <see cref="MaxPool2DAttribute"/>, <see cref="AvgPool2DAttribute"/>,
/// <see cref="MaxPool1DAttribute"/> and <see cref="AvgPool1DAttribute"/>.
/// </summary>
public abstract class PoolingAttribute(int size) : Attribute
{
    /// <summary>The window's length, or its height and width.</summary>
    public int Size { get; } = size;

    /// <summary>The step between windows; by default <see cref="Size"/> (windows side by side), as PyTorch's.</summary>
    public int Stride { get; set; } = size;

    /// <summary>The node this layer reads; by default the node declared just before.</summary>
    public string? From { get; set; }
}

/// <summary>
/// Max pooling over a [channels, height, width] node, as PyTorch's nn.MaxPool2d: each channel's size × size windows,
/// <see cref="PoolingAttribute.Stride"/> apart, become their maximum; the gradient flows to each window's first maximum.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class MaxPool2DAttribute(int size) : PoolingAttribute(size);

/// <summary>
/// Max pooling over a [channels, length] node, as PyTorch's nn.MaxPool1d: each channel's windows of size,
/// <see cref="PoolingAttribute.Stride"/> apart, become their maximum; the gradient flows to each window's first maximum.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class MaxPool1DAttribute(int size) : PoolingAttribute(size);

/// <summary>
/// Average pooling over a [channels, height, width] node, as PyTorch's nn.AvgPool2d: each channel's size × size windows,
/// <see cref="PoolingAttribute.Stride"/> apart, become their mean.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class AvgPool2DAttribute(int size) : PoolingAttribute(size);

/// <summary>
/// Average pooling over a [channels, length] node, as PyTorch's nn.AvgPool1d: each channel's windows of size,
/// <see cref="PoolingAttribute.Stride"/> apart, become their mean.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class AvgPool1DAttribute(int size) : PoolingAttribute(size);

/// <summary>
/// Inverted dropout, as PyTorch's nn.Dropout: in <c>Backward</c> (training) each value is zeroed with probability
/// <see cref="Probability"/> and the others scaled by 1/(1 − p), a fresh mask per call; in <c>Forward</c> and
/// <c>ComputeLoss</c> (evaluation) the node passes its input on unchanged. The masks come from the instance's own
/// generator, seeded with <c>SeedDropout(seed)</c> (0 by default), so a seeded run is reproducible.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class DropoutAttribute(float probability) : Attribute
{
    /// <summary>The probability p of zeroing a value, in [0, 1).</summary>
    public float Probability { get; } = probability;

    /// <summary>The node this layer reads; by default the node declared just before.</summary>
    public string? From { get; set; }
}

/// <summary>
/// An activation on its own, y = f(x) element-wise, as PyTorch's nn.ReLU, nn.Sigmoid, …: for a node whose kind has no
/// activation of its own — after a [BatchNorm] (conv → batch norm → ReLU), an [Add] (a residual block's relu(x + f(x))),
/// a [LayerNorm] or a pooling. Dense and convolution layers take their activation as an argument instead, which runs
/// inside their kernels. Softmax takes a vector node (over its values); shaped nodes take element-wise activations only.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class ActivationAttribute(Activation activation) : Attribute
{
    /// <summary>The activation f.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The node this layer reads; by default the node declared just before.</summary>
    public string? From { get; set; }

    /// <summary>The slope α of <see cref="Activation.LeakyReLU"/> for negative values, in (0, 1).</summary>
    public float Slope { get; set; } = 0.01f;
}

/// <summary>
/// Layer normalisation as PyTorch's nn.LayerNorm over all of the node's values per sample (nn.LayerNorm([C, H, W]) for
/// a shaped node): y = γ ⊙ (x − μ)/√(σ² + ε) + β, μ and σ² the sample's mean and biased variance, γ (<c>{Node}.weight</c>)
/// and β (<c>{Node}.bias</c>) of the node's shape, 1 and 0 once initialised.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>ε, added to the variance (PyTorch's default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>The node this layer reads; by default the node declared just before.</summary>
    public string? From { get; set; }
}

/// <summary>
/// Batch normalisation as PyTorch's nn.BatchNorm1d (a vector node: one statistic per value; a [C, L] node: one per
/// channel over L and the batch) and nn.BatchNorm2d (a [C, H, W] node: one per channel over H, W and the batch):
/// y = γ ⊙ (x − μ)/√(σ² + ε) + β per channel. <c>Backward</c> (training) normalises with the batch's mean and biased
/// variance and updates the running statistics as PyTorch does, running = (1 − momentum)·running + momentum·batch (the
/// variance unbiased, n/(n − 1)); <c>Forward</c> and <c>ComputeLoss</c> (evaluation) use the running statistics. γ
/// (<c>{Node}.weight</c>) and β (<c>{Node}.bias</c>) are parameters of shape [C], 1 and 0 once initialised; the running
/// mean, variance and batch count (<c>{Node}.running_mean</c>, <c>.running_var</c>, <c>.num_batches_tracked</c>) are the
/// network's state (<c>StateTensors</c>), which starts at 0, 1 and 0 and which optimisers never touch.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>The weight of each batch's statistics in the running ones, in [0, 1] (PyTorch's default 0.1).</summary>
    public float Momentum { get; set; } = 0.1f;

    /// <summary>ε, added to the variance (PyTorch's default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>The node this layer reads; by default the node declared just before.</summary>
    public string? From { get; set; }
}

/// <summary>Element-wise sum of nodes of equal shape (a residual connection).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class AddAttribute(params string[] nodes) : Attribute
{
    /// <summary>The summed nodes.</summary>
    public string[] Nodes { get; } = nodes;
}

/// <summary>Element-wise maximum of nodes of equal shape; the gradient flows to the arg-max input.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class MaxAttribute(params string[] nodes) : Attribute
{
    /// <summary>The compared nodes.</summary>
    public string[] Nodes { get; } = nodes;
}
