using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// docs/accuracy.md shows the bounds the tests hold the kernels to: every row whose first cell is a key in code
/// (`sigmoid`) states, in its third cell, the number <see cref="AccuracyBounds"/> holds under that key, and every key
/// there has its row. The page is for users, so neither may move without the other.
/// </summary>
public class AccuracyDocTests
{
    [Fact]
    public void EveryBound_IsTheOneDocsAccuracyMdStates()
    {
        Dictionary<string, double> documented = DocumentedBounds(File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "accuracy.md")));
        var tested = new[] { AccuracyBounds.Ulps, AccuracyBounds.Losses, AccuracyBounds.EndToEnd }.SelectMany(d => d).ToDictionary(p => p.Key, p => p.Value);
        var problems = new List<string>();
        foreach (var (key, bound) in tested)
            if (!documented.TryGetValue(key, out double shown))
                problems.Add($"`{key}` (bound {bound}) has no row in docs/accuracy.md");
            else if (shown != bound)
                problems.Add($"`{key}`: docs/accuracy.md states {shown}, the tests hold {bound}");
        foreach (string key in documented.Keys.Except(tested.Keys))
            problems.Add($"docs/accuracy.md states a bound for `{key}`, which no test holds");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("| `sigmoid` | s | 2.5 | 2.01 |", "sigmoid", 2.5)]
    [InlineData("| `chain-first-layer` | float64 | 4e-3 | 2.0·10⁻³ |", "chain-first-layer", 4e-3)]
    [InlineData("| `bce-with-logits` | Σ \\| z \\| | 1e-14 | |", "bce-with-logits", 1e-14)]
    public void TheReader_TakesTheThirdCell(string row, string key, double bound) =>
        Assert.Equal(bound, DocumentedBounds([row])[key]);

    /// <summary>Key → bound of every table row whose first cell is a key in code; cells split at unescaped pipes.</summary>
    private static Dictionary<string, double> DocumentedBounds(IEnumerable<string> lines)
    {
        var bounds = new Dictionary<string, double>();
        foreach (string line in lines)
        {
            string[] cells = Regex.Split(line.Trim(), @"(?<!\\)\|").Select(c => c.Trim()).ToArray();
            // "| a | b |" splits into "", "a", "b", "".
            if (cells.Length < 5 || cells[0] != "" || !Regex.IsMatch(cells[1], "^`[^`]+`$"))
                continue;
            string key = cells[1].Trim('`');
            Assert.False(bounds.ContainsKey(key), $"docs/accuracy.md has two rows for `{key}`");
            bounds[key] = double.Parse(cells[3], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return bounds;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"No NetGen.sln above {AppContext.BaseDirectory}.");
    }
}
