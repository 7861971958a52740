using System;
using System.Text;

namespace NetGen.Generator.Onnx;

/// <summary>
/// A bounds-checked reader of protocol buffers' wire format over a slice of a byte array: varints, fixed 32- and 64-bit
/// values and length-delimited fields (strings, bytes, nested messages, packed repeated fields). It reads what ONNX's
/// messages use and nothing else; a length or tag that runs past the end, or a wire type protobuf does not define, is an
/// <see cref="OnnxFormatException"/> with the byte offset, never an index error.
/// </summary>
internal struct ProtoReader
{
    private readonly byte[] _bytes;
    private readonly int _end;
    private int _position;

    public ProtoReader(byte[] bytes) : this(bytes, 0, bytes.Length)
    {
    }

    private ProtoReader(byte[] bytes, int start, int end)
    {
        _bytes = bytes;
        _position = start;
        _end = end;
    }

    public readonly bool AtEnd => _position >= _end;

    public readonly int Position => _position;

    /// <summary>The next field's number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int WireType) ReadTag()
    {
        int start = _position;
        ulong tag = ReadVarint();
        int field = (int)(tag >> 3), wireType = (int)(tag & 7);
        if (field <= 0 || tag >> 3 > int.MaxValue)
            throw new OnnxFormatException($"field number {tag >> 3} at byte {start}");
        if (wireType is 3 or 4 or 6 or 7)
            throw new OnnxFormatException($"wire type {wireType} of field {field} at byte {start}");
        return (field, wireType);
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _end)
                throw new OnnxFormatException($"a number cut off at byte {_position}");
            byte b = _bytes[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new OnnxFormatException($"a number longer than ten bytes at byte {_position}");
    }

    public long ReadInt64() => (long)ReadVarint();

    /// <summary>A varint that must fit an int (a count or an enum): anything else is corruption.</summary>
    public int ReadInt32()
    {
        long value = ReadInt64();
        if (value < int.MinValue || value > int.MaxValue)
            throw new OnnxFormatException($"the value {value} at byte {_position} does not fit a 32-bit field");
        return (int)value;
    }

    public uint ReadFixed32()
    {
        Need(4);
        uint value = (uint)(_bytes[_position] | _bytes[_position + 1] << 8 | _bytes[_position + 2] << 16 | _bytes[_position + 3] << 24);
        _position += 4;
        return value;
    }

    public float ReadFloat() => BitConverter.ToSingle(BitConverter.GetBytes(ReadFixed32()), 0);

    /// <summary>A length-delimited field's contents as a reader of their own (a nested message or a packed field).</summary>
    public ProtoReader ReadMessage()
    {
        int length = ReadLength();
        var inner = new ProtoReader(_bytes, _position, _position + length);
        _position += length;
        return inner;
    }

    public string ReadString()
    {
        int length = ReadLength();
        string text = Encoding.UTF8.GetString(_bytes, _position, length);
        _position += length;
        return text;
    }

    /// <summary>A bytes field as (offset, length) into the file: a tensor's raw data is decoded once, where it is needed.</summary>
    public (int Offset, int Length) ReadBytes()
    {
        int length = ReadLength();
        int offset = _position;
        _position += length;
        return (offset, length);
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Need(8); _position += 8; break;
            case 2:
                // Not "_position += ReadLength()": that reads _position before ReadLength moves it past the length.
                int length = ReadLength();
                _position += length;
                break;
            case 5: Need(4); _position += 4; break;
            default: throw new OnnxFormatException($"wire type {wireType} at byte {_position}");
        }
    }

    private int ReadLength()
    {
        int start = _position;
        ulong length = ReadVarint();
        if (length > (ulong)(_end - _position))
            throw new OnnxFormatException($"a field of {length} bytes at byte {start}, with {_end - _position} bytes left");
        return (int)length;
    }

    private readonly void Need(int count)
    {
        if (_end - _position < count)
            throw new OnnxFormatException($"a value cut off at byte {_position}");
    }
}

/// <summary>What is wrong with a file that is not a well-formed ONNX model; the reader turns it into NG diagnostic text.</summary>
internal sealed class OnnxFormatException(string message) : Exception(message);
