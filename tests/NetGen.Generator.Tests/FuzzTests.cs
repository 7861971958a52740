using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Thousands of seeded random declarations — valid, broken in one known rule, or with damaged text — through the
/// generator. The fuzzer classifies each one itself, so a generator that let a broken network through, or flagged
/// a valid one, fails here.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const ulong Seed = 20261123;
    private const int Declarations = 2000;
    private const int BatchSize = 100;
    private const int GradientSample = 20;

    private sealed record Case(int Index, string Text, FuzzNetwork Network, string Category, string? ExpectedError, string[] ExpectedWarnings, string Mutation, bool OldLanguage);

    private static List<Case> Cases()
    {
        var generator = new FuzzGenerator(Seed);
        var cases = new List<Case>(Declarations);
        for (int i = 0; i < Declarations; i++)
        {
            string ns = "Fuzz" + i;
            FuzzNetwork valid = generator.Valid("Net");
            // 4 in 10 valid, 5 broken in one known rule, 1 with damaged text.
            int roll = i % 10;
            if (roll >= 4 && roll <= 8 && generator.Invalid(valid) is { } invalid)
                cases.Add(new Case(i, invalid.Render(ns), invalid, "Invalid", invalid.ExpectedError, [], invalid.Mutation, invalid.OldLanguageVersion));
            else if (roll == 9)
            {
                (string text, string mutation) = generator.Garbage(valid.Render(ns));
                cases.Add(new Case(i, text, valid, "Garbage", null, [], mutation, false));
            }
            else
                cases.Add(new Case(i, valid.Render(ns), valid, "Valid", null, valid.ExpectedWarnings(), "none", false));
        }
        return cases;
    }

    [Fact]
    public void RandomDeclarations_NeverCrashTheGenerator_AndGetExactlyTheExpectedDiagnostics()
    {
        var clock = Stopwatch.StartNew();
        List<Case> cases = Cases();
        var failures = new List<string>();
        foreach (bool old in new[] { false, true })
            foreach (Case[] batch in cases.Where(c => c.OldLanguage == old).Chunk(BatchSize))
                CheckBatch(batch, old ? LanguageVersion.CSharp12 : LanguageVersion.Latest, failures);

        var counts = cases.GroupBy(c => c.Category).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{cases.Count} declarations ({string.Join(", ", counts.Select(c => c.Key + " " + c.Value))}), " +
            $"{cases.Count(c => c.Category == "Valid" && c.ExpectedWarnings.Length > 0)} valid ones with expected warnings, " +
            $"{cases.Select(c => c.ExpectedError).Where(e => e is not null).Distinct().Count()} distinct expected errors, in {clock.Elapsed.TotalSeconds:F1} s (generate {s_generate:F1} s, compile {s_compile:F1} s)");
        Assert.True(failures.Count == 0, $"{failures.Count} failures ({string.Join(", ", failures.GroupBy(f => f.Split(':')[0].Split(' ', 2)[^1]).Select(g => g.Key + " ×" + g.Count()))}); the first ones:\n"
            + string.Join("\n\n", failures.Take(5)));
        // The fuzzer must have produced every category in numbers, and broken every rule it knows.
        Assert.True(counts["Valid"] > 700 && counts["Invalid"] > 900 && counts["Garbage"] >= 200, string.Join(", ", counts));
        string[] errorIds = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .Where(d => d.DefaultSeverity == DiagnosticSeverity.Error)
            .Select(d => d.Id)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(errorIds, cases.Select(c => c.ExpectedError).OfType<string>().Distinct().OrderBy(id => id, StringComparer.Ordinal));
        // ...and every warning shows up among the valid ones.
        Assert.Equal(["NG0015", "NG0022", "NG0026"], cases.SelectMany(c => c.ExpectedWarnings).Distinct().OrderBy(id => id, StringComparer.Ordinal));
    }

    private static void CheckBatch(Case[] batch, LanguageVersion version, List<string> failures)
    {
        CSharpParseOptions options = GeneratorHarness.ParseOptions(version);
        CSharpCompilation compilation = CSharpCompilation.Create("Fuzz",
            batch.Select(c => CSharpSyntaxTree.ParseText(c.Text, options, path: $"Fuzz{c.Index}.cs")),
            GeneratorHarness.Compile([], options).References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var t = Stopwatch.StartNew();
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(options), compilation);
        s_generate += t.Elapsed.TotalSeconds;
        t.Restart();
        var compilationDiagnostics = run.CompilationDiagnostics;
        s_compile += t.Elapsed.TotalSeconds;

        GeneratorRunResult result = run.Driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
            failures.Add("The generator threw: " + result.Exception);
        foreach (Diagnostic crash in run.GeneratorDiagnostics.Where(d => d.Id is "CS8784" or "CS8785"))
            failures.Add("The generator failed: " + crash);

        var byCase = new Dictionary<int, (List<Diagnostic> Generator, List<Diagnostic> User, List<Diagnostic> Generated)>();
        foreach (Case c in batch)
            byCase[c.Index] = ([], [], []);
        foreach (Diagnostic d in run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal)))
        {
            int? index = CaseOf(d);
            if (index is null || !byCase.ContainsKey(index.Value))
                failures.Add("A NetGen diagnostic without a location in the declaring file: " + d);
            else
                byCase[index.Value].Generator.Add(d);
        }
        foreach (Diagnostic d in compilationDiagnostics)
        {
            if (CaseOf(d) is not int index || !byCase.ContainsKey(index))
            {
                failures.Add("A compiler diagnostic outside the declarations: " + d);
                continue;
            }
            bool generated = d.Location.SourceTree?.FilePath.Contains("NetGen.Generator", StringComparison.Ordinal) == true;
            (generated ? byCase[index].Generated : byCase[index].User).Add(d);
        }

        foreach (Case c in batch)
        {
            (List<Diagnostic> ng, List<Diagnostic> user, List<Diagnostic> generated) = byCase[c.Index];
            string[] ids = ng.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();
            string? problem = null;
            if (generated.Count > 0)
                problem = "the generated code does not compile: " + string.Join("; ", generated);
            else if (c.Category == "Valid" && !ids.SequenceEqual(c.ExpectedWarnings))
                problem = $"expected exactly [{string.Join(", ", c.ExpectedWarnings)}], got [{string.Join(", ", ng)}]";
            else if (c.Category == "Valid" && user.Count > 0)
                problem = "a valid declaration does not compile cleanly: " + string.Join("; ", user);
            else if (c.Category == "Valid" && !run.Sources.Any(s => s.HintName == $"Fuzz{c.Index}.Net.g.cs" && s.Text.Contains("global::NetGen.INetwork", StringComparison.Ordinal)))
                problem = "no network was generated";
            else if (c.Category == "Invalid" && !ids.Contains(c.ExpectedError))
                problem = $"expected {c.ExpectedError}, got [{string.Join(", ", ng)}]";
            // Before C# 13 a partial property is itself an error, so placeholders would only add more (see NG0017).
            else if (c.Category == "Invalid" && !c.OldLanguage && user.Any(d => d.Id == "CS9248"))
                problem = "NetGen's error drowns in CS9248: " + string.Join("; ", user.Where(d => d.Id == "CS9248"));
            if (problem is not null)
                failures.Add($"#{c.Index} {c.Category} ({c.Mutation}): {problem}\n{c.Text}");
        }
    }

    private static double s_generate, s_compile;

    private static int? CaseOf(Diagnostic diagnostic)
    {
        Match match = Regex.Match(diagnostic.Location.GetLineSpan().Path ?? "", @"Fuzz(\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }

    [Fact]
    public void RandomValidNetworks_PassTheGradientCheck()
    {
        List<Case> sample = Cases().Where(c => c.Category == "Valid").Take(GradientSample).ToList();
        CSharpCompilation compilation = GeneratorHarness.Compile(sample.Select(c => c.Text));
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        using var loader = new NetworkLoader(run.Output);
        var random = new SeededRandom(Seed);
        const int batch = 2;
        foreach (Case c in sample)
        {
            INetwork network = loader.Create($"Fuzz{c.Index}.Net", batch);
            random.FillNormal(network.Parameters, 0, 0.5);
            var inputs = new float[batch * network.InputSize];
            random.FillNormal(inputs, 0, 1);
            float[] targets = Targets(c.Network.Loss, network.OutputSize, batch, random);

            GradientCheckResult result = GradientCheck.Run(network, inputs, targets, batch);

            output.WriteLine($"#{c.Index} {c.Network.Loss}: {result}");
            Assert.Equal(network.ParameterCount + inputs.Length, result.Checked);
            Assert.True(result.Passed, $"#{c.Index}: {result}\n{c.Text}");
        }
    }

    private static float[] Targets(string loss, int size, int batch, SeededRandom random)
    {
        var targets = new float[batch * size];
        switch (loss)
        {
            case "BinaryCrossEntropy":
                for (int i = 0; i < targets.Length; i++)
                    targets[i] = random.NextDouble() < 0.5 ? 0 : 1;
                break;
            case "SoftmaxCrossEntropy":
                for (int n = 0; n < batch; n++)
                    targets[n * size + (int)(random.NextDouble() * size)] = 1;
                break;
            default:
                random.FillNormal(targets, 0, 1);
                break;
        }
        return targets;
    }
}
