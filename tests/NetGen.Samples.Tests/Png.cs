using System;
using System.Buffers.Binary;
using System.IO;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>Checks that a file is a PNG picture, from its signature and its first chunk (IHDR, which holds the size).</summary>
public static class Png
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The picture's width and height in pixels; fails the test unless <paramref name="path"/> is a PNG file of some substance.</summary>
    public static (int Width, int Height) Size(string path, int minimumBytes = 10_000)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= minimumBytes, $"{path} holds {bytes.Length} bytes: too few for the picture");
        Assert.Equal(s_signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
