using System;
using System.IO;
using System.Linq;

namespace NetGen.Samples.FashionMnist;

/// <summary>The folder the data comes from, and whether the sample fell back to the repository's subset for want of the full set.</summary>
public sealed record DataSource(string Folder, bool FellBackToSubset);

/// <summary>
/// The four files of Fashion-MNIST under their original names, and where the sample looks for them: the folder given with
/// <c>--data</c>, else the folder Debian's package installs, else the repository's subset (copied next to the sample).
/// Each file may be gzip-compressed (<c>name.gz</c>, as published) or plain (<c>name</c>, as unpacked).
/// </summary>
public static class FashionMnistFiles
{
    public const string TrainingImages = "train-images-idx3-ubyte";
    public const string TrainingLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";
    public static readonly string[] Names = [TrainingImages, TrainingLabels, TestImages, TestLabels];

    public const string DebianPackage = "dataset-fashion-mnist";
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The repository's first 1,000 training and 500 test images (samples/data/fashion-mnist-subset), next to the assembly.</summary>
    public static string SubsetFolder => Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-subset");

    /// <summary>How to get the full set, for messages.</summary>
    public static string HowToGetTheFullSet =>
        $"Install Debian's package {DebianPackage} (apt-get install {DebianPackage}: the files land in {DebianFolder}), or download " +
        $"{string.Join(", ", Names.Select(n => n + ".gz"))} from Zalando Research's Fashion-MNIST " +
        "(github.com/zalandoresearch/fashion-mnist, folder data/fashion) into one folder and pass it with --data <folder>.";

    /// <summary>The file <paramref name="name"/> in <paramref name="folder"/>: plain, else gzipped; null when neither exists.</summary>
    public static string? Find(string folder, string name)
    {
        string plain = Path.Combine(folder, name);
        if (File.Exists(plain))
            return plain;
        string gzipped = plain + ".gz";
        return File.Exists(gzipped) ? gzipped : null;
    }

    /// <summary>Whether <paramref name="folder"/> holds all four files.</summary>
    public static bool AllIn(string folder) => Names.All(n => Find(folder, n) is not null);

    /// <summary>The data the sample trains on: <paramref name="dataOption"/> when given, else the Debian folder, else the subset.</summary>
    /// <exception cref="FileNotFoundException"><paramref name="dataOption"/> names a folder without the four files; the message says how to get them.</exception>
    public static DataSource Locate(string? dataOption, string debianFolder = DebianFolder)
    {
        if (dataOption is not null)
        {
            string[] missing = Names.Where(n => Find(dataOption, n) is null).ToArray();
            if (missing.Length > 0)
            {
                string where = Directory.Exists(dataOption) ? $"{Path.GetFullPath(dataOption)} has no" : $"{Path.GetFullPath(dataOption)} does not exist, so it has no";
                throw new FileNotFoundException(
                    $"--data {dataOption}: {where} {string.Join(", ", missing.Select(n => $"{n}(.gz)"))}. {HowToGetTheFullSet}");
            }
            return new DataSource(dataOption, FellBackToSubset: false);
        }
        return AllIn(debianFolder) ? new DataSource(debianFolder, FellBackToSubset: false) : new DataSource(SubsetFolder, FellBackToSubset: true);
    }
}
