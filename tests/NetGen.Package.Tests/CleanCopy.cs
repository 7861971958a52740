using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>
/// A copy of the repository as a fresh clone of the working tree would be: every file git tracks or would track
/// (tracked files plus untracked ones that .gitignore does not exclude), with no bin/, obj/ or out/ of earlier builds.
/// The README's commands run here, as written, so a command that only works in a built tree fails.
/// </summary>
public sealed class CleanCopy : IDisposable
{
    public CleanCopy()
    {
        string source = DotNet.RepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), $"netgen-clean-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        string listing = Git(source, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        foreach (string file in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            string from = Path.Combine(source, file);
            if (!File.Exists(from))
                continue; // deleted in the working tree but not yet in the index: a clone of the next commit lacks it too
            string to = Path.Combine(Root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
        }
        Assert.True(File.Exists(Path.Combine(Root, "NetGen.sln")), $"the copy in {Root} has no NetGen.sln");
    }

    /// <summary>The copy's root folder (it holds NetGen.sln and README.md).</summary>
    public string Root { get; }

    /// <summary>A fresh folder inside the copy's temporary area, outside the repository tree.</summary>
    public string NewFolder(string name)
    {
        string folder = Path.Combine(Root + "-work", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (string folder in new[] { Root, Root + "-work" })
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Git(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process git = Process.Start(start)!;
        string output = git.StandardOutput.ReadToEnd();
        string error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)} failed in {workingDirectory}: {error}");
        return output;
    }
}

/// <summary>Tests that build inside the one clean copy run one after another (two builds of one tree would collide).</summary>
[CollectionDefinition(Name)]
public sealed class CleanCopyCollection : ICollectionFixture<CleanCopy>
{
    public const string Name = "clean copy";
}
