using System.IO;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>What the report says about the machine (Linux's /proc; "unknown" elsewhere).</summary>
public static class Machine
{
    public static string CpuName() =>
        Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    public static string LoadAverage() => Read("/proc/loadavg")?.Split(' ').Take(3) is { } parts ? string.Join(" ", parts) : "unknown";

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (System.UnauthorizedAccessException) { return null; }
    }
}
