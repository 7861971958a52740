using System.Collections.Generic;

namespace NetGen;

/// <summary>One tensor listed in a safetensors header.</summary>
/// <param name="Name">Its name (the header's key).</param>
/// <param name="DType">Its element type as the format spells it: <c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>I64</c>, ….</param>
/// <param name="Shape">Its dimensions, row-major; empty for a scalar.</param>
/// <param name="Begin">First byte in the data buffer (after the header).</param>
/// <param name="End">One past its last byte in the data buffer.</param>
public sealed record SafeTensorsEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Bytes of data: <see cref="End"/> − <see cref="Begin"/>.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as the format's JSON writes it: <c>[64, 1]</c>.</summary>
    public string ShapeText => SafeTensorsHeader.FormatShape(Shape);
}
