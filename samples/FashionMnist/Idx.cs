using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace NetGen.Samples.FashionMnist;

/// <summary>The bytes of an IDX file and the sizes its header declares (count first, then each sample's dimensions).</summary>
public sealed record IdxArray(int[] Sizes, byte[] Values)
{
    /// <summary>Samples: the first dimension.</summary>
    public int Count => Sizes[0];

    /// <summary>Values per sample: the product of the other dimensions (1 for a vector of labels).</summary>
    public int SampleSize => Values.Length / Math.Max(1, Count);
}

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian 32-bit magic number 0x0000TTDD (TT = 0x08, unsigned
/// bytes; DD = the number of dimensions), DD big-endian 32-bit sizes, then the values row-major, one byte each. Images are
/// 0x00000803 (count × rows × columns), labels 0x00000801 (count). A file that starts with gzip's two bytes (1F 8B) is
/// decompressed first, whatever its name. Every way a file can disagree with its header is an error naming the file.
/// </summary>
public static class Idx
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;
    private const byte UnsignedBytes = 0x08;

    /// <summary>An image file: sizes [count, rows, columns].</summary>
    public static IdxArray ReadImages(string path) => Read(path, ImagesMagic);

    /// <summary>A label file: sizes [count].</summary>
    public static IdxArray ReadLabels(string path) => Read(path, LabelsMagic);

    /// <summary>Reads <paramref name="path"/>, which must carry <paramref name="magic"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not that kind of IDX file, is cut short, or holds more than its header declares.</exception>
    public static IdxArray Read(string path, int magic)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream file = File.OpenRead(path);
        using Stream stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, Path.GetFileName(path), magic);
        }
        catch (InvalidDataException error) when (!error.Message.StartsWith(Path.GetFileName(path), StringComparison.Ordinal))
        {
            // GZipStream's own complaint (a corrupt or cut-short .gz) does not say which file it was reading.
            throw new InvalidDataException($"{Path.GetFileName(path)}: not a readable gzip file ({error.Message}).", error);
        }
    }

    /// <summary>Reads an IDX stream (already decompressed); <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Read(Stream stream, string source, int magic)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int dimensions = magic & 0xFF;
        Span<byte> header = stackalloc byte[4 + 4 * dimensions];
        int got = stream.ReadAtLeast(header[..4], 4, throwOnEndOfStream: false);
        if (got < 4)
            throw TruncatedHeader(source, header.Length, got);
        int found = BinaryPrimitives.ReadInt32BigEndian(header);
        if (found != magic)
            throw new InvalidDataException($"{source}: the magic number is 0x{found:X8} ({Describe(found)}); expected 0x{magic:X8} ({Describe(magic)}).");
        got += stream.ReadAtLeast(header[4..], header.Length - 4, throwOnEndOfStream: false);
        if (got < header.Length)
            throw TruncatedHeader(source, header.Length, got);

        var sizes = new int[dimensions];
        long length = 1;
        for (int d = 0; d < dimensions; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header[(4 + 4 * d)..]);
            if (size == 0 || size > int.MaxValue)
                throw new InvalidDataException($"{source}: dimension {d + 1} of the header is {size}; every size must be between 1 and {int.MaxValue}.");
            sizes[d] = (int)size;
            length *= size;
            if (length > Array.MaxLength)
                throw new InvalidDataException($"{source}: the header declares {Shape(sizes.AsSpan(0, d + 1))} values, more than one array holds ({Grouped(Array.MaxLength)}).");
        }

        var values = new byte[length];
        int read = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
        if (read < values.Length)
            throw new InvalidDataException($"{source}: the header declares {Shape(sizes)} = {Grouped(length)} bytes of values, but the file ends after {Grouped(read)} of them (cut short?).");
        if (stream.ReadByte() >= 0)
            throw new InvalidDataException($"{source}: the file goes on after the {Grouped(length)} bytes of values its header declares ({Shape(sizes)}): not the file the header describes.");
        return new IdxArray(sizes, values);
    }

    private static InvalidDataException TruncatedHeader(string source, int headerLength, int read) =>
        new($"{source}: the file ends inside its {headerLength}-byte header, after {read} byte(s).");

    /// <summary>What a magic number says: the value type and the number of dimensions, or that it is no IDX magic.</summary>
    public static string Describe(int magic) => (magic >>> 16, (magic >> 8) & 0xFF, magic & 0xFF) switch
    {
        (0, UnsignedBytes, 1) => "unsigned bytes in 1 dimension: labels",
        (0, UnsignedBytes, 3) => "unsigned bytes in 3 dimensions: images",
        (0, UnsignedBytes, int d) => $"unsigned bytes in {d} dimensions",
        (0, 0x09 or 0x0B or 0x0C or 0x0D or 0x0E, int d) => $"IDX values of type 0x{(magic >> 8) & 0xFF:X2} in {d} dimensions, not unsigned bytes",
        _ => "not an IDX file",
    };

    /// <summary>A count with thousands separators, the same in every culture (error messages are compared in tests).</summary>
    private static string Grouped(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shape(ReadOnlySpan<int> sizes) => string.Join(" × ", sizes.ToArray());

    /// <summary>Whether the file starts with gzip's magic (1F 8B); leaves the position at the start.</summary>
    private static bool IsGzip(FileStream file)
    {
        Span<byte> start = stackalloc byte[2];
        int read = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && start[0] == 0x1F && start[1] == 0x8B;
    }
}
