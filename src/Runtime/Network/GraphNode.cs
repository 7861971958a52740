using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;

namespace NetGen;

/// <summary>
/// One node of a <see cref="NetworkGraph"/>: what it computes, the shape of one sample of its values, the nodes it
/// reads, its settings and the parameter and state tensors it owns. Immutable; a generated network builds its nodes once
/// per type. Settings a kind does not have are 0 (<see cref="Activation"/> is <see cref="Activation.Identity"/>).
/// </summary>
public sealed class GraphNode
{
    /// <summary>A node named <paramref name="name"/> of kind <paramref name="kind"/>; settings and tensors are set by initialisers.</summary>
    /// <param name="name">The node's name (its property's name in the declaration).</param>
    /// <param name="kind">What it computes.</param>
    /// <param name="shape">The shape of one sample of its values: [n], [C, L] or [C, H, W].</param>
    /// <param name="sources">The indices, in <see cref="NetworkGraph.Nodes"/>, of the nodes it reads, in operand order.</param>
    public GraphNode(string name, GraphNodeKind kind, TensorShape shape, ImmutableArray<int> sources)
    {
        Name = name;
        Kind = kind;
        Shape = shape;
        Sources = sources.IsDefault ? [] : sources;
    }

    /// <summary>The node's name (its property's name in the declaration), also the prefix of its tensors' names.</summary>
    public string Name { get; }

    /// <summary>What the node computes.</summary>
    public GraphNodeKind Kind { get; }

    /// <summary>The shape of one sample of the node's values, outermost first: [n], [C, L] or [C, H, W].</summary>
    public TensorShape Shape { get; }

    /// <summary>The indices, in <see cref="NetworkGraph.Nodes"/>, of the nodes it reads, in operand order; each is computed before it.</summary>
    public ImmutableArray<int> Sources { get; }

    /// <summary>The activation applied to the node's values (dense layers and convolutions); <see cref="Activation.Identity"/> otherwise.</summary>
    public Activation Activation { get; init; }

    /// <summary>The leaky ReLU's slope α when <see cref="Activation"/> is <see cref="Activation.LeakyReLU"/>; 0 otherwise.</summary>
    public float Slope { get; init; }

    /// <summary>The side of a convolution's kernel or of a pooling window (square in 2-D); 0 for other kinds.</summary>
    public int Kernel { get; init; }

    /// <summary>The step between windows of a convolution or a pooling, in every dimension; 0 for other kinds.</summary>
    public int Stride { get; init; }

    /// <summary>The zeros a convolution adds on every side of every spatial dimension; 0 for other kinds (pooling adds none).</summary>
    public int Padding { get; init; }

    /// <summary>The ε added to a normalisation's variance; 0 for other kinds.</summary>
    public float Epsilon { get; init; }

    /// <summary>A batch normalisation's momentum (the weight of each batch in its running statistics); 0 for other kinds.</summary>
    public float Momentum { get; init; }

    /// <summary>A dropout node's probability of dropping a value in training; 0 for other kinds.</summary>
    public float DropoutProbability { get; init; }

    /// <summary>The parameter tensors the node owns, in the order of <see cref="INetwork.ParameterTensors"/>.</summary>
    public ImmutableArray<ParameterTensor> Parameters { get => _parameters; init => _parameters = value.IsDefault ? [] : value; }

    /// <summary>The state tensors the node owns (a batch normalisation's running statistics and count), in the order of <see cref="INetwork.StateTensors"/>.</summary>
    public ImmutableArray<StateTensor> State { get => _state; init => _state = value.IsDefault ? [] : value; }

    // A default ImmutableArray (never set, or set to default) reads as empty, so that enumerating a node's tensors never throws.
    private readonly ImmutableArray<ParameterTensor> _parameters = [];
    private readonly ImmutableArray<StateTensor> _state = [];

    /// <summary>The node's parameter tensor of kind <paramref name="kind"/>, or null when it has none (a layer without bias).</summary>
    public ParameterTensor? Parameter(ParameterKind kind)
    {
        foreach (ParameterTensor tensor in Parameters)
            if (tensor.Kind == kind)
                return tensor;
        return null;
    }

    /// <summary>The node's state tensor of kind <paramref name="kind"/>, or null when it has none.</summary>
    public StateTensor? StateTensor(StateKind kind)
    {
        foreach (StateTensor tensor in State)
            if (tensor.Kind == kind)
                return tensor;
        return null;
    }

    /// <summary>"C1: Conv2D [6, 28, 28] ← [0], ReLU, kernel 5, stride 1, padding 2": the node as messages show it.</summary>
    public override string ToString()
    {
        var parts = new List<string> { $"{Name}: {Kind} {Shape}" + (Sources.Length > 0 ? $" ← [{string.Join(", ", Sources)}]" : "") };
        if (Activation != Activation.Identity)
            parts.Add(Activation == Activation.LeakyReLU ? $"LeakyReLU α = {Number(Slope)}" : Activation.ToString());
        if (Kernel != 0)
            parts.Add($"kernel {Kernel}, stride {Stride}, padding {Padding}");
        if (Epsilon != 0)
            parts.Add($"ε = {Number(Epsilon)}");
        if (Momentum != 0)
            parts.Add($"momentum {Number(Momentum)}");
        if (Kind == GraphNodeKind.Dropout)
            parts.Add($"p = {Number(DropoutProbability)}");
        return string.Join(", ", parts);
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
