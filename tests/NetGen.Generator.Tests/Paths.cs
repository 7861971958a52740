using System.IO;

namespace NetGen.Generator.Tests;

/// <summary>
/// Files of the repository. Found from the test's output folder, not from [CallerFilePath]: CI builds with
/// ContinuousIntegrationBuild, which maps source paths to "/_/", so compiled-in paths do not exist on disk.
/// </summary>
public static class Paths
{
    public static string Repository(string relative) =>
        Path.GetFullPath(Path.Combine(NetGen.Package.Tests.DotNet.RepositoryRoot(), relative));
}
