using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Benchmarks;

// The vocabulary every engine builds its copy of a workload's network from. Plain types with no dependency on NetGen,
// libtorch or ONNX Runtime, so that the ONNX writer, the FLOP counts and their tests can use them alone.

/// <summary>The activations the benchmark networks use (the scalar reference, libtorch and ONNX build theirs from these).</summary>
public enum LayerActivation { Identity, Sigmoid, Tanh, ReLU, Softmax }

/// <summary>The losses the benchmark networks use.</summary>
public enum LossFunction { MeanSquaredError, SoftmaxCrossEntropy }

/// <summary>The optimisers the training workloads use (PyTorch's update rules and defaults in every engine).</summary>
public enum OptimizerKind { Sgd, Adam }

/// <summary>
/// One sample's shape, the batch axis left out: [features] for a vector, [C, L] for a signal, [C, H, W] for an image —
/// PyTorch's order, and NetGen's row-major layout of a sample.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        if (dims.Length is < 1 or > 3)
            throw new ArgumentException($"a sample is a vector, [C, L] or [C, H, W]; got {dims.Length} dimensions", nameof(dims));
        if (dims.Any(d => d < 1))
            throw new ArgumentException($"every dimension must be at least 1; got [{string.Join(", ", dims)}]", nameof(dims));
        _dims = (int[])dims.Clone();
    }

    public IReadOnlyList<int> Dims => _dims;

    public int Rank => _dims.Length;

    /// <summary>Values per sample (the flattened length).</summary>
    public int Size => _dims.Aggregate(1, (a, b) => a * b);

    /// <summary>The channel count of a shaped node: the first dimension.</summary>
    public int Channels => _dims[0];

    /// <summary>The dimensions after the channels: [L] or [H, W] (empty for a vector).</summary>
    public int[] Spatial => _dims[1..];

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode() => _dims.Aggregate(17, HashCode.Combine);

    public override string ToString() => string.Join("×", _dims);
}

/// <summary>
/// One layer of a workload's network, with the shape it reads and the shape it writes. Its parameter tensors are listed
/// in NetGen's flat layout, which is PyTorch's state-dict order: per layer the weight, then the bias.
/// </summary>
public abstract record Layer
{
    public abstract Shape Input { get; }

    public abstract Shape Output { get; }

    /// <summary>Values per sample read (the input flattened).</summary>
    public int Inputs => Input.Size;

    /// <summary>Values per sample written (the output flattened).</summary>
    public int Outputs => Output.Size;

    public virtual LayerActivation Activation => LayerActivation.Identity;

    /// <summary>The shapes of the weight and bias, in that order; none for pooling and flattening.</summary>
    public virtual IReadOnlyList<int[]> ParameterShapes => [];

    public int ParameterCount => ParameterShapes.Sum(s => s.Aggregate(1, (a, b) => a * b));

    /// <summary>Multiply-adds of the layer's forward product for one sample (0 for layers without weights).</summary>
    public virtual long MultiplyAdds => 0;
}

/// <summary>One dense layer: z = W·x + b with W row-major [Units, Inputs] (PyTorch's layout), then the activation.</summary>
public sealed record DenseLayer : Layer
{
    public DenseLayer(int inputs, int units, LayerActivation activation)
    {
        if (inputs < 1 || units < 1)
            throw new ArgumentException($"a dense layer needs at least one input and one unit; got {inputs} → {units}");
        Input = new Shape(inputs);
        Output = new Shape(units);
        Activation = activation;
    }

    public override Shape Input { get; }

    public override Shape Output { get; }

    public int Units => Outputs;

    public override LayerActivation Activation { get; }

    public override IReadOnlyList<int[]> ParameterShapes => [[Units, Inputs], [Units]];

    public override long MultiplyAdds => (long)Inputs * Units;
}

/// <summary>
/// nn.Conv1d on [C, L] or nn.Conv2d on [C, H, W] (square kernel, equal stride and zero padding on every side), then
/// the activation. Weight [out, in, k] or [out, in, k, k], bias [out]. Each output size is ⌊(n + 2p − k)/s⌋ + 1.
/// </summary>
public sealed record ConvLayer : Layer
{
    public ConvLayer(Shape input, int channels, int kernel, LayerActivation activation, int padding = 0, int stride = 1)
    {
        if (input.Rank < 2)
            throw new ArgumentException($"a convolution reads [C, L] or [C, H, W]; got [{input}]", nameof(input));
        if (channels < 1 || kernel < 1 || stride < 1 || padding < 0)
            throw new ArgumentException($"channels {channels}, kernel {kernel} and stride {stride} must be at least 1 and padding {padding} at least 0");
        int[] spatial = input.Spatial.Select(n => (n + 2 * padding - kernel) / stride + 1).ToArray();
        if (input.Spatial.Any(n => n + 2 * padding < kernel))
            throw new ArgumentException($"a kernel of {kernel} does not fit the input [{input}] padded by {padding}", nameof(kernel));
        Input = input;
        Channels = channels;
        Kernel = kernel;
        Padding = padding;
        Stride = stride;
        Activation = activation;
        Output = new Shape([channels, .. spatial]);
    }

