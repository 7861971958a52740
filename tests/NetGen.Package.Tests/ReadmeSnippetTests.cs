using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>
/// Each C# block of README.md (and of the package's own readme, src/Runtime/PackageReadme.md) is a whole program: it builds, with the generator, as the Program.cs of a new console
/// app (the SDK's defaults, warnings as errors) that references the clean copy's NetGen projects, and it runs.
/// </summary>
[Collection(CleanCopyCollection.Name)]
public partial class ReadmeSnippetTests(CleanCopy copy)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(5);

    /// <summary>Files a snippet reads, made here when its text names them: a README example on its own data.</summary>
    private static readonly Dictionary<string, Func<string>> s_inputFiles = new(StringComparer.Ordinal)
    {
        ["patients.csv"] = () => Csv(rows: 200, features: 8, seed: 1),
    };

    /// <summary>
    /// ONNX models a snippet imports, copied in when its text names them and listed as the project's additional files, as
    /// the README tells users to: a fixture PyTorch exported (tests/NetGen.Tests/Fixtures/Onnx/make_onnx_fixtures.py).
    /// </summary>
    private static readonly Dictionary<string, string> s_onnxModels = new(StringComparer.Ordinal)
    {
        ["classifier.onnx"] = Path.Combine("tests", "NetGen.Tests", "Fixtures", "Onnx", "dense-classifier.onnx"),
    };

    [Fact]
    public void EveryCSharpBlock_BuildsAndRuns_AsAProgramOfItsOwn()
    {
        // (document, project name, block): README.md's blocks and the package readme's, shown on the package's page.
        var blocks = new List<(string Document, string Name, Readme.CodeBlock Block)>();
        foreach (var (document, prefix) in new[] { ("README.md", "Readme"), (Path.Combine("src", "Runtime", "PackageReadme.md"), "PackageReadme") })
        {
            foreach (Readme.CodeBlock block in Readme.CodeBlocks(File.ReadAllText(Path.Combine(copy.Root, document))).Where(b => b.Language == "csharp"))
                blocks.Add((document, $"{prefix}Line{block.Line}", block));
        }
        Assert.True(blocks.Count(b => b.Document == "README.md") >= 2, "README.md has fewer C# blocks than expected");
        Assert.Contains(blocks, b => b.Name.StartsWith("PackageReadme", StringComparison.Ordinal));
        string work = copy.NewFolder("snippets");
        string runtime = Path.Combine(copy.Root, "src", "Runtime", "NetGen.Runtime.csproj");
        string generator = Path.Combine(copy.Root, "src", "Generator", "NetGen.Generator.csproj");
        var packages = XDocument.Load(Path.Combine(copy.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.Ordinal);
        var solution = new StringBuilder("<Solution>\n");
        foreach (var (document, name, block) in blocks)
        {
            string project = Path.Combine(work, name);
            Directory.CreateDirectory(project);
            File.WriteAllText(Path.Combine(project, "Program.cs"), block.Text + "\n");
            string models = "";
            foreach (var (model, fixture) in s_onnxModels)
            {
                if (!block.Text.Contains($"\"{model}\"", StringComparison.Ordinal))
                    continue;
                File.Copy(Path.Combine(copy.Root, fixture), Path.Combine(project, model));
                models += $"    <AdditionalFiles Include=\"{model}\" />\n";
            }
            // A namespace that is neither the framework's nor NetGen's must be a package the repository pins (the README names it).
            string references = string.Concat(UsingDirective().Matches(block.Text).Select(m => m.Groups[1].Value)
                .Where(ns => ns != "System" && !ns.StartsWith("System.", StringComparison.Ordinal) && ns != "NetGen")
                .Select(ns => packages.TryGetValue(ns, out string? version)
                    ? $"    <PackageReference Include=\"{ns}\" Version=\"{version}\" />\n"
                    : throw new Xunit.Sdk.XunitException($"The C# block on line {block.Line} of {document} uses {ns}, which is no package of Directory.Packages.props.")));
            File.WriteAllText(Path.Combine(project, name + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{runtime}" />
                    <ProjectReference Include="{generator}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                {references}{models}  </ItemGroup>
                </Project>
                """);
            foreach (var (file, make) in s_inputFiles)
            {
                if (block.Text.Contains($"\"{file}\"", StringComparison.Ordinal))
                    File.WriteAllText(Path.Combine(project, file), make());
            }
            solution.Append($"  <Project Path=\"{name}/{name}.csproj\" />\n");
        }
        File.WriteAllText(Path.Combine(work, "Snippets.slnx"), solution.Append("</Solution>\n").ToString());

        // One build for all of them; then each program runs from its own folder, where it reads and writes its files.
        var build = DotNet.Run(work, s_limit, "build", "Snippets.slnx", "-c", "Release");
        Assert.True(build.ExitCode == 0, $"A C# block does not build (each project is named after its document and the line its block starts on):\n{build.Output}");
        foreach (var (document, name, block) in blocks)
        {
            string project = Path.Combine(work, name);
            var run = DotNet.Run(project, s_limit, Path.Combine(project, "bin", "Release", "net10.0", name + ".dll"));
            Assert.True(run.ExitCode == 0, $"The C# block on line {block.Line} of {document} fails when run:\n{run.Output}");
            Assert.DoesNotContain("NaN", run.Output);
            SnippetOutputs.AssertLearned(document, block, run.Output);
        }
    }

    /// <summary>A header line, then <paramref name="features"/> numbers and a 0/1 label per row (label: x₀ + x₁ − x₂ &gt; 0, 10 % flipped).</summary>
    private static string Csv(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, features).Select(k => $"x{k}")) + ",label\n");
        for (int row = 0; row < rows; row++)
        {
            double[] x = Enumerable.Range(0, features).Select(_ => Math.Round(random.NextDouble() * 4 - 2, 3)).ToArray();
            bool label = x[0] + x[1] - x[2] > 0 ^ random.NextDouble() < 0.1;
            text.Append(string.Join(',', x.Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append(label ? ",1\n" : ",0\n");
        }
        return text.ToString();
    }

    [GeneratedRegex(@"^using\s+([A-Za-z_][\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    /// <summary>Every XML block is well-formed, and the package reference names the package and version that pack makes.</summary>
    [Fact]
    public void PackageReferenceBlock_NamesThePackageAndItsVersion()
    {
        XElement[] fragments = Readme.CodeBlocks(Readme.Text(copy.Root)).Where(b => b.Language == "xml").Select(b => XElement.Parse(b.Text)).ToArray();
        XElement reference = fragments.SelectMany(f => f.Elements("PackageReference")).Single();
        string version = XDocument.Load(Path.Combine(copy.Root, "Directory.Build.props")).Descendants("Version").Single().Value;
        Assert.Equal(("NetGen", version), ((string)reference.Attribute("Include")!, (string)reference.Attribute("Version")!));
    }
}
