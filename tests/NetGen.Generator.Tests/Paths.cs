using System.IO;
using System.Runtime.CompilerServices;

namespace NetGen.Generator.Tests;

/// <summary>Files of the repository, found from this source file's location (tests run from bin/).</summary>
public static class Paths
{
    public static string Repository(string relative, [CallerFilePath] string callerFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerFile)!, "..", "..", relative));
}
