using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>
/// The NuGet path end to end, as the README tells it: its pack command, run as written in a clean copy of the
/// repository, makes NetGen.&lt;version&gt;.nupkg, and a brand-new consumer project, restored from that folder as a
/// feed with no ProjectReference, builds (the generator runs from the package), trains, saves and reloads weights,
/// and prints numbers checked here.
/// </summary>
[Collection(CleanCopyCollection.Name)]
public class PackageTests(CleanCopy copy)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(5);

    [Fact]
    public void ReadmePackCommand_OnACleanCopy_MakesAPackageAFreshAppBuildsAndRuns()
    {
        string work = copy.NewFolder("package");
        string feed = Path.Combine(work, "feed");
        var pack = DotNet.Run(copy.Root, s_limit, ReadmeCommands.Arguments(ReadmeCommands.PackRuntime, ("<folder>", feed)));
        Assert.True(pack.ExitCode == 0, pack.Output);
        string version = AssertPackages(feed);

        string consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(consumer);
        string template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.Copy(Path.Combine(template, "Program.cs"), Path.Combine(consumer, "Program.cs"));
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"),
            File.ReadAllText(Path.Combine(template, "Consumer.csproj.template")).Replace("$NETGEN_VERSION$", version));
        // A packages folder of the consumer's own: no NetGen of that version extracted by an earlier run is reused.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"),
            File.ReadAllText(Path.Combine(template, "nuget.config.template")).Replace("$FEED$", feed).Replace("$PACKAGES$", Path.Combine(work, "packages")));

        var build = DotNet.Run(consumer, s_limit, "build", "-c", "Release");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(Directory.Exists(Path.Combine(work, "packages", "netgen", version)), "NetGen was not restored from the local feed");

        var run = DotNet.Run(consumer, s_limit, "run", "-c", "Release", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("parameters 33", lines);                    // (2·8 + 8) + (8·1 + 1), a constant the generator wrote
        Assert.Contains("xor 0 1 1 0", lines);                      // it learned XOR
        Assert.Contains("reloaded identical True", lines);          // the safetensors round trip is exact
        Assert.Contains("tensors H.weight[8,2] H.bias[8] Y.weight[1,8] Y.bias[1]", lines);
        float loss = float.Parse(lines.Single(l => l.StartsWith("loss ", StringComparison.Ordinal))[5..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(loss, 0f, 1e-3f);
        Assert.True(File.Exists(Path.Combine(consumer, "xor.safetensors")));
    }

    /// <summary>Packing the solution packs the one packable project, with the same layout.</summary>
    [Fact]
    public void RootPackCommand_OnACleanCopy_MakesTheSamePackage()
    {
        string feed = Path.Combine(copy.NewFolder("root-pack"), "feed");
        var pack = DotNet.Run(copy.Root, s_limit, ReadmeCommands.Arguments(ReadmeCommands.PackRoot, ("<folder>", feed)));
        Assert.True(pack.ExitCode == 0, pack.Output);
        AssertPackages(feed);
    }

    /// <summary>The folder holds NetGen.&lt;version&gt;.nupkg (laid out as below) and its .snupkg, nothing else; returns the version.</summary>
    private static string AssertPackages(string feed)
    {
        string[] files = Directory.GetFiles(feed).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
        Assert.True(files.Length == 2 && files[0]!.EndsWith(".nupkg", StringComparison.Ordinal), $"expected a .nupkg and a .snupkg, found: {string.Join(", ", files)}");
        string version = Path.GetFileNameWithoutExtension(files[0])!["NetGen.".Length..];
        Assert.Equal($"NetGen.{version}.snupkg", files[1]);
        AssertPackageLayout(Path.Combine(feed, files[0]!), version);
        return version;
    }

    /// <summary>The generator is an analyzer (never a lib), the runtime a lib, System.Numerics.Tensors the one dependency.</summary>
    private static void AssertPackageLayout(string package, string version)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        string[] files = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("package/", StringComparison.Ordinal) && !n.StartsWith("_rels/", StringComparison.Ordinal) && n != "[Content_Types].xml").OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(
        [
            "LICENSE",
            "NetGen.nuspec",
            "README.md",
            "analyzers/dotnet/cs/NetGen.Generator.dll",
            "lib/net10.0/NetGen.Runtime.dll",
            "lib/net10.0/NetGen.Runtime.xml",
        ], files);

        using Stream nuspecStream = zip.GetEntry("NetGen.nuspec")!.Open();
        XElement metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("NetGen", Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Contains("source-generator", Field("tags"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: (string)e.Attribute("id")!, Group: (string?)e.Parent!.Attribute("targetFramework"))).ToArray();
        Assert.Equal([("System.Numerics.Tensors", (string?)"net10.0")], dependencies);
    }
}
