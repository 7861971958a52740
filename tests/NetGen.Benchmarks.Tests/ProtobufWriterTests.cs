using System;
using Xunit;

namespace NetGen.Benchmarks.Tests;

/// <summary>The wire format against the Protocol Buffers encoding guide's own examples, byte for byte.</summary>
public class ProtobufWriterTests
{
    [Fact]
    public void A_varint_field_is_its_key_then_seven_bits_a_byte_least_significant_first()
    {
        // The guide's first example: field 1 = 150 → 08 96 01.
        Assert.Equal(Hex("08 96 01"), new ProtobufWriter().Int64(1, 150).ToArray());
        Assert.Equal(Hex("08 00"), new ProtobufWriter().Int64(1, 0).ToArray());
        Assert.Equal(Hex("08 7F"), new ProtobufWriter().Int64(1, 127).ToArray());
        Assert.Equal(Hex("08 80 01"), new ProtobufWriter().Int64(1, 128).ToArray());
    }

    [Fact]
    public void A_negative_int64_takes_ten_bytes()
    {
        Assert.Equal(Hex("08 FE FF FF FF FF FF FF FF FF 01"), new ProtobufWriter().Int64(1, -2).ToArray());
    }

    [Fact]
    public void A_string_is_length_delimited_utf8()
    {
        // field 2 = "testing" → 12 07 74 65 73 74 69 6E 67.
        Assert.Equal(Hex("12 07 74 65 73 74 69 6E 67"), new ProtobufWriter().String(2, "testing").ToArray());
        Assert.Equal(Hex("12 02 C3 A9"), new ProtobufWriter().String(2, "é").ToArray());
    }

    [Fact]
    public void An_embedded_message_is_its_bytes_behind_its_length()
    {
        // field 3 = { field 1 = 150 } → 1A 03 08 96 01.
        Assert.Equal(Hex("1A 03 08 96 01"), new ProtobufWriter().Message(3, m => m.Int64(1, 150)).ToArray());
    }

    [Fact]
    public void Packed_repeated_integers_are_one_length_delimited_field()
    {
        // field 4 = [3, 270, 86942] packed → 22 06 03 8E 02 9E A7 05.
        Assert.Equal(Hex("22 06 03 8E 02 9E A7 05"), new ProtobufWriter().PackedInt64(4, [3, 270, 86942]).ToArray());
    }

    [Fact]
    public void A_float_is_a_little_endian_fixed32()
    {
        Assert.Equal(Hex("0D 00 00 80 3F"), new ProtobufWriter().Float(1, 1f).ToArray());
        Assert.Equal(Hex("15 00 00 80 BE"), new ProtobufWriter().Float(2, -0.25f).ToArray());
    }

    [Fact]
    public void Field_numbers_need_more_key_bytes_past_15()
    {
        // field 16, wire type 0: key (16 << 3) | 0 = 128 → 80 01; field 20 (AttributeProto.type) = 2 → A0 01 02.
        Assert.Equal(Hex("80 01 05"), new ProtobufWriter().Int64(16, 5).ToArray());
        Assert.Equal(Hex("A0 01 02"), new ProtobufWriter().Int64(20, 2).ToArray());
    }

    [Fact]
    public void Field_number_zero_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtobufWriter().Int64(0, 1));
    }

    internal static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", ""));
}
