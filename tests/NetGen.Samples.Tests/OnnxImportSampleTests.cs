using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NetGen.Samples.OnnxImport;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>The PyTorch CNN compiled from its ONNX file: PyTorch's answers, the shifted digits, and the sample's round trip.</summary>
[Collection(ConsoleCollection.Name)]
public class OnnxImportSampleTests
{
    [Fact]
    public void ImportedModel_AnswersTheTestDigitsAsPyTorchDid()
    {
        // train_digits_cnn.py printed "test accuracy 97.77 % on 359 digits": 351 right.
        var (_, test) = DigitImages.Load();
        Assert.Equal(359, test.Count);
        Assert.Equal(351.0 / 359, DigitImages.Accuracy(new DigitsCnn(64), test), 12);
    }

    [Fact]
    public void ShiftedRight_MovesEveryColumnOneToTheRight_AndEmptiesTheFirst()
    {
        var (_, test) = DigitImages.Load();
        var shifted = DigitImages.ShiftedRight(test);
        for (int n = 0; n < test.Count; n += 37)
            for (int row = 0; row < DigitImages.Side; row++)
            {
                Assert.Equal(0f, shifted.Row(n)[row * DigitImages.Side]);
                for (int column = 1; column < DigitImages.Side; column++)
                    Assert.Equal(test.Row(n)[row * DigitImages.Side + column - 1], shifted.Row(n)[row * DigitImages.Side + column]);
            }
        Assert.Equal(test.Labels, shifted.Labels);
    }

    [Fact]
    public void Sample_FineTunesOnTheShiftedDigits_AndOnnxRuntimeAgreesWithTheExport()
    {
        string folder = Path.Combine(Path.GetTempPath(), "netgen-onnx-sample-" + Guid.NewGuid().ToString("N"));
        try
        {
            string output = SampleRunner.Run(typeof(DigitsCnn).Assembly, "--out", folder);
            Assert.Contains("PyTorch's weights, test accuracy: ", output);
            double before = Percent(output, @"before fine-tuning: (\d+[.,]\d+)\s?%");
            double after = Percent(output, @"after fine-tuning: (\d+[.,]\d+)\s?%");
            Assert.InRange(before, 50, 80);
            Assert.InRange(after, 93, 100);
            double difference = double.Parse(Regex.Match(output, @"differ from Forward's by at most (\S+)\r?$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(difference, 0, 1e-5);
            Assert.True(File.Exists(Path.Combine(folder, "digits-cnn-finetuned.onnx")));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("1,2,3\n", "line 1: 3 fields; a digit has 64 pixels and a label.")]
    [InlineData("{pixels},10\n", "line 1, field 65: '10' is not a digit from 0 to 9.")]
    [InlineData("{pixels},3\n17{rest},3\n", "line 2, field 1: '17' is not a pixel from 0 to 16.")]
    [InlineData("\n", "holds no digits.")]
    public void Read_RefusesABadFile_NamingTheLineAndField(string text, string message)
    {
        string pixels = string.Join(",", new string[64].Select(_ => "0"));
        text = text.Replace("{pixels}", pixels).Replace("{rest}", pixels.Substring(1));
        string path = Path.Combine(Path.GetTempPath(), "netgen-digits-" + Guid.NewGuid().ToString("N") + ".csv.gz");
        try
        {
            using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
                gzip.Write(Encoding.ASCII.GetBytes(text));
            var error = Assert.Throws<InvalidDataException>(() => DigitImages.Read(path));
            Assert.EndsWith(message, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Percent(string output, string pattern)
    {
        Match match = Regex.Match(output, pattern);
        Assert.True(match.Success, $"no line matches {pattern}:\n{output}");
        return double.Parse(match.Groups[1].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
    }
}
