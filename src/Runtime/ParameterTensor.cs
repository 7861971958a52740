namespace NetGen;

/// <summary>One weight matrix or bias vector inside a network's flat parameter buffer.</summary>
/// <param name="Name">PyTorch <c>state_dict</c> style name: <c>Hidden1.weight</c>, <c>Hidden1.bias</c>.</param>
/// <param name="Node">The layer the tensor belongs to.</param>
/// <param name="Kind">Weight matrix or bias vector.</param>
/// <param name="Offset">First index in the parameter buffer.</param>
/// <param name="FanOut">Rows of a weight matrix (the layer's units); the length of a bias.</param>
/// <param name="FanIn">Columns of a weight matrix (the layer's inputs); 1 for a bias.</param>
public readonly record struct ParameterTensor(string Name, string Node, ParameterKind Kind, int Offset, int FanOut, int FanIn)
{
    /// <summary>Number of values.</summary>
    public int Length => FanOut * FanIn;
}
