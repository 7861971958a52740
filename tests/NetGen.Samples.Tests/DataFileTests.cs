using System;
using System.IO;
using System.Security.Cryptography;
using NetGen.Package.Tests;
using NetGen.Samples.Data;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>The data files are the exact copies samples/data/README.md describes, and they read as it says.</summary>
public class DataFileTests
{
    public const string BreastCancerSha256 = "fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed";
    public const string DigitsSha256 = "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a";

    [Theory]
    [InlineData("breast_cancer.csv", BreastCancerSha256)]
    [InlineData("digits.csv.gz", DigitsSha256)]
    [InlineData("fashion-mnist-subset/train-images-idx3-ubyte.gz", "1ab101777c3413bf24d1de1ef48999b5e1e44e19dc67e9b632df99192dec0d29")]
    [InlineData("fashion-mnist-subset/train-labels-idx1-ubyte.gz", "bfc85198780dd5fa3738b261f2281ae0577e81f8c8d43c33737bdd9d75ce85a2")]
    [InlineData("fashion-mnist-subset/t10k-images-idx3-ubyte.gz", "0c8e35094acb9b3f7fdd1f61b21663fe9863c32d2d25206a9d2558b153fa30c6")]
    [InlineData("fashion-mnist-subset/t10k-labels-idx1-ubyte.gz", "15935be4ed7b45db8c8b1f946b8c6398b9538c1ef9948019db4da1f2d4a5ca3d")]
    public void DataFile_HasTheChecksumTheReadmeStates(string file, string sha256)
    {
        string readme = File.ReadAllText(Path.Combine(DotNet.RepositoryRoot(), "samples", "data", "README.md"));
        Assert.Contains($"| `{file}` | `{sha256}` |", readme);
        // The copy in the repository and the one the samples read (next to the assembly).
        Assert.Equal(sha256, Sha256(Path.Combine(DotNet.RepositoryRoot(), "samples", "data", file)));
        Assert.Equal(sha256, Sha256(Path.Combine(PublicDataSets.Folder, file)));
    }

    [Fact]
    public void BreastCancer_Has569RowsOf30Features_212Malignant357Benign()
    {
        LabelledTable table = PublicDataSets.BreastCancer();
        Assert.Equal(569, table.Count);
        Assert.Equal(30, table.FeatureCount);
        Assert.Equal(357, Array.FindAll(table.Labels, l => l == 1).Length);
        Assert.Equal(212, Array.FindAll(table.Labels, l => l == 0).Length);
        Assert.Equal(17.99f, table.Row(0)[0]);      // the first data row, after the header line
        Assert.Equal(0.1189f, table.Row(0)[29]);
        (LabelledTable training, LabelledTable test) = PublicDataSets.Split(table);
        Assert.Equal(456, training.Count);
        Assert.Equal(113, test.Count);
        Assert.Equal(table.Row(4).ToArray(), test.Row(0).ToArray());   // index 4 is the first test row
    }

    [Fact]
    public void Digits_Has1797ImagesOf64PixelsFrom0To16()
    {
        LabelledTable table = PublicDataSets.Digits();
        Assert.Equal(1797, table.Count);
        Assert.Equal(64, table.FeatureCount);
        Assert.All(table.Features, v => Assert.InRange(v, 0f, 16f));
        for (int digit = 0; digit < 10; digit++)
            Assert.InRange(Array.FindAll(table.Labels, l => l == digit).Length, 174, 183);
        Assert.Equal([0, 0, 5, 13, 9, 1, 0, 0], table.Row(0)[..8].ToArray());
        Assert.Equal(359, PublicDataSets.Split(table).Test.Count);
    }

    [Fact]
    public void MalformedCsv_IsAnErrorNamingTheLineAndColumn()
    {
        var error = Assert.Throws<InvalidDataException>(() => NumericCsv.Read(new StringReader("h\n1,2,0\n3,x,1\n"), "t.csv", 2, headerLines: 1));
        Assert.Equal("t.csv, line 3, column 2: 'x' is not a finite number.", error.Message);
        error = Assert.Throws<InvalidDataException>(() => NumericCsv.Read(new StringReader("1,2,0\n3,1\n"), "t.csv", 2));
        Assert.Equal("t.csv, line 2: expected 2 features and a label, found 2 fields.", error.Message);
        error = Assert.Throws<InvalidDataException>(() => NumericCsv.Read(new StringReader("1,2,0.5\n"), "t.csv", 2));
        Assert.Equal("t.csv, line 1, column 3: the label '0.5' is not an integer.", error.Message);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
