using System.Linq;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// The shape of one sample of a node's values or of a parameter tensor, outermost dimension first (PyTorch's order:
/// [units] for a vector, [channels, length], [channels, height, width]; a weight [out, in]).
/// </summary>
internal sealed record Shape(EquatableArray<int> Dimensions)
{
    public static Shape Vector(int size) => new(new[] { size }.ToEquatableArray());

    public static Shape Of(params int[] dimensions) => new(dimensions.ToEquatableArray());

    public int Rank => Dimensions.Count;

    /// <summary>The number of values: the product of the dimensions.</summary>
    public int Size => Dimensions.Aggregate(1, (product, d) => product * d);

    public int this[int dimension] => Dimensions[dimension];

    /// <summary>"[64]", "[6, 28, 28]": as comments and messages write it.</summary>
    public override string ToString() => "[" + string.Join(", ", Dimensions) + "]";
}
