using System.Collections.Generic;

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

/// <summary>Names one value of a network's flat parameter buffer, for messages.</summary>
internal static class ParameterIndex
{
    /// <summary>"parameter 12 (Hidden1.weight[3, 0])": the tensor and the [row, column] (or [index]) the value sits at.</summary>
    public static string Describe(IReadOnlyList<ParameterTensor> tensors, int index)
    {
        foreach (ParameterTensor tensor in tensors)
        {
            if (index >= tensor.Offset && index < tensor.Offset + tensor.Length)
                return $"parameter {index} ({tensor.Name}{Element(tensor, index - tensor.Offset)})";
        }
        return $"parameter {index}";
    }

    /// <summary>"[3, 0]" for a weight, "[3]" for a bias.</summary>
    public static string Element(ParameterTensor tensor, int within) =>
        tensor.Kind == ParameterKind.Weight ? $"[{within / tensor.FanIn}, {within % tensor.FanIn}]" : $"[{within}]";
}
