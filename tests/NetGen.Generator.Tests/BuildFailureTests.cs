using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Package.Tests;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The promise end to end: `dotnet build` of a project whose network adds sizes 5 and 7 fails with NG0004 in the
/// user's file, at the offending argument, and with nothing else (no CS9248 cascade).
/// </summary>
public class BuildFailureTests
{
    private const string Network = """
        using NetGen;

        namespace Broken;

        [Network]
        public partial class Residual
        {
            [Input(5)]                  public partial Node X { get; }
            [Dense(7)]                  public partial Node Z { get; }
            [Add(nameof(X), nameof(Z))] public partial Node H { get; }
        }
        """;

    [Fact]
    public void DotnetBuild_OfAnAddOfSizes5And7_FailsWithNG0004InTheUsersFile()
    {
        // The generator and runtime this test project was built with (both are copied next to it), used as a
        // consumer would: the runtime as a reference, the generator as an analyzer. No rebuild of the repository.
        string bin = AppContext.BaseDirectory;
        string work = Path.Combine(Path.GetTempPath(), $"netgen-broken-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            File.WriteAllText(Path.Combine(work, "Broken.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="NetGen.Runtime" HintPath="{Path.Combine(bin, "NetGen.Runtime.dll")}" />
                    <Reference Include="System.Numerics.Tensors" HintPath="{Path.Combine(bin, "System.Numerics.Tensors.dll")}" />
                    <Analyzer Include="{Path.Combine(bin, "NetGen.Generator.dll")}" />
                  </ItemGroup>
                </Project>
                """);
            string file = Path.Combine(work, "Residual.cs");
            File.WriteAllText(file, Network);

            var build = DotNet.Run(work, TimeSpan.FromMinutes(3), "build", "--disable-build-servers", "-nodeReuse:false");

            Assert.True(build.ExitCode != 0, "the build succeeded:\n" + build.Output);
            // MSBuild's canonical error format: file(line,column): error ID: message [project]
            string expected = $"{file}(10,21): error NG0004: 'H' adds 'X' (5) and 'Z' (7); Add needs inputs of equal size";
            Assert.True(build.Output.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in:\n{build.Output}");
            string[] errorIds = Regex.Matches(build.Output, @": error (\w+):").Select(m => m.Groups[1].Value).Distinct().ToArray();
            Assert.Equal(["NG0004"], errorIds);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
