using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace NetGen.Runtime.Tests;

/// <summary>The fixtures of Fixtures/make_fixtures.py, and a minimal file builder that follows the format by hand.</summary>
public static class SafeTensorsFiles
{
    // TinyNetwork's parameters in the fixtures, in the network's layout: Hidden.weight, Hidden.bias, Output.weight, Output.bias.
    public static readonly float[] TinyParameters = [0.5f, -1.25f, 2f, 0.125f, -0.75f, 3f, 0.25f, -0.5f, 1f, 1.5f, -2f, 0.0625f, -0.375f];

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>u64 little-endian header length, the header text as given (no padding: it is optional), the data.</summary>
    public static byte[] Build(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    /// <summary>Little-endian F32 bytes.</summary>
    public static byte[] F32(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    /// <summary>
    /// A header for TinyNetwork in network order (Hidden.weight [0, 24), Hidden.bias [24, 36), Output.weight [36, 48),
    /// Output.bias [48, 52)) with one entry replaced by <paramref name="replacement"/> when given.
    /// </summary>
    public static string TinyHeader(string? replaced = null, string? replacement = null)
    {
        string[] entries =
        [
            "\"Hidden.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]}",
            "\"Hidden.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[24,36]}",
            "\"Output.weight\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[36,48]}",
            "\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[48,52]}",
        ];
        if (replaced is not null)
        {
            int index = Array.FindIndex(entries, e => e.StartsWith($"\"{replaced}\"", StringComparison.Ordinal));
            entries[index] = replacement!;
        }
        return "{" + string.Join(",", Array.FindAll(entries, e => e.Length > 0)) + "}";
    }

    public static byte[] TinyData => F32(TinyParameters);
}
