using System;
using System.Globalization;
using System.IO;

namespace NetGen.Samples.FashionMnist;

/// <summary>Images of 28 × 28 bytes (0 = background, 255 = full ink), row by row, each with its class 0–9.</summary>
public sealed record ImageSet(byte[] Pixels, int[] Labels)
{
    public int Count => Labels.Length;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * FashionMnistData.Pixels, FashionMnistData.Pixels);
}

/// <summary>Fashion-MNIST (Zalando Research, MIT licence) read from its IDX files, checked against what the data set is.</summary>
public static class FashionMnistData
{
    public const int Side = 28;
    public const int Pixels = Side * Side;
    public const int Classes = 10;

    /// <summary>The names of classes 0–9, as the data set's README gives them.</summary>
    public static readonly string[] ClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The training and test parts in <paramref name="folder"/> (see <see cref="FashionMnistFiles"/> for the names).</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not what it should be (the message names it and says what is wrong).</exception>
    public static (ImageSet Training, ImageSet Test) Load(string folder) =>
        (LoadPart(Require(folder, FashionMnistFiles.TrainingImages), Require(folder, FashionMnistFiles.TrainingLabels)),
         LoadPart(Require(folder, FashionMnistFiles.TestImages), Require(folder, FashionMnistFiles.TestLabels)));

    /// <summary>One part: an image file and its label file, which must pair up one to one.</summary>
    public static ImageSet LoadPart(string imagesPath, string labelsPath)
    {
        IdxArray images = Idx.ReadImages(imagesPath);
        IdxArray labels = Idx.ReadLabels(labelsPath);
        string imagesName = Path.GetFileName(imagesPath), labelsName = Path.GetFileName(labelsPath);
        if (images.Sizes[1] != Side || images.Sizes[2] != Side)
            throw new InvalidDataException($"{imagesName}: images of {images.Sizes[1]} × {images.Sizes[2]} pixels; Fashion-MNIST's are {Side} × {Side}.");
        if (images.Count != labels.Count)
            throw new InvalidDataException(
                $"{imagesName} holds {images.Count.ToString("N0", CultureInfo.InvariantCulture)} images but {labelsName} holds {labels.Count.ToString("N0", CultureInfo.InvariantCulture)} labels: they must pair up one to one (files of different parts or sets?).");
        var classes = new int[labels.Count];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = labels.Values[i];
            if (classes[i] >= Classes)
                throw new InvalidDataException($"{labelsName}: the label of image {i} is {classes[i]}; Fashion-MNIST's classes are 0–{Classes - 1}.");
        }
        return new ImageSet(images.Values, classes);
    }

    private static string Require(string folder, string name) =>
        FashionMnistFiles.Find(folder, name) ?? throw new FileNotFoundException($"{Path.GetFullPath(folder)} has no {name} or {name}.gz.", Path.Combine(folder, name));
}
