using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>
/// Each C# block of README.md is a whole program: it builds, with the generator, as the Program.cs of a new console
/// app (the SDK's defaults, warnings as errors) that references the clean copy's NetGen projects, and it runs.
/// </summary>
[Collection(CleanCopyCollection.Name)]
public class ReadmeSnippetTests(CleanCopy copy)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(5);

    [Fact]
    public void EveryCSharpBlock_BuildsAndRuns_AsAProgramOfItsOwn()
    {
        Readme.CodeBlock[] blocks = Readme.CodeBlocks(Readme.Text(copy.Root)).Where(b => b.Language == "csharp").ToArray();
        Assert.True(blocks.Length >= 2, "README.md has fewer C# blocks than expected");
        string work = copy.NewFolder("snippets");
        string runtime = Path.Combine(copy.Root, "src", "Runtime", "NetGen.Runtime.csproj");
        string generator = Path.Combine(copy.Root, "src", "Generator", "NetGen.Generator.csproj");
        foreach (Readme.CodeBlock block in blocks)
        {
            string project = Path.Combine(work, $"Line{block.Line}");
            Directory.CreateDirectory(project);
            File.WriteAllText(Path.Combine(project, "Program.cs"), block.Text + "\n");
            File.WriteAllText(Path.Combine(project, $"Line{block.Line}.csproj"), $"""
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
                  </ItemGroup>
                </Project>
                """);
            var build = DotNet.Run(project, s_limit, "build", "-c", "Release");
            Assert.True(build.ExitCode == 0, $"The C# block on line {block.Line} of README.md does not build:\n{build.Output}");
            var run = DotNet.Run(project, s_limit, "run", "-c", "Release", "--no-build");
            Assert.True(run.ExitCode == 0, $"The C# block on line {block.Line} of README.md fails when run:\n{run.Output}");
        }
    }

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
