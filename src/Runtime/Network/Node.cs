using System;

namespace NetGen;

/// <summary>
/// A read-only view of one node's activations from the latest forward pass, row-major
/// [<see cref="BatchSize"/>, <see cref="Size"/>]. It points into the network's buffers: no copy is made,
/// and the next forward pass changes what it shows.
/// </summary>
public readonly struct Node
{
    private readonly float[]? _buffer;
    private readonly int _offset;

    /// <summary>Creates a view; generated code calls this.</summary>
    public Node(float[] buffer, int offset, int size, int batchSize)
    {
        _buffer = buffer;
        _offset = offset;
        Size = size;
        BatchSize = batchSize;
    }

    /// <summary>Values per sample.</summary>
    public int Size { get; }

    /// <summary>Samples in the latest forward pass (0 before the first).</summary>
    public int BatchSize { get; }

    /// <summary>All values of the latest batch.</summary>
    public ReadOnlySpan<float> Values => _buffer is null ? default : new ReadOnlySpan<float>(_buffer, _offset, Size * BatchSize);

    /// <summary>The values of one sample.</summary>
    public ReadOnlySpan<float> this[int sample]
    {
        get
        {
            if ((uint)sample >= (uint)BatchSize)
                throw new ArgumentOutOfRangeException(nameof(sample), sample, $"The latest forward pass ran {BatchSize} sample(s).");
            return new ReadOnlySpan<float>(_buffer, _offset + sample * Size, Size);
        }
    }

    /// <summary>One value of one sample.</summary>
    public float this[int sample, int unit] =>
        (uint)unit < (uint)Size ? this[sample][unit] : throw new ArgumentOutOfRangeException(nameof(unit), unit, $"The node has {Size} unit(s).");
}
