using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>The docs stand alone: every relative link in README.md and docs/ names a file of the repository.</summary>
public class ReadmeLinkTests
{
    [Fact]
    public void EveryRelativeLink_PointsToAFileOfTheRepository()
    {
        string root = DotNet.RepositoryRoot();
        string[] documents = [Path.Combine(root, "README.md"), .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md")];
        foreach (string document in documents)
        {
            foreach (string target in Readme.LinkTargets(File.ReadAllText(document)))
            {
                if (target.StartsWith('#') || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                    continue;
                string file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, target.Split('#')[0]));
                string name = Path.GetRelativePath(root, document);
                Assert.True(file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal), $"{name} links '{target}', outside the repository");
                Assert.True(File.Exists(file) || Directory.Exists(file), $"{name} links '{target}', which does not exist");
            }
        }
    }
}
