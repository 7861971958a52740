using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NetGen.Samples.FashionMnist;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>The IDX reader and the Fashion-MNIST loader: what they read, and the error each kind of bad file gets.</summary>
public sealed class IdxReaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"netgen-idx-{Guid.NewGuid():N}");

    public IdxReaderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Images_ReadAsTheHeaderSays_PlainOrGzipped()
    {
        byte[] pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        byte[] file = IdxBytes(0x803, [2, 3, 4], pixels);
        foreach (string path in new[] { Write("a-images", file), WriteGzipped("b-images.gz", file), WriteGzipped("c-images", file) })
        {
            IdxArray images = Idx.ReadImages(path);
            Assert.Equal([2, 3, 4], images.Sizes);
            Assert.Equal(2, images.Count);
            Assert.Equal(12, images.SampleSize);
            Assert.Equal(pixels, images.Values);
        }
        IdxArray labels = Idx.ReadLabels(Write("labels", IdxBytes(0x801, [3], [7, 0, 9])));
        Assert.Equal([3], labels.Sizes);
        Assert.Equal([7, 0, 9], labels.Values);
    }

    [Fact]
    public void WrongMagic_SaysWhatTheFileIsAndWhatWasExpected()
    {
        string labels = Write("train-labels-idx1-ubyte", IdxBytes(0x801, [3], [1, 2, 3]));
        var error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(labels));
        Assert.Equal("train-labels-idx1-ubyte: the magic number is 0x00000801 (unsigned bytes in 1 dimension: labels); " +
            "expected 0x00000803 (unsigned bytes in 3 dimensions: images).", error.Message);

        string text = Write("notes.txt", "hello, world"u8.ToArray());
        error = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(text));
        Assert.Equal("notes.txt: the magic number is 0x68656C6C (not an IDX file); expected 0x00000801 (unsigned bytes in 1 dimension: labels).", error.Message);

        string floats = Write("floats", IdxBytes(0x0D03, [1, 1, 1], [0, 0, 0, 0]));
        error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(floats));
        Assert.StartsWith("floats: the magic number is 0x00000D03 (IDX values of type 0x0D in 3 dimensions, not unsigned bytes)", error.Message);
    }

    [Fact]
    public void CutShort_InTheHeaderOrInTheValues_IsAnErrorWithTheCounts()
    {
        byte[] file = IdxBytes(0x803, [2, 28, 28], new byte[2 * 784]);
        var error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(Write("empty", [])));
        Assert.Equal("empty: the file ends inside its 16-byte header, after 0 byte(s).", error.Message);
        error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(Write("header", file[..10])));
        Assert.Equal("header: the file ends inside its 16-byte header, after 10 byte(s).", error.Message);
        error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(Write("values", file[..(16 + 784 + 5)])));
        Assert.Equal("values: the header declares 2 × 28 × 28 = 1,568 bytes of values, but the file ends after 789 of them (cut short?).", error.Message);
        // The same inside a complete gzip stream: the decompressed bytes are what is counted.
        error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(WriteGzipped("values.gz", file[..(16 + 784 + 5)])));
        Assert.Equal("values.gz: the header declares 2 × 28 × 28 = 1,568 bytes of values, but the file ends after 789 of them (cut short?).", error.Message);
    }

    [Fact]
    public void MoreBytesThanDeclared_OrASizeOfZero_IsAnError()
    {
        var error = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(Write("long", IdxBytes(0x801, [3], [1, 2, 3, 4]))));
        Assert.Equal("long: the file goes on after the 3 bytes of values its header declares (3): not the file the header describes.", error.Message);
        error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(Write("zero", IdxBytes(0x803, [0, 28, 28], []))));
        Assert.Equal("zero: dimension 1 of the header is 0; every size must be between 1 and 2147483647.", error.Message);
        error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(Write("huge", IdxBytes(0x803, [60000, 60000, 28], []))));
        Assert.Equal("huge: the header declares 60000 × 60000 values, more than one array holds (2,147,483,591).", error.Message);
    }

    [Fact]
    public void CorruptGzip_IsAnErrorNamingTheFile()
    {
        byte[] gzipped = Gzip(IdxBytes(0x801, [100], new byte[100]));
        for (int i = 12; i < gzipped.Length - 8; i++)
            gzipped[i] ^= 0x5A;   // the deflate stream, not its 10-byte header or 8-byte trailer
        var error = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(Write("labels.gz", gzipped)));
        Assert.StartsWith("labels.gz: ", error.Message);
    }

    [Fact]
    public void ImagesAndLabels_ThatDoNotPairUp_OrALabelOutOfRange_AreErrors()
    {
        string images = Write("images", IdxBytes(0x803, [3, 28, 28], new byte[3 * 784]));
        var error = Assert.Throws<InvalidDataException>(() => FashionMnistData.LoadPart(images, Write("two-labels", IdxBytes(0x801, [2], [0, 1]))));
        Assert.Equal("images holds 3 images but two-labels holds 2 labels: they must pair up one to one (files of different parts or sets?).", error.Message);
        error = Assert.Throws<InvalidDataException>(() => FashionMnistData.LoadPart(images, Write("bad-label", IdxBytes(0x801, [3], [0, 10, 1]))));
        Assert.Equal("bad-label: the label of image 1 is 10; Fashion-MNIST's classes are 0–9.", error.Message);
        error = Assert.Throws<InvalidDataException>(() => FashionMnistData.LoadPart(Write("small", IdxBytes(0x803, [3, 8, 8], new byte[3 * 64])), Write("labels", IdxBytes(0x801, [3], [0, 1, 2]))));
        Assert.Equal("small: images of 8 × 8 pixels; Fashion-MNIST's are 28 × 28.", error.Message);

        ImageSet set = FashionMnistData.LoadPart(images, Write("labels", IdxBytes(0x801, [3], [9, 0, 4])));
        Assert.Equal([9, 0, 4], set.Labels);
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void DataOption_WithoutTheFiles_SaysWhatIsMissingAndHowToGetTheFullSet()
    {
        Write("train-images-idx3-ubyte", IdxBytes(0x803, [1, 28, 28], new byte[784]));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnistFiles.Locate(_folder));
        Assert.StartsWith($"--data {_folder}: {_folder} has no train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz). ", error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Contains("/usr/share/datasets/fashion-mnist", error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz", error.Message);
        Assert.Contains("--data <folder>", error.Message);

        string nowhere = Path.Combine(_folder, "nowhere");
        error = Assert.Throws<FileNotFoundException>(() => FashionMnistFiles.Locate(nowhere));
        Assert.StartsWith($"--data {nowhere}: {nowhere} does not exist, so it has no train-images-idx3-ubyte(.gz), ", error.Message);
    }

    [Fact]
    public void WithoutDataOption_TheDebianFolderIsUsedWhenComplete_ElseTheSubset()
    {
        string debian = Path.Combine(_folder, "debian");
        Directory.CreateDirectory(debian);
        Assert.Equal(new DataSource(FashionMnistFiles.SubsetFolder, FellBackToSubset: true), FashionMnistFiles.Locate(null, debian));
        foreach (string name in FashionMnistFiles.Names[..3])
            File.Copy(FashionMnistFiles.Find(FashionMnistFiles.SubsetFolder, name)!, Path.Combine(debian, name + ".gz"));
        Assert.True(FashionMnistFiles.Locate(null, debian).FellBackToSubset);   // three of four files are not the set
        // The fourth, unpacked: plain and gzipped files mix.
        File.WriteAllBytes(Path.Combine(debian, FashionMnistFiles.TestLabels), Ungzip(File.ReadAllBytes(FashionMnistFiles.Find(FashionMnistFiles.SubsetFolder, FashionMnistFiles.TestLabels)!)));
        Assert.Equal(new DataSource(debian, FellBackToSubset: false), FashionMnistFiles.Locate(null, debian));
        (ImageSet training, ImageSet test) = FashionMnistData.Load(debian);
        Assert.Equal((1000, 500), (training.Count, test.Count));
    }

    private static byte[] IdxBytes(int magic, int[] sizes, byte[] values)
    {
        var bytes = new byte[4 + 4 * sizes.Length + values.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < sizes.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), sizes[d]);
        values.CopyTo(bytes, 4 + 4 * sizes.Length);
        return bytes;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteGzipped(string name, byte[] bytes) => Write(name, Gzip(bytes));

    private static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal))
            gzip.Write(bytes);
        return memory.ToArray();
    }

    private static byte[] Ungzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
