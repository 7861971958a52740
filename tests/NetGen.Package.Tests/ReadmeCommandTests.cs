using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>Every command README.md shows is run, as written, by a test here or by CI; the samples' commands run in a clean copy.</summary>
[Collection(CleanCopyCollection.Name)]
public class ReadmeCommandTests(CleanCopy copy)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(5);

    [Fact]
    public void Readme_EveryCommand_IsRunByATestOrCi()
    {
        string root = DotNet.RepositoryRoot();
        IReadOnlyList<string> commands = Readme.Commands(Readme.Text(root));
        Assert.NotEmpty(commands);

        string[] unmapped = commands.Where(c => !ReadmeCommands.RunBy.ContainsKey(c)).ToArray();
        Assert.True(unmapped.Length == 0,
            $"README.md shows command(s) that no test or CI runs: {string.Join(" | ", unmapped)}. Run each in a test (as written, " +
            $"from a clean copy) and add it to {nameof(ReadmeCommands)}.{nameof(ReadmeCommands.RunBy)}, or take it out of the README.");
        string[] stale = ReadmeCommands.RunBy.Keys.Where(c => !commands.Contains(c)).ToArray();
        Assert.True(stale.Length == 0, $"{nameof(ReadmeCommands)}.{nameof(ReadmeCommands.RunBy)} lists command(s) the README no longer shows: {string.Join(" | ", stale)}.");

        foreach (var (command, runner) in ReadmeCommands.RunBy)
        {
            if (runner == "ci")
            {
                Assert.True(File.Exists(Path.Combine(root, command)), $"'{command}' is not a file of the repository");
            }
            else if (runner.StartsWith("file:", StringComparison.Ordinal))
            {
                string[] lines = File.ReadAllLines(Path.Combine(root, runner[5..]));
                Assert.True(lines.Any(l => l.Trim().StartsWith(command + " ", StringComparison.Ordinal) || l.Trim() == command),
                    $"{runner[5..]} does not run '{command}'");
            }
            else
            {
                string[] parts = runner.Split('.');
                Type type = typeof(ReadmeCommandTests).Assembly.GetType($"{typeof(ReadmeCommandTests).Namespace}.{parts[0]}")
                    ?? throw new InvalidOperationException($"no test class {parts[0]} (for '{command}')");
                MethodInfo? test = type.GetMethod(parts[1]);
                Assert.True(test?.GetCustomAttribute<FactAttribute>() is not null, $"{runner} (for '{command}') is not a test");
            }
        }
    }

    /// <summary>The main job: trains, prints both losses and writes the four files the README lists under out/ of the current folder.</summary>
    [Fact]
    public void ThreeLayerMlpSample_RunsAsTheReadmeSays()
    {
        var run = DotNet.Run(copy.Root, s_limit, ReadmeCommands.Arguments(ReadmeCommands.RunThreeLayerMlp));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("epoch 1000/1000", run.Output);
        string[] lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.StartsWith("training MSE ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("validation MSE ", StringComparison.Ordinal));
        foreach (string file in new[] { "ThreeLayerMlp.png", "ThreeLayerMlp.loss.csv", "ThreeLayerMlp.loss.png", "ThreeLayerMlp.safetensors" })
            Assert.True(new FileInfo(Path.Combine(copy.Root, "out", file)) is { Exists: true, Length: > 0 }, $"out/{file} was not written:\n{run.Output}");
    }

    /// <summary>The Fashion-MNIST sample, pointed at the repository's subset: trains, scores and writes its pictures and weights under out/.</summary>
    [Fact]
    public void FashionMnistSample_OnTheSubset_RunsAsTheReadmeSays()
    {
        var run = DotNet.Run(copy.Root, s_limit, ReadmeCommands.Arguments(ReadmeCommands.RunFashionMnistOnTheSubset));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(" and 500 test images", run.Output);   // the subset, not the full set the machine may have
        string[] lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.StartsWith("test accuracy: ", StringComparison.Ordinal) && l.Contains(" of 500)", StringComparison.Ordinal));
        foreach (string file in new[] { "FashionMnist.confusion.png", "FashionMnist.misclassified.png", "FashionMnist.safetensors" })
            Assert.True(new FileInfo(Path.Combine(copy.Root, "out", file)) is { Exists: true, Length: > 0 }, $"out/{file} was not written:\n{run.Output}");
    }

    /// <summary>Each other folder under samples/ runs with the README's command (NetGen.Samples.Tests checks their numbers).</summary>
    [Fact]
    public void EveryOtherSample_RunsAsTheReadmeSays()
    {
        // samples/data holds the data sets and their loader, a library: every other folder is a program.
        string[] samples = Directory.GetDirectories(Path.Combine(copy.Root, "samples")).Select(Path.GetFileName).Where(n => n is not "ThreeLayerMlp" and not "data").Order(StringComparer.Ordinal).ToArray()!;
        Assert.NotEmpty(samples);
        foreach (string name in samples)
        {
            var run = DotNet.Run(copy.Root, s_limit, ReadmeCommands.Arguments(ReadmeCommands.RunAnySample, ("<Name>", name)));
            Assert.True(run.ExitCode == 0, $"samples/{name}:\n{run.Output}");
            Assert.True(run.Output.Trim().Length > 0, $"samples/{name} printed nothing");
        }
    }
}
