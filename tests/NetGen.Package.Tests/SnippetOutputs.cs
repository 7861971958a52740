using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>
/// What each README snippet that prints a result must print: numbers that show the network learned, not only a
/// program that runs. A block is recognised by a phrase of its own text; a block that prints and has no entry here fails,
/// so a new printing example cannot go unchecked.
/// </summary>
internal static partial class SnippetOutputs
{
    private static readonly (string Marker, Action<string> Check)[] s_checks =
    [
        // y = x² on [−2, 2]: f(0.5) = 0.25, and the validation targets' variance is 1.48 (a constant guess scores that).
        ("y = x² on [−2, 2]", output =>
        {
            Match m = Single(FirstExample(), output);
            Assert.InRange(Number(m, 1), 0.20, 0.30);
            Assert.InRange(Number(m, 2), 0, 0.01 * 1.48);
        }),
        // Inside the unit circle: about 35 % of the points are, so guessing that rate scores a BCE of 0.65.
        ("is the point inside the unit circle?", output =>
        {
            Match m = Single(CircleExample(), output);
            Assert.InRange(Number(m, 1), 1, 1000);
            Assert.InRange(Number(m, 2), 0, 0.15);
        }),
        // The CSV example's labels are x₀ + x₁ − x₂ > 0 with 10 % flipped: about 90 % is reachable, 50 % is chance.
        ("patients.csv", output =>
        {
            Match m = Single(CsvExample(), output);
            Assert.InRange(Number(m, 3), 75, 100);
            Assert.InRange(Number(m, 4), 0.8, 1);
        }),
        // Three classes by angle, trained on labels: chance is 33 % and a loss of ln 3 = 1.10. The labels and their
        // one-hot rows give one loss, and so do a one-hot literal and its label.
        ("LabelDataset", output =>
        {
            Match m = Single(LabelExample(), output);
            Assert.InRange(Number(m, 1), 90, 100);
            Assert.InRange(Number(m, 2), 0, 0.2);
            Assert.Equal(m.Groups[2].Value, m.Groups[3].Value);
            Assert.Equal(m.Groups[4].Value, m.Groups[5].Value);
        }),
        // LeNet on bars across and down: 64 held-out images, chance is 32 right and a loss of ln 2 = 0.69 between the two.
        ("public partial class LeNet", output =>
        {
            Match m = Single(LeNetExample(), output);
            Assert.InRange(Number(m, 1), 62, 64);
            Assert.Equal(64, Number(m, 2));
            Assert.InRange(Number(m, 3), 0, 0.05);
        }),
        // The imported PyTorch classifier fine-tuned on four labelled samples: its loss falls from that of the file's
        // weights (about ln 3 = 1.10 for a model that never saw these points) to near 0.
        ("fine-tuned classifier.onnx", output =>
        {
            Match m = Single(OnnxImportExample(), output);
            Assert.InRange(Number(m, 1), 0.5, 3);
            Assert.InRange(Number(m, 2), 0, 0.1);
            Assert.Equal(931, Number(m, 3));
            Assert.Equal("fc1.weight", m.Groups[4].Value);
        }),
        // XOR's four outputs. The output is linear, so a value near 0 may print as -0.00.
        ("XOR: ", output =>
        {
            Match m = Single(XorExample(), output);
            double[] outputs = Enumerable.Range(1, 4).Select(g => Number(m, g)).ToArray();
            Assert.All(outputs.Zip(new double[] { 0, 1, 1, 0 }), p => Assert.InRange(p.First, p.Second - 0.1, p.Second + 0.1));
        }),
        // The exported model run by ONNX Runtime gives Forward's three probabilities (to the 4 decimals printed), which sum to 1.
        ("Onnx.Save(net, \"out/flower.onnx\")", output =>
        {
            Match m = Single(OnnxExportExample(), output);
            double[] netGen = Enumerable.Range(1, 3).Select(g => Number(m, g)).ToArray();
            Assert.Equal(netGen, Enumerable.Range(4, 3).Select(g => Number(m, g)));
            Assert.InRange(netGen.Sum(), 0.9997, 1.0003);
            Assert.True(netGen.Distinct().Count() > 1, "three equal probabilities would show nothing");
        }),
    ];

    /// <summary>Checks what <paramref name="block"/> printed, if it prints.</summary>
    public static void AssertLearned(string document, Readme.CodeBlock block, string output)
    {
        var checks = s_checks.Where(c => block.Text.Contains(c.Marker, StringComparison.Ordinal)).ToArray();
        if (checks.Length == 0)
        {
            Assert.False(block.Text.Contains("Console.Write", StringComparison.Ordinal),
                $"The C# block on line {block.Line} of {document} prints a result, but SnippetOutputs has no check of what it prints.");
            return;
        }
        try
        {
            foreach (var (_, check) in checks)
                check(output);
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"The C# block on line {block.Line} of {document} printed a result that shows no learning:\n{output}\n{e.Message}");
        }
    }

    private static Match Single(Regex pattern, string output)
    {
        Match[] matches = pattern.Matches(output).ToArray();
        Assert.True(matches.Length == 1, $"Expected one line matching {pattern}, found {matches.Length}.");
        return matches[0];
    }

    // The programs print in the machine's culture: a decimal comma reads as a point.
    private static double Number(Match match, int group) => double.Parse(match.Groups[group].Value.Replace(',', '.'), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^fine-tuned classifier\.onnx: loss (\d+[.,]\d{3}) -> (\d+[.,]\d{3}), (\d+) parameters, first (\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex OnnxImportExample();

    [GeneratedRegex(@"^f\(0[.,]5\) = (-?\d+[.,]\d{3}), validation MSE (\d+[.,]\d{4})\r?$", RegexOptions.Multiline)]
    private static partial Regex FirstExample();

    [GeneratedRegex(@"^best epoch (\d+), validation loss (\d+[.,]\d{4})\r?$", RegexOptions.Multiline)]
    private static partial Regex CircleExample();

    [GeneratedRegex(@"^(\d+) iterations \((\w+)\); test accuracy (\d+[.,]\d)\s?%, ROC AUC (\d[.,]\d{3}), log loss (\d+[.,]\d{3})\r?$", RegexOptions.Multiline)]
    private static partial Regex CsvExample();

    [GeneratedRegex(@"^test accuracy (\d+)\s?%, loss (\d[.,]\d{3}) on labels and (\d[.,]\d{3}) on one-hot rows; \(0[.,]5, 0[.,]5\) is class 1 with loss (\S+) = (\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex LabelExample();

    [GeneratedRegex(@"^XOR: (-?\d[.,]\d\d) (-?\d[.,]\d\d) (-?\d[.,]\d\d) (-?\d[.,]\d\d)\r?$", RegexOptions.Multiline)]
    private static partial Regex XorExample();

    [GeneratedRegex(@"^NetGen (\d[.,]\d{4}) (\d[.,]\d{4}) (\d[.,]\d{4}); ONNX Runtime (\d[.,]\d{4}) (\d[.,]\d{4}) (\d[.,]\d{4})\r?$", RegexOptions.Multiline)]
    private static partial Regex OnnxExportExample();

    [GeneratedRegex(@"^held out: (\d+) of (\d+) right; training loss (\d+[.,]\d{4})\r?$", RegexOptions.Multiline)]
    private static partial Regex LeNetExample();
}
