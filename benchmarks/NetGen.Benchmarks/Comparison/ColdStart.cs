using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The first second, measured: the cold-start probe (benchmarks/NetGen.ColdStart, the seed MLP trained as the README's
/// main job trains it) started as fresh processes, alternately with the default JIT (tiered compilation), with
/// DOTNET_TieredCompilation=0, and as a NativeAOT binary when one has been published. Times run from just before
/// Process.Start to the probe's own marks (both read the same monotonic clock), so they include the runtime's start-up.
/// </summary>
public static class ColdStart
{
    public const string Tiered = "JIT, tiered (default)", TieredOff = "JIT, DOTNET_TieredCompilation=0", NativeAot = "NativeAOT";

    public static ColdStartResult Measure(int processes)
    {
        var notes = new List<string>();
        string? probe = FindProbe(out string where);
        notes.Add(probe is null ? $"cold-start probe not found ({where}); build benchmarks/NetGen.ColdStart -c Release" : $"probe: {probe}");
        string? aot = FindAot();
        notes.Add(aot is null
            ? "NativeAOT: no published probe (dotnet publish benchmarks/NetGen.ColdStart -c Release -r linux-x64 -p:PublishAot=true)"
            : $"NativeAOT probe: {aot}");
        var configs = new List<ColdConfig> { new(Tiered, []), new(TieredOff, []) };
        if (aot is not null)
            configs.Add(new ColdConfig(NativeAot, []));
        if (probe is null)
            return new ColdStartResult(configs, notes);
        // Alternating, so that a burst of load from other processes spreads over every config.
        for (int p = 0; p < processes; p++)
        {
            foreach (ColdConfig config in configs)
            {
                ColdRun? run = config.Name switch
                {
                    NativeAot => RunOnce(aot!, null, out string problem1) ?? Fail(config, problem1),
                    TieredOff => RunOnce(probe, ("DOTNET_TieredCompilation", "0"), out string problem2) ?? Fail(config, problem2),
                    _ => RunOnce(probe, null, out string problem3) ?? Fail(config, problem3),
                };
                if (run is not null)
                    config.Runs.Add(run);
            }
        }
        return new ColdStartResult(configs, notes);

        ColdRun? Fail(ColdConfig config, string problem)
        {
            notes.Add($"{config.Name}: a run failed: {problem}");
            return null;
        }
    }

    /// <summary>The table the parent prints, with the ratios the issue's targets are stated in.</summary>
    public static string Format(ColdStartResult result, double? benchmarkStepSeconds)
    {
        var text = new System.Text.StringBuilder();
        int processes = result.Configs.Max(c => c.Runs.Count);
        text.AppendLine($"=== The first second: the seed MLP trained as the README's main job, in fresh processes ({processes} of each, alternating; best / median, ms from the process's start)");
        var table = new TextTable("runtime", "first Forward", "step 100", "step 4000", "the 4000 steps alone");
        foreach (ColdConfig config in result.Configs.Where(c => c.Runs.Count > 0))
        {
            ColdRun best = config.Best, median = config.Median;
            table.Add(config.Name, Pair(best.FirstForwardMs, median.FirstForwardMs), Pair(best.Step100Ms, median.Step100Ms),
                Pair(best.Step4000Ms, median.Step4000Ms), Pair(best.TrainingMs, median.TrainingMs));
        }
        text.Append(table.ToString());
        ColdConfig? tiered = result.Configs.FirstOrDefault(c => c.Name == Tiered && c.Runs.Count > 0);
        ColdConfig? off = result.Configs.FirstOrDefault(c => c.Name == TieredOff && c.Runs.Count > 0);
        if (tiered is not null && off is not null)
            text.AppendLine($"4000 steps, tiered ÷ tiering off: {Ratio(tiered.Best.TrainingMs, off.Best.TrainingMs)} best, {Ratio(tiered.Median.TrainingMs, off.Median.TrainingMs)} median (target ≤ 1.3)");
        if (tiered is not null && benchmarkStepSeconds is { } step)
            text.AppendLine($"4000 steps, tiered ÷ 4000 × the benchmark's step ({4000 * step * 1e3:0.#} ms): {Ratio(tiered.Best.TrainingMs, 4000 * step * 1e3)} best, {Ratio(tiered.Median.TrainingMs, 4000 * step * 1e3)} median (target ≤ 1.5; the run also validates every epoch)");
        foreach (string note in result.Notes)
            text.AppendLine($"note: {note}");
        return text.ToString();
    }

    private static string Pair(double best, double median) => $"{best:0.#} / {median:0.#}";

    private static string Ratio(double a, double b) => (a / b).ToString("0.##", CultureInfo.InvariantCulture);

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
            Dictionary<string, string> values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split(": ", 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            double Ms(string key) => (long.Parse(values[key], CultureInfo.InvariantCulture) - before) * 1e3 / Stopwatch.Frequency;
            if (long.Parse(values["frequency"], CultureInfo.InvariantCulture) != Stopwatch.Frequency)
            {
                problem = "the probe's clock is not this process's";
                return null;
            }
            problem = "";
            double training = (long.Parse(values["training-end"], CultureInfo.InvariantCulture) - long.Parse(values["training-start"], CultureInfo.InvariantCulture)) * 1e3 / Stopwatch.Frequency;
            return new ColdRun(Ms("first-forward"), Ms("step-100"), Ms("step-4000"), training);
        }
        catch (Exception e) when (e is Win32Exception or IOException or KeyNotFoundException or FormatException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>The probe built next to this project (same configuration), as its apphost or, failing that, its dll.</summary>
    private static string? FindProbe(out string where)
    {
        // This program runs from benchmarks/NetGen.Benchmarks/bin/<configuration>/<tfm>/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = output.Parent?.Name ?? "Release", framework = output.Name;
        string folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "NetGen.ColdStart", "bin", configuration, framework));
        where = folder;
        string apphost = Path.Combine(folder, OperatingSystem.IsWindows() ? "NetGen.ColdStart.exe" : "NetGen.ColdStart");
        if (File.Exists(apphost))
            return apphost;
        string dll = Path.Combine(folder, "NetGen.ColdStart.dll");
        return File.Exists(dll) ? dll : null;
    }

    /// <summary>A NativeAOT build of the probe at the place `dotnet publish … -r &lt;rid&gt; -p:PublishAot=true` puts it.</summary>
    private static string? FindAot()
    {
        string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "NetGen.ColdStart", "bin", "Release"));
        string rid = $"{(OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux")}-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        string path = Path.Combine(root, "net10.0", rid, "publish", OperatingSystem.IsWindows() ? "NetGen.ColdStart.exe" : "NetGen.ColdStart");
        // The publish folder also holds the JIT build's files when PublishAot was off; a NativeAOT binary has no dll beside it.
        return File.Exists(path) && !File.Exists(Path.ChangeExtension(path, ".dll")) ? path : null;
    }
}
