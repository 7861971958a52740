using System;
using System.Globalization;

namespace NetGen;

/// <summary>
/// The shape of a parameter tensor, outermost dimension first, as PyTorch writes it: [out, in] for a dense weight,
/// [out] for a bias, [out, in, k] and [out, in, k, k] for convolution weights, [] for a scalar (a batch normalisation's
/// <c>num_batches_tracked</c>). Ranks 0 to 4; a value, compared by its dimensions.
/// </summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    private readonly int _d0, _d1, _d2, _d3;

    /// <summary>A scalar: rank 0, one value, "[]" (<c>default(TensorShape)</c> is the same).</summary>
    public static TensorShape Scalar => default;

    /// <summary>A vector of <paramref name="d0"/> values.</summary>
    public TensorShape(int d0) : this(1, d0, 0, 0, 0)
    {
    }

    /// <summary>A matrix of <paramref name="d0"/> rows and <paramref name="d1"/> columns, row-major.</summary>
    public TensorShape(int d0, int d1) : this(2, d0, d1, 0, 0)
    {
    }

    /// <summary>A rank-3 tensor, row-major.</summary>
    public TensorShape(int d0, int d1, int d2) : this(3, d0, d1, d2, 0)
    {
    }

    /// <summary>A rank-4 tensor, row-major.</summary>
    public TensorShape(int d0, int d1, int d2, int d3) : this(4, d0, d1, d2, d3)
    {
    }

    private TensorShape(int rank, int d0, int d1, int d2, int d3)
    {
        Rank = rank;
        (_d0, _d1, _d2, _d3) = (d0, d1, d2, d3);
        for (int i = 0; i < rank; i++)
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this[i], $"d{i}");
    }

    /// <summary>The number of dimensions.</summary>
    public int Rank { get; }

    /// <summary>The size of dimension <paramref name="dimension"/> (0 is the outermost).</summary>
    public int this[int dimension] => (uint)dimension < (uint)Rank
        ? dimension switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 }
        : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"The shape {this} has {Rank} dimension(s).");

    /// <summary>The number of values: the product of the dimensions.</summary>
    public int Length
    {
        get
        {
            int length = 1;
            for (int i = 0; i < Rank; i++)
                length *= this[i];
            return length;
        }
    }

    /// <summary>The dimensions, outermost first (a new array).</summary>
    public int[] ToArray()
    {
        var dimensions = new int[Rank];
        for (int i = 0; i < Rank; i++)
            dimensions[i] = this[i];
        return dimensions;
    }

    /// <summary>"[6, 1, 5, 5]".</summary>
    public override string ToString() => "[" + string.Join(", ", ToArray()) + "]";

    /// <summary>"[2, 0, 4, 1]": the row-major position of the <paramref name="flat"/>-th value, as messages name an element.</summary>
    public string Element(int flat)
    {
        var index = new int[Rank];
        for (int i = Rank - 1; i >= 0; i--)
        {
            index[i] = flat % this[i];
            flat /= this[i];
        }
        return "[" + string.Join(", ", index) + "]";
    }

    /// <inheritdoc/>
    public bool Equals(TensorShape other) => Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorShape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3);

    /// <summary>Same rank and dimensions.</summary>
    public static bool operator ==(TensorShape left, TensorShape right) => left.Equals(right);

    /// <summary>Another rank or other dimensions.</summary>
    public static bool operator !=(TensorShape left, TensorShape right) => !left.Equals(right);
}
