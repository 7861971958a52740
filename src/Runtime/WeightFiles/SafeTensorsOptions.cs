using System.Collections.Generic;

namespace NetGen;

/// <summary>How <see cref="SafeTensors"/> names tensors in a file and how strictly it matches them.</summary>
public sealed record SafeTensorsOptions
{
    /// <summary>
    /// The name in the file of each parameter and state tensor, keyed by the network's own name (<see cref="ParameterTensor.Name"/>,
    /// <see cref="StateTensor.Name"/>, e.g. <c>Hidden1.weight</c>, <c>Norm.running_mean</c>). Tensors not listed keep their own name. Example: a PyTorch
    /// <c>nn.Sequential(Linear, Sigmoid, Linear)</c> saves <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, <c>2.bias</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? TensorNames { get; init; }

    /// <summary>
    /// When loading, skip tensors of the file that no parameter maps to (PyTorch's <c>strict=False</c> for unexpected
    /// keys). Off by default: an unused tensor usually means a naming mistake. A parameter missing from the file is
    /// always an error.
    /// </summary>
    public bool IgnoreUnusedTensors { get; init; }

    /// <summary>
    /// When loading, keep the network's own state (<see cref="INetwork.StateTensors"/>: a batch normalisation's running
    /// statistics and batch count) for each state tensor the file lacks, instead of failing. Off by default, as PyTorch's
    /// strict <c>load_state_dict</c>: a file of parameters alone would leave a trained network's normalisation evaluating
    /// with a fresh network's statistics (mean 0, variance 1). A state tensor the file has is always checked and loaded.
    /// </summary>
    public bool AllowMissingState { get; init; }

    /// <summary>
    /// Save and load parameters that are NaN or infinite. Off by default: such weights make every output NaN, so
    /// <see cref="SafeTensors.Save(INetwork, string, SafeTensorsOptions?)"/> refuses to write them (an
    /// <see cref="System.InvalidOperationException"/> naming the first one) and loading refuses a file that holds them
    /// (a <see cref="SafeTensorsException"/> naming the tensor and element), leaving the parameters unchanged.
    /// Turn it on to inspect a broken network or file.
    /// </summary>
    public bool AllowNonFiniteValues { get; init; }

    /// <summary>String pairs written into the header's <c>__metadata__</c> when saving (besides <c>format: pt</c>).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
