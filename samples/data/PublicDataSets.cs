using System;
using System.IO;
using System.IO.Compression;

namespace NetGen.Samples.Data;

/// <summary>The two data sets of this folder (see its README), read from the copies next to the running assembly.</summary>
public static class PublicDataSets
{
    public const int BreastCancerFeatures = 30;
    public const int DigitsFeatures = 64;

    /// <summary>The folder the project copies the files into, next to every assembly that references it.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "data");

    public static string BreastCancerPath => Path.Combine(Folder, "breast_cancer.csv");

    public static string DigitsPath => Path.Combine(Folder, "digits.csv.gz");

    /// <summary>569 rows of 30 features; label 0 = malignant, 1 = benign. The file's one header line is skipped.</summary>
    public static LabelledTable BreastCancer()
    {
        using var reader = new StreamReader(BreastCancerPath);
        return NumericCsv.Read(reader, "breast_cancer.csv", BreastCancerFeatures, headerLines: 1);
    }

    /// <summary>1,797 8 × 8 images, pixels 0–16 row by row; label the digit 0–9. No header.</summary>
    public static LabelledTable Digits()
    {
        using var file = File.OpenRead(DigitsPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return NumericCsv.Read(reader, "digits.csv.gz", DigitsFeatures);
    }

    /// <summary>The protocol of both samples: rows numbered from 0 in the file's order, index % 5 == 4 is a test row.</summary>
    public static bool IsTestRow(int index) => index % 5 == 4;

    /// <summary>Splits <paramref name="table"/> by <see cref="IsTestRow"/>, each part in the file's order.</summary>
    public static (LabelledTable Training, LabelledTable Test) Split(LabelledTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return (table.Where(i => !IsTestRow(i)), table.Where(IsTestRow));
    }
}
