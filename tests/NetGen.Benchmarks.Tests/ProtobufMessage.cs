using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Google.Protobuf;

namespace NetGen.Testing;

/// <summary>
/// A protobuf message read with Google.Protobuf's decoder, an implementation independent of NetGen's writer: its fields
/// by number, for tests that check ONNX files field by field against onnx.proto's numbering. Shared by the benchmark's
/// tests and the runtime's (linked into both).
/// </summary>
internal sealed class ProtobufMessage
{
    private readonly List<(int Field, WireFormat.WireType Type, ulong Varint, ByteString? Bytes)> _fields = [];

    public static ProtobufMessage Parse(byte[] bytes)
    {
        var message = new ProtobufMessage();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            WireFormat.WireType type = WireFormat.GetTagWireType(tag);
            switch (type)
            {
                case WireFormat.WireType.Varint: message._fields.Add((field, type, input.ReadUInt64(), null)); break;
                case WireFormat.WireType.LengthDelimited: message._fields.Add((field, type, 0, input.ReadBytes())); break;
                case WireFormat.WireType.Fixed32: message._fields.Add((field, type, input.ReadFixed32(), null)); break;
                default: throw new InvalidOperationException($"unexpected wire type {type} on field {field}");
            }
        }
        return message;
    }

    public long Int(int field) => (long)_fields.Single(f => f.Field == field && f.Type == WireFormat.WireType.Varint).Varint;

    /// <summary>A float field (wire type 5).</summary>
    public float Float(int field) => BitConverter.Int32BitsToSingle((int)_fields.Single(f => f.Field == field && f.Type == WireFormat.WireType.Fixed32).Varint);

    /// <summary>Whether the message has the field at all.</summary>
    public bool Has(int field) => _fields.Any(f => f.Field == field);

    public string String(int field) => Encoding.UTF8.GetString(Bytes(field));

    public string[] Strings(int field) => Delimited(field).Select(b => b.ToStringUtf8()).ToArray();

    public byte[] Bytes(int field) => Delimited(field).Single().ToByteArray();

    public ProtobufMessage[] Messages(int field) => Delimited(field).Select(b => Parse(b.ToByteArray())).ToArray();

    public long[] PackedInts(int field)
    {
        var input = new CodedInputStream(Bytes(field));
        var values = new List<long>();
        while (!input.IsAtEnd)
            values.Add(input.ReadInt64());
        return values.ToArray();
    }

    private IEnumerable<ByteString> Delimited(int field) =>
        _fields.Where(f => f.Field == field && f.Type == WireFormat.WireType.LengthDelimited).Select(f => f.Bytes!);
}
