using System;
using System.IO;
using NetGen.Benchmarks.Comparison;
using Xunit;

namespace NetGen.Benchmarks.Tests;

/// <summary>How `compare` reads the cold-start probe's lines, and when it publishes the probe's NativeAOT binary again.</summary>
public sealed class ColdProbeTests : IDisposable
{
    /// <summary>
    /// A probe's output as benchmarks/NetGen.ColdStart prints it, with a 1 GHz clock: started at 1,000,000,000 (the
    /// parent's "before"), first answer 40 ms later, training from 60 ms to 250 ms.
    /// </summary>
    private const string Output = """
        frequency: 1000000000
        main: 1020000000
        first-forward: 1040000000
        first-output: 0.123
        training-start: 1060000000
        step-100: 1080500000
        step-4000: 1249000000
        training-end: 1250000000
        validation-loss: 0.5
        jit-ms-to-first-forward: 12.5
        jit-methods-to-first-forward: 300
        jit-ms-in-training: 3.25
        jit-methods: 420
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"netgen-coldprobe-{Guid.NewGuid():N}");

    [Fact]
    public void The_probes_lines_become_milliseconds_from_just_before_it_started()
    {
        ColdRun run = ColdProbe.Parse(Output, startedAt: 1_000_000_000, frequency: 1_000_000_000, out string problem)!;
        Assert.Equal("", problem);
        Assert.Equal(new ColdRun(40, 80.5, 249, 190, 12.5, 3.25, 420), run);
    }

    [Fact]
    public void A_missing_line_or_another_clock_is_refused_with_the_reason()
    {
        Assert.Null(ColdProbe.Parse(Output.Replace("step-4000: 1249000000\n", ""), 1_000_000_000, 1_000_000_000, out string missing));
        Assert.Equal("the probe printed no 'step-4000:' line", missing);
        Assert.Null(ColdProbe.Parse(Output, 1_000_000_000, 10_000_000, out string clock));
        Assert.Contains("clock", clock);
        Assert.Null(ColdProbe.Parse(Output.Replace("jit-methods: 420", "jit-methods: many"), 1_000_000_000, 1_000_000_000, out string number));
        Assert.Equal("the probe's 'jit-methods' is not a number: 'many'", number);
    }

    [Fact]
    public void The_native_binary_is_published_again_exactly_when_an_input_changes()
    {
        Write("src/Runtime/Kernel.cs", "class A {}");
        Write("src/Generator/Emit.cs", "class B {}");
        Write("benchmarks/NetGen.ColdStart/Program.cs", "return 0;");
        Write("Directory.Build.props", "<Project />");
        string first = ColdProbe.InputHash(_root, "linux-x64", "10.0.12");
        Assert.Matches("^[0-9a-f]{16}$", first);

        // Build output, other projects and unrelated files are not inputs.
        Write("src/Runtime/obj/Release/Kernel.g.cs", "class Generated {}");
        Write("src/Runtime/bin/Release/NetGen.Runtime.xml", "<doc />");
        Write("benchmarks/NetGen.ColdStart/bin/aot/0123/NetGen.ColdStart.json", "{}");
        Write("tests/NetGen.Tests/Test.cs", "class T {}");
        Write("src/Runtime/notes.txt", "text");
        Assert.Equal(first, ColdProbe.InputHash(_root, "linux-x64", "10.0.12"));

        // A changed source, a new one, the machine or the runtime each make another binary.
        Write("src/Runtime/Kernel.cs", "class A { }");
        string edited = ColdProbe.InputHash(_root, "linux-x64", "10.0.12");
        Assert.NotEqual(first, edited);
        Write("src/Generator/Layers/New.cs", "class C {}");
        string added = ColdProbe.InputHash(_root, "linux-x64", "10.0.12");
        Assert.NotEqual(edited, added);
        Assert.NotEqual(added, ColdProbe.InputHash(_root, "linux-arm64", "10.0.12"));
        Assert.NotEqual(added, ColdProbe.InputHash(_root, "linux-x64", "10.0.13"));
        Write("Directory.Build.props", "<Project><PropertyGroup /></Project>");
        Assert.NotEqual(added, ColdProbe.InputHash(_root, "linux-x64", "10.0.12"));
    }

    [Fact]
    public void The_hash_does_not_depend_on_the_order_files_were_written_in()
    {
        Write("src/Runtime/B.cs", "b");
        Write("src/Runtime/A.cs", "a");
        string one = ColdProbe.InputHash(_root, "linux-x64", "10.0.12");
        Directory.Delete(_root, recursive: true);
        Write("src/Runtime/A.cs", "a");
        Write("src/Runtime/B.cs", "b");
        Assert.Equal(one, ColdProbe.InputHash(_root, "linux-x64", "10.0.12"));
        // The same bytes under another name are another input.
        Directory.Delete(_root, recursive: true);
        Write("src/Runtime/A.cs", "b");
        Write("src/Runtime/B.cs", "a");
        Assert.NotEqual(one, ColdProbe.InputHash(_root, "linux-x64", "10.0.12"));
    }

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
