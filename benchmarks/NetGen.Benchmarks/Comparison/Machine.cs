using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Comparison;

/// <summary>What the report says about the machine, as Linux reports it (/proc/cpuinfo, sysfs); "unknown" elsewhere.</summary>
public static class Machine
{
    /// <summary>The lines of the report's header: CPU, vector ISA flags, caches, runtime.</summary>
    public static IEnumerable<string> Describe()
    {
        string[] cpuinfo = Read("/proc/cpuinfo")?.Split('\n') ?? [];
        string Field(string name) => cpuinfo.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        HashSet<string> flags = [.. Field("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        yield return $"cpu: {Field("model name")} (family {Field("cpu family")}, model {Field("model")}), {Environment.ProcessorCount} logical cores, "
            + $"{RuntimeInformation.OSArchitecture}, {RuntimeInformation.OSDescription}";
        if (flags.Count > 0)
            yield return "vector flags: " + string.Join(", ", new[] { "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl" }.Select(f => $"{f} {(flags.Contains(f) ? "yes" : "no")}"));
        yield return $"caches (cpu0): {Caches()}";
        yield return $"runtime: .NET {Environment.Version}; DOTNET_TieredPGO {Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "default (on)"}";
    }

    public static string LoadAverage() => Read("/proc/loadavg")?.Split(' ').Take(3) is { } parts ? string.Join(" ", parts) : "unknown";

    private static string Caches()
    {
        var caches = new List<string>();
        for (int index = 0; index < 8; index++)
        {
            string folder = $"/sys/devices/system/cpu/cpu0/cache/index{index}";
            string? level = Read(Path.Combine(folder, "level"))?.Trim(), type = Read(Path.Combine(folder, "type"))?.Trim(), size = Read(Path.Combine(folder, "size"))?.Trim();
            if (level is null || type is null || size is null)
                break;
            string kind = type switch { "Data" => "d", "Instruction" => "i", _ => "" };
            caches.Add($"L{level}{kind} {size}");
        }
        return caches.Count == 0 ? "unknown" : string.Join(", ", caches);
    }

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
