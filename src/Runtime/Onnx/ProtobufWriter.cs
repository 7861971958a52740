using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace NetGen;

/// <summary>
/// The Protocol Buffers wire format, as much of it as an ONNX model needs: varint fields (wire type 0) for integers
/// and enums, length-delimited fields (wire type 2) for strings, bytes, packed repeated integers and nested messages,
/// and 32-bit fields (wire type 5) for floats. Each field is written as its key, (field number « 3) | wire type, as a
/// varint, then its value. A nested message is written into a writer of its own first, because its length precedes it.
/// The one writer of the ONNX files NetGen makes: <see cref="Onnx"/>'s export and the benchmark's models.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;

    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>An int64/int32/enum field. Negative values take ten bytes (two's complement as a uint64), as protobuf specifies for int32 too.</summary>
    public ProtobufWriter Int64(int field, long value)
    {
        Key(field, Varint);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>A float field (little-endian IEEE 754 single).</summary>
    public ProtobufWriter Float(int field, float value)
    {
        Key(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A string field, UTF-8.</summary>
    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    /// <summary>A repeated int64 field in packed form: one length-delimited field holding the varints back to back.</summary>
    public ProtobufWriter PackedInt64(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtobufWriter();
        foreach (long value in values)
            packed.WriteVarint(unchecked((ulong)value));
        return Bytes(field, packed._bytes.ToArray());
    }

    /// <summary>A nested message field: <paramref name="body"/> writes the message's own fields.</summary>
    public ProtobufWriter Message(int field, Action<ProtobufWriter> body)
    {
        var nested = new ProtobufWriter();
        body(nested);
        return Bytes(field, nested._bytes.ToArray());
    }

    private void Key(int field, int wireType)
    {
        if (field < 1 || field > (1 << 29) - 1)
            throw new ArgumentOutOfRangeException(nameof(field), field, "protobuf field numbers run from 1 to 2²⁹ − 1");
        WriteVarint(((ulong)field << 3) | (uint)wireType);
    }

    /// <summary>Seven bits a byte, least significant group first, the high bit set on every byte but the last.</summary>
    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.Add((byte)value);
    }
}
