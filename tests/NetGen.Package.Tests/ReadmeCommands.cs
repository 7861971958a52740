using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Package.Tests;

/// <summary>
/// Every command README.md shows, exactly as it shows it, and who runs it. The tests that run one take its text
/// from here and replace only its placeholders (<c>&lt;folder&gt;</c>, <c>&lt;Name&gt;</c>), so what they run is
/// what the README says; <see cref="ReadmeCommandTests"/> fails on a README command missing from this table.
/// </summary>
public static class ReadmeCommands
{
    public const string RunThreeLayerMlp = "dotnet run -c Release --project samples/ThreeLayerMlp";
    public const string RunAnySample = "dotnet run -c Release --project samples/<Name>";
    public const string RunFashionMnist = "dotnet run -c Release --project samples/FashionMnist";
    public const string RunFashionMnistOnTheSubset = "dotnet run -c Release --project samples/FashionMnist -- --data samples/data/fashion-mnist-subset";
    public const string RunWaveforms = "dotnet run -c Release --project samples/Waveforms";
    public const string RunOnnxImport = "dotnet run -c Release --project samples/OnnxImport";
    public const string Test = "dotnet test";
    public const string ContinuousIntegration = ".ci/run";
    public const string PackRuntime = "dotnet pack src/Runtime -c Release -o <folder>";
    public const string PackRoot = "dotnet pack -c Release -o <folder>";

    /// <summary>A runner is a test (<c>Class.Method</c>, checked to exist) or a script of the repository that contains the command.</summary>
    public static readonly IReadOnlyDictionary<string, string> RunBy = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [RunThreeLayerMlp] = $"{nameof(ReadmeCommandTests)}.{nameof(ReadmeCommandTests.ThreeLayerMlpSample_RunsAsTheReadmeSays)}",
        [RunAnySample] = $"{nameof(ReadmeCommandTests)}.{nameof(ReadmeCommandTests.EveryOtherSample_RunsAsTheReadmeSays)}",
        // The generic command with <Name> filled in: the same words, run there.
        [RunFashionMnist] = $"{nameof(ReadmeCommandTests)}.{nameof(ReadmeCommandTests.EveryOtherSample_RunsAsTheReadmeSays)}",
        [RunWaveforms] = $"{nameof(ReadmeCommandTests)}.{nameof(ReadmeCommandTests.EveryOtherSample_RunsAsTheReadmeSays)}",
        [RunOnnxImport] = $"{nameof(ReadmeCommandTests)}.{nameof(ReadmeCommandTests.EveryOtherSample_RunsAsTheReadmeSays)}",
        [RunFashionMnistOnTheSubset] = $"{nameof(ReadmeCommandTests)}.{nameof(ReadmeCommandTests.FashionMnistSample_OnTheSubset_RunsAsTheReadmeSays)}",
        [PackRuntime] = $"{nameof(PackageTests)}.{nameof(PackageTests.ReadmePackCommand_OnACleanCopy_MakesAPackageAFreshAppBuildsAndRuns)}",
        [PackRoot] = $"{nameof(PackageTests)}.{nameof(PackageTests.RootPackCommand_OnACleanCopy_MakesTheSamePackage)}",
        // .ci/run runs it on the solution with a TRX logger added, to count the results.
        [Test] = "file:.ci/run",
        // The workplace's CI runs .ci/run itself, from a clean clone.
        [ContinuousIntegration] = "ci",
    };

    /// <summary>The command's words with its placeholders replaced.</summary>
    public static string[] Arguments(string command, params (string Placeholder, string Value)[] values)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[0] != "dotnet")
            throw new ArgumentException($"'{command}' is not a dotnet command.", nameof(command));
        string[] arguments = words.Skip(1).Select(w => values.Aggregate(w, (word, v) => word.Replace(v.Placeholder, v.Value, StringComparison.Ordinal))).ToArray();
        string? left = arguments.FirstOrDefault(a => a.Contains('<', StringComparison.Ordinal));
        if (left is not null)
            throw new ArgumentException($"'{command}': no value for the placeholder in '{left}'.", nameof(values));
        return arguments;
    }
}
