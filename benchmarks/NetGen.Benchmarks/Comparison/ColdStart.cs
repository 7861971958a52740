using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The first second, measured: the cold-start probe (benchmarks/NetGen.ColdStart, the seed MLP trained as the README's
/// main job trains it) started as fresh processes, alternately with the default JIT (tiered compilation), with
/// DOTNET_TieredCompilation=0, and as a NativeAOT binary, published here once per change of its inputs. Times run from
/// just before Process.Start to the probe's own marks (both read the same monotonic clock), so they include the
/// runtime's start-up.
/// </summary>
public static class ColdStart
{
    public static ColdStartResult Measure(int processes, double? steadyStepSeconds)
    {
        var notes = new List<string>();
        string? probe = FindProbe(out string where);
        notes.Add(probe is null ? $"cold-start probe not found ({where}); build benchmarks/NetGen.ColdStart -c Release" : $"probe: {probe}");
        string? aot = PublishNativeAot(out string aotNote);
        notes.Add(aotNote);
        var configs = new List<ColdConfig> { new(ColdStartResult.Tiered, []), new(ColdStartResult.TieredOff, []) };
        if (aot is not null)
            configs.Add(new ColdConfig(ColdStartResult.NativeAot, []));
        if (probe is null)
            return new ColdStartResult(configs, notes, steadyStepSeconds);
        // Alternating, so that a burst of load from other processes spreads over every config.
        for (int p = 0; p < processes; p++)
        {
            foreach (ColdConfig config in configs)
            {
                (string path, (string, string)? variable) = config.Name switch
                {
                    ColdStartResult.NativeAot => (aot!, null),
                    ColdStartResult.TieredOff => (probe, ("DOTNET_TieredCompilation", "0")),
                    _ => (probe, ((string, string)?)null),
                };
                ColdRun? run = RunOnce(path, variable, out string problem);
                if (run is not null)
                    config.Runs.Add(run);
                else
                    notes.Add($"{config.Name}: a run failed: {problem}");
            }
        }
        return new ColdStartResult(configs, notes, steadyStepSeconds);
    }

    /// <summary>The table the parent prints, with the ratios the issue's targets are stated in.</summary>
    public static string Format(ColdStartResult result)
    {
        var text = new System.Text.StringBuilder();
        int processes = result.Configs.Max(c => c.Runs.Count);
        text.AppendLine($"=== The first second: the seed MLP trained as the README's main job, in fresh processes ({processes} of each, alternating; " +
            "median (best–worst), ms from just before the process started; JIT: ms the JIT compiled, medians)");
        var table = new TextTable("runtime", "first Forward", "step 100", "step 4000", "the 4000 steps alone", "JIT to 1st Forward", "JIT in the 4000 steps", "methods JIT'd");
        foreach (ColdConfig config in result.Configs.Where(c => c.Runs.Count > 0))
        {
            ColdRun best = config.Best, median = config.Median, worst = config.Worst;
            table.Add(config.Name, Spread(median.FirstForwardMs, best.FirstForwardMs, worst.FirstForwardMs),
                Spread(median.Step100Ms, best.Step100Ms, worst.Step100Ms), Spread(median.Step4000Ms, best.Step4000Ms, worst.Step4000Ms),
                Spread(median.TrainingMs, best.TrainingMs, worst.TrainingMs),
                $"{median.JitMsToFirstForward:0.#}", $"{median.JitMsInTraining:0.#}", $"{median.JitMethods}");
        }
        text.Append(table.ToString());
        if (result.TieredOverTieringOff is { } off)
            text.AppendLine($"the 4000 steps, tiered ÷ tiering off: {Summary.Number(off)} (medians; target ≤ 1.3)");
        if (result.TieredOverSteadySteps is { } steady)
            text.AppendLine($"the 4000 steps, tiered ÷ 4000 × the benchmark's step ({4000 * result.SteadyStepSeconds!.Value * 1e3:0.#} ms): {Summary.Number(steady)} " +
                "(median; target ≤ 1.5; the run also validates every epoch)");
        foreach (string note in result.Notes)
            text.AppendLine($"note: {note}");
        return text.ToString();
    }

    private static string Spread(double median, double best, double worst) => $"{median:0.#} ({best:0.#}–{worst:0.#})";

    /// <summary>One fresh process; null (and why) when it failed or printed something unreadable.</summary>
    private static ColdRun? RunOnce(string path, (string Name, string Value)? variable, out string problem)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (path.EndsWith(".dll", StringComparison.Ordinal))
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(path);
        }
        else
        {
            start.FileName = path;
        }
        if (variable is { } v)
            start.Environment[v.Name] = v.Value;
        try
        {
            long before = Stopwatch.GetTimestamp();
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                problem = $"exit code {process.ExitCode}: {error.Trim()}";
                return null;
            }
            return ColdProbe.Parse(output, before, Stopwatch.Frequency, out problem);
        }
        catch (Exception e) when (e is Win32Exception or IOException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>The repository's root: this program runs from benchmarks/NetGen.Benchmarks/bin/&lt;configuration&gt;/&lt;tfm&gt;/.</summary>
    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    /// <summary>The probe built next to this project (same configuration), as its apphost or, failing that, its dll.</summary>
    private static string? FindProbe(out string where)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = output.Parent?.Name ?? "Release", framework = output.Name;
        string folder = Path.Combine(RepositoryRoot, ColdProbe.ProjectFolder, "bin", configuration, framework);
        where = folder;
        string apphost = Path.Combine(folder, OperatingSystem.IsWindows() ? "NetGen.ColdStart.exe" : "NetGen.ColdStart");
        if (File.Exists(apphost))
            return apphost;
        string dll = Path.Combine(folder, "NetGen.ColdStart.dll");
        return File.Exists(dll) ? dll : null;
    }

    /// <summary>
    /// The probe's NativeAOT binary, published into bin/aot/&lt;hash of its inputs&gt;/ when no binary of these inputs
    /// exists yet (about half a minute, once); null, with the publish's own error lines in <paramref name="note"/>, when
    /// NativeAOT cannot publish here (a missing native toolchain, say).
    /// </summary>
    private static string? PublishNativeAot(out string note)
    {
        string rid = $"{(OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux")}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        string root = RepositoryRoot;
        string hash = ColdProbe.InputHash(root, rid, Environment.Version.ToString());
        string folder = Path.Combine(root, ColdProbe.ProjectFolder, "bin", "aot", hash);
        string binary = Path.Combine(folder, OperatingSystem.IsWindows() ? "NetGen.ColdStart.exe" : "NetGen.ColdStart");
        if (File.Exists(binary))
        {
            note = $"NativeAOT probe: {binary} (cached: its inputs hash to {hash})";
            return binary;
        }
        Console.WriteLine($"--- publishing the cold-start probe with NativeAOT (inputs hash {hash}; once per change of the runtime, the generator or the probe)");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "publish", Path.Combine(root, ColdProbe.ProjectFolder), "-c", "Release", "-r", rid, "-p:PublishAot=true", "-o", folder, "-nologo" })
            start.ArgumentList.Add(argument);
        try
        {
            using Process process = Process.Start(start)!;
            // Both streams are read at once, or a full stderr pipe would stall the publish.
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string problems = string.Join(" | ", (output + "\n" + error.Result).Split('\n')
                .Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(3));
            if (process.ExitCode == 0 && File.Exists(binary))
            {
                note = $"NativeAOT probe: {binary} (published now: its inputs hash to {hash})";
                return binary;
            }
            note = $"NativeAOT: cannot publish on this machine (dotnet publish exit code {process.ExitCode}): {(problems.Length > 0 ? problems : "no error lines; see dotnet publish " + ColdProbe.ProjectFolder + " -c Release -r " + rid + " -p:PublishAot=true")}";
        }
        catch (Exception e) when (e is Win32Exception or IOException)
        {
            note = $"NativeAOT: cannot publish on this machine: {e.Message}";
        }
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);   // no half-published folder may pass for a cached binary
        return null;
    }
}