    public override Shape Input { get; }

    public override Shape Output { get; }

    public int Channels { get; }

    public int Kernel { get; }

    public int Padding { get; }

    public int Stride { get; }

    /// <summary>1 for Conv1D, 2 for Conv2D.</summary>
    public int SpatialRank => Input.Rank - 1;

    public override LayerActivation Activation { get; }

    public override IReadOnlyList<int[]> ParameterShapes =>
        [[Channels, Input.Channels, .. Enumerable.Repeat(Kernel, SpatialRank)], [Channels]];

    /// <summary>Every output value takes in × k (× k) products.</summary>
    public override long MultiplyAdds => (long)Output.Size * Input.Channels * (long)Math.Pow(Kernel, SpatialRank);
}

/// <summary>nn.MaxPool1d or nn.MaxPool2d: windows of <see cref="Size"/> (square), side by side; output sizes floored.</summary>
public sealed record MaxPoolLayer : Layer
{
    public MaxPoolLayer(Shape input, int size)
    {
        if (input.Rank < 2)
            throw new ArgumentException($"pooling reads [C, L] or [C, H, W]; got [{input}]", nameof(input));
        if (size < 1 || input.Spatial.Any(n => n < size))
            throw new ArgumentException($"a pooling window of {size} does not fit the input [{input}]", nameof(size));
        Input = input;
        Size = size;
        Output = new Shape([input.Channels, .. input.Spatial.Select(n => n / size)]);
    }

    public override Shape Input { get; }

    public override Shape Output { get; }

    public int Size { get; }
}

/// <summary>torch.flatten(x, 1): a shaped node read as one vector in C, H, W order (what NetGen's Dense does to a shaped input).</summary>
public sealed record FlattenLayer(Shape FlattenedShape) : Layer
{
    public override Shape Input => FlattenedShape;

    public override Shape Output => new(FlattenedShape.Size);
}

/// <summary>
/// Builds a layer list from the input shape on, each layer reading the previous one's output, as a NetGen declaration
/// reads: <c>LayerStack.From(1, 28, 28).Conv(6, 5, ReLU, padding: 2).MaxPool(2).Dense(10, Softmax).Layers</c>. A dense
/// layer after a shaped node gets a <see cref="FlattenLayer"/> in front of it, as NetGen's Dense flattens its input.
/// </summary>
public sealed class LayerStack
{
    private readonly List<Layer> _layers = [];
    private Shape _current;

    private LayerStack(Shape input) => _current = input;

    public static LayerStack From(params int[] input) => new(new Shape(input));

    public Layer[] Layers => _layers.ToArray();

    public LayerStack Conv(int channels, int kernel, LayerActivation activation, int padding = 0, int stride = 1) =>
        Add(new ConvLayer(_current, channels, kernel, activation, padding, stride));

    public LayerStack MaxPool(int size) => Add(new MaxPoolLayer(_current, size));

    public LayerStack Dense(int units, LayerActivation activation)
    {
        if (_current.Rank > 1)
            Add(new FlattenLayer(_current));
        return Add(new DenseLayer(_current.Size, units, activation));
    }

    private LayerStack Add(Layer layer)
    {
        _layers.Add(layer);
        _current = layer.Output;
        return this;
    }

    /// <summary>Throws when a layer does not read what the layer before it writes; returns the parameter count.</summary>
    public static int Validate(IReadOnlyList<Layer> layers)
    {
        if (layers.Count == 0)
            throw new ArgumentException("a network needs at least one layer", nameof(layers));
        for (int l = 1; l < layers.Count; l++)
        {
            if (!layers[l].Input.Equals(layers[l - 1].Output))
                throw new ArgumentException($"layer {l} ({layers[l].GetType().Name}) reads [{layers[l].Input}] but layer {l - 1} writes [{layers[l - 1].Output}]", nameof(layers));
        }
        return layers.Sum(l => l.ParameterCount);
    }
}

/// <summary>
/// Floating-point operations of the convolutions and matrix products, 2 per multiply-add (activations, pooling, losses
/// and optimisers are not counted, so "% of peak" is a lower bound on how busy the vector units were). A forward pass
/// is every layer's product; a training step is the forward products, the weight gradient of every layer with weights
/// (as many multiply-adds as its forward product), and the input gradient of every such layer but the first (nothing
/// needs ∂L/∂x of the network's input).
/// </summary>
public static class Flops
{
    public static double Forward(IReadOnlyList<Layer> layers, int batch) => 2.0 * batch * layers.Sum(l => l.MultiplyAdds);

    public static double TrainingStep(IReadOnlyList<Layer> layers, int batch)
    {
        double multiplyAdds = 0;
        bool first = true;
        foreach (Layer layer in layers.Where(l => l.MultiplyAdds > 0))
        {
            multiplyAdds += (first ? 2 : 3) * (double)layer.MultiplyAdds;
            first = false;
        }
        return 2.0 * batch * multiplyAdds;
    }
}
