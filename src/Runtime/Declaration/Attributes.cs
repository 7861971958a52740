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

/// <summary>Declares the network's input: a vector of <paramref name="size"/> values per sample.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class InputAttribute(int size) : Attribute
{
    /// <summary>Values per sample.</summary>
    public int Size { get; } = size;
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

/// <summary>Element-wise sum of nodes of equal size (a residual connection).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class AddAttribute(params string[] nodes) : Attribute
{
    /// <summary>The summed nodes.</summary>
    public string[] Nodes { get; } = nodes;
}

/// <summary>Element-wise maximum of nodes of equal size; the gradient flows to the arg-max input.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class MaxAttribute(params string[] nodes) : Attribute
{
    /// <summary>The compared nodes.</summary>
    public string[] Nodes { get; } = nodes;
}
