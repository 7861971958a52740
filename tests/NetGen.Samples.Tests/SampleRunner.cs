using System;
using System.IO;
using System.Reflection;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>Tests that redirect the console run one at a time (the console is process-wide).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>Runs a sample's Program in this process, as <c>dotnet run</c> would, and returns what it printed.</summary>
public static class SampleRunner
{
    public static string Run(Assembly sample, params string[] args)
    {
        MethodInfo entryPoint = sample.EntryPoint ?? throw new InvalidOperationException($"{sample.GetName().Name} has no entry point.");
        TextWriter original = Console.Out;
        var output = new StringWriter { NewLine = "\n" };
        Console.SetOut(output);
        try
        {
            object? exitCode = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [args]);
            Assert.True(exitCode is null or 0, $"exit code {exitCode}");
        }
        finally
        {
            Console.SetOut(original);
        }
        return output.ToString();
    }

    /// <summary>Runs a sample's Program in this process and returns its exit code and what it wrote to each stream.</summary>
    public static (int ExitCode, string Output, string Error) RunCapturingErrors(Assembly sample, params string[] args)
    {
        MethodInfo entryPoint = sample.EntryPoint ?? throw new InvalidOperationException($"{sample.GetName().Name} has no entry point.");
        TextWriter originalOut = Console.Out, originalError = Console.Error;
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            object? exitCode = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [args]);
            return (exitCode as int? ?? 0, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }

    /// <summary>The one printed line that starts with <paramref name="prefix"/>.</summary>
    public static string Line(string output, string prefix)
    {
        string[] lines = Array.FindAll(output.Split('\n'), l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(lines.Length == 1, $"expected one line starting with '{prefix}', found {lines.Length} in:\n{output}");
        return lines[0];
    }
}
