using System.Collections.Generic;

namespace NetGen;

/// <summary>One parameter tensor (a weight or a bias) inside a network's flat parameter buffer.</summary>
/// <param name="Name">PyTorch <c>state_dict</c> style name: <c>Hidden1.weight</c>, <c>Hidden1.bias</c>.</param>
/// <param name="Node">The layer the tensor belongs to.</param>
/// <param name="Kind">Weight or bias.</param>
/// <param name="Offset">First index in the parameter buffer.</param>
/// <param name="Shape">Its shape in PyTorch's layout, row-major: [out, in] for a dense weight, [out] for a bias.</param>
public readonly record struct ParameterTensor(string Name, string Node, ParameterKind Kind, int Offset, TensorShape Shape)
{
    /// <summary>Number of values.</summary>
    public int Length => Shape.Length;

    /// <summary>
    /// PyTorch's fan-out (<c>torch.nn.init._calculate_fan_in_and_fan_out</c>): the first dimension times the receptive
    /// field (the product of the dimensions after the second); for a bias, its length.
    /// </summary>
    public int FanOut => Shape.Rank == 1 ? Shape[0] : Shape[0] * ReceptiveField;

    /// <summary>PyTorch's fan-in: the second dimension times the receptive field; 1 for a bias (its layer's weight has the fan-in).</summary>
    public int FanIn => Shape.Rank == 1 ? 1 : Shape[1] * ReceptiveField;

    private int ReceptiveField
    {
        get
        {
            int product = 1;
            for (int i = 2; i < Shape.Rank; i++)
                product *= Shape[i];
            return product;
        }
    }
}

/// <summary>Names one value of a network's flat parameter buffer, for messages.</summary>
internal static class ParameterIndex
{
    /// <summary>"parameter 12 (Hidden1.weight[3, 0])": the tensor and the position the value sits at.</summary>
    public static string Describe(IReadOnlyList<ParameterTensor> tensors, int index)
    {
        foreach (ParameterTensor tensor in tensors)
        {
            if (index >= tensor.Offset && index < tensor.Offset + tensor.Length)
                return $"parameter {index} ({tensor.Name}{Element(tensor, index - tensor.Offset)})";
        }
        return $"parameter {index}";
    }

    /// <summary>"[3, 0]" for a weight, "[3]" for a bias: the row-major position of the <paramref name="within"/>-th value.</summary>
    public static string Element(ParameterTensor tensor, int within) => tensor.Shape.Element(within);
}
