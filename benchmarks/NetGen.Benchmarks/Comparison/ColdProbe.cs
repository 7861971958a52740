using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// What `compare` knows of the cold-start probe (benchmarks/NetGen.ColdStart) without starting it: how to read the
/// "key: value" lines it prints, and which files make its NativeAOT binary, so that the binary is published once per
/// change of them (the cache key) rather than on every run.
/// </summary>
public static class ColdProbe
{
    /// <summary>The probe's project, relative to the repository's root.</summary>
    public const string ProjectFolder = "benchmarks/NetGen.ColdStart";

    /// <summary>
    /// The folders and files whose content decides the published binary: the probe, the runtime it links, the generator
    /// that writes its network, and the build settings every project shares.
    /// </summary>
    private static readonly string[] s_inputFolders = [ProjectFolder, "src/Runtime", "src/Generator"];
    private static readonly string[] s_inputFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", "NuGet.config"];
    private static readonly string[] s_inputExtensions = [".cs", ".csproj", ".props", ".targets", ".json"];

    /// <summary>
    /// The first 16 hex digits of a SHA-256 over every input file's path (relative, '/'-separated) and bytes, in ordinal
    /// order of path, and over what else changes the machine code: the runtime identifier and the .NET version.
    /// Build output (bin/, obj/) is not an input.
    /// </summary>
    public static string InputHash(string repositoryRoot, string runtimeIdentifier, string dotnetVersion)
    {
        var paths = new List<string>();
        foreach (string folder in s_inputFolders)
        {
            string full = Path.Combine(repositoryRoot, folder);
            if (!Directory.Exists(full))
                continue;
            paths.AddRange(Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(f => s_inputExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Select(f => Relative(repositoryRoot, f))
                .Where(f => !f.Split('/').Any(part => part is "bin" or "obj")));
        }
        paths.AddRange(s_inputFiles.Where(f => File.Exists(Path.Combine(repositoryRoot, f))));
        paths.Sort(StringComparer.Ordinal);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{runtimeIdentifier}\n{dotnetVersion}\n"));
        foreach (string path in paths)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(repositoryRoot, path)));
            hash.AppendData("\n"u8);
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// One run of the probe, from its output: its Stopwatch timestamps become milliseconds since
    /// <paramref name="startedAt"/> (the parent's timestamp just before it started the process). Null, and why, when a
    /// line is missing or unreadable or the probe's clock is not the parent's.
    /// </summary>
    public static ColdRun? Parse(string output, long startedAt, long frequency, out string problem)
    {
        Dictionary<string, string> values = [];
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] pair = line.Split(": ", 2);
            if (pair.Length == 2)
                values[pair[0]] = pair[1];
        }
        string[] required = ["frequency", "first-forward", "training-start", "step-100", "step-4000", "training-end",
            "jit-ms-to-first-forward", "jit-ms-in-training", "jit-methods"];
        string? missing = required.FirstOrDefault(k => !values.ContainsKey(k));
        if (missing is not null)
        {
            problem = $"the probe printed no '{missing}:' line";
            return null;
        }
        if (!long.TryParse(values["frequency"], NumberStyles.Integer, CultureInfo.InvariantCulture, out long probeFrequency) || probeFrequency != frequency)
        {
            problem = $"the probe's clock ({values["frequency"]} ticks a second) is not this process's ({frequency})";
            return null;
        }
        var numbers = new Dictionary<string, double>();
        foreach (string key in required)
        {
            if (!double.TryParse(values[key], NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                problem = $"the probe's '{key}' is not a number: '{values[key]}'";
                return null;
            }
            numbers[key] = number;
        }
        double Since(string key, long origin) => (numbers[key] - origin) * 1e3 / frequency;
        problem = "";
        return new ColdRun(Since("first-forward", startedAt), Since("step-100", startedAt), Since("step-4000", startedAt),
            Since("training-end", (long)numbers["training-start"]),
            numbers["jit-ms-to-first-forward"], numbers["jit-ms-in-training"], (long)numbers["jit-methods"]);
    }
}
