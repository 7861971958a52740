namespace NetGen;

/// <summary>
/// One state tensor of a network: a value a layer keeps and updates itself in training, as PyTorch's buffers (a batch
/// normalisation's running mean and variance and its batch count). State is saved and loaded with the parameters by
/// <see cref="SafeTensors"/> but is not a parameter: it is not in <see cref="INetwork.Parameters"/>,
/// <see cref="INetwork.ParameterCount"/> or <see cref="INetwork.Gradients"/>, and no optimiser touches it.
/// </summary>
/// <param name="Name">PyTorch <c>state_dict</c> style name: <c>Norm.running_mean</c>, <c>Norm.num_batches_tracked</c>.</param>
/// <param name="Node">The layer the tensor belongs to.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Offset">
/// First index in <see cref="INetwork.State"/> for a float tensor, or in <see cref="INetwork.StateCounts"/> for a count
/// (<see cref="IsCount"/>).
/// </param>
/// <param name="Shape">Its shape, as PyTorch's: [C] for running statistics, [] (a scalar) for a count.</param>
public readonly record struct StateTensor(string Name, string Node, StateKind Kind, int Offset, TensorShape Shape)
{
    /// <summary>Number of values.</summary>
    public int Length => Shape.Length;

    /// <summary>Whether it is an integer count (in <see cref="INetwork.StateCounts"/>, I64 in a file) rather than floats (in <see cref="INetwork.State"/>, F32).</summary>
    public bool IsCount => Kind == StateKind.BatchesTracked;

    /// <summary>The value a fresh network holds: 1 for a running variance, 0 otherwise.</summary>
    public float FreshValue => Kind == StateKind.RunningVariance ? 1f : 0f;
}
