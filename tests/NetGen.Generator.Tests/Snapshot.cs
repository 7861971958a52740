using System.IO;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Compares text with a checked-in <c>Snapshots/{name}.verified.cs</c>. On a mismatch (or when the file is missing)
/// it writes <c>{name}.received.cs</c> beside it and fails: review the diff, then rename received to verified.
/// </summary>
public static class Snapshot
{
    public static void Match(string actual, string name)
    {
        string folder = Paths.Repository(Path.Combine("tests", "NetGen.Generator.Tests", "Snapshots"));
        string verified = Path.Combine(folder, name + ".verified.cs");
        string received = Path.Combine(folder, name + ".received.cs");
        string normalized = actual.Replace("\r\n", "\n");
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == normalized)
        {
            File.Delete(received);
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(received, normalized);
        Assert.Fail(File.Exists(verified)
            ? $"The generated code differs from {verified}. The new output is in {received}: diff them, and if the change is intended, replace the verified file."
            : $"No snapshot {verified} yet. The output is in {received}: review it and rename it to .verified.cs.");
    }
}
