using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Naming;
using NetGen.Generator.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Ten thousand seeded random declarations through the generator: valid ones, ones broken in one known rule, damaged
/// text, hard names (keywords, unicode, the names of generated locals) in namespace, class and nodes, every generated
/// name as a node or member name, operands named twice, user constructors and members, and networks split over two or
/// three partial files, each run under every order of file names. The fuzzer classifies each declaration itself, so a
/// generator that lets a broken network through, flags a valid one, throws, writes code that does not compile, or
/// changes its output with the file names, fails here.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const ulong Seed = 20261123;
    private const int Declarations = 10_000;
    private const int BatchSize = 125;
    private const int GradientSample = 20;

    /// <summary>File names for the parts of a split network; every permutation of them is tried.</summary>
    private static readonly string[] s_partFileNames = ["Net.cs", "Net.Head.cs", "A/Zeta.cs"];

    /// <param name="Files">One text per partial declaration (one for most cases).</param>
    /// <param name="Exact">Whether the errors must be exactly <see cref="ExpectedError"/> (else: it must be among them).</param>
    private sealed record Case(int Index, List<string> Files, FuzzNetwork Network, string Category, string? ExpectedError, string[] ExpectedWarnings,
        string Mutation, bool OldLanguage, bool Exact)
    {
        public bool ExpectsCode => Category is "Valid" or "Names" or "Split";

        public string Text => string.Join("\n// ---- next file ----\n", Files);
    }

    private static List<Case> Cases()
    {
        var generator = new FuzzGenerator(Seed);
        string[] classMembers = GeneratedNames.ClassMembers.Select(m => m.Name).ToArray();
        var cases = new List<Case>(Declarations);
        int reserved = 0;
        for (int i = 0; i < Declarations; i++)
        {
            string ns = "Fuzz" + i;
            FuzzNetwork valid = generator.Valid("Net");
            Case Of(FuzzNetwork n, bool exact = false) => new(i, n.RenderParts(ns), n, n.Category, n.ExpectedError,
                n.ExpectedError is null ? n.ExpectedWarnings() : [], n.Mutation, n.OldLanguageVersion, exact);
            // Per 50: 3 valid, 3 with hard names, 3 split over files, 1 with members of the user's own, 5 damaged,
            // 6 with a generated name taken, 29 broken in one rule. Valid networks cost the most (their generated code is
            // compiled), broken ones little (placeholders only).
            switch (i % 50)
            {
                case < 3:
                    cases.Add(Of(valid));
                    break;
                case < 6:
                    cases.Add(Of(generator.Names(valid)));
                    break;
                case < 9 when valid.Nodes.Count >= 3:
                    bool broken = i % 150 < 50;
                    cases.Add(Of(generator.Split(valid, valid.Nodes.Count >= 4 && i % 100 >= 50 ? 3 : 2, broken), exact: broken));
                    break;
                case 9:
                    cases.Add(Of(generator.UserMembers(valid)));
                    break;
                case < 15:
                    (string text, string mutation) = generator.Garbage(valid.Render(ns));
                    cases.Add(new Case(i, [text], valid, "Garbage", null, [], mutation, false, false));
                    break;
                case < 21 when generator.Reserved(valid, classMembers, reserved++) is { } collision:
                    cases.Add(Of(collision, exact: true));
                    break;
                default:
                    if (generator.Invalid(valid) is { } invalid)
                        cases.Add(Of(invalid, invalid.Mutation is "ImplicitAcrossParts" or "MemberCollision" or "UserConstructor"));
                    else
                        cases.Add(Of(valid));
                    break;
            }
        }
        return cases;
    }

    [Fact]
    public void RandomDeclarations_NeverCrashTheGenerator_AndGetExactlyTheExpectedDiagnostics()
    {
        var clock = Stopwatch.StartNew();
        List<Case> cases = Cases();
        var failures = new ConcurrentQueue<string>();
        // A batch shares one compilation; split networks are batched by their number of files, since each batch of
        // them runs once per permutation of file names. Damaged declarations are batched apart: the compiler's recovery
        // from a damaged file can declare things in the global namespace (a lost '}' in "[Network(Loss = Loss.Bin}…"
        // ends the namespace early), which would change how the other files of the batch bind. Two workers: the cores.
        List<(Case[] Batch, LanguageVersion Version)> batches = cases
            .GroupBy(c => (c.OldLanguage, c.Files.Count, c.Category == "Garbage"))
            .SelectMany(g => g.Chunk(BatchSize).Select(b => (b, g.Key.OldLanguage ? LanguageVersion.CSharp12 : LanguageVersion.Latest)))
            .ToList();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            b => CheckBatch(b.Batch, b.Version, failures));

        var counts = cases.GroupBy(c => c.Category).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{cases.Count} declarations ({string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + " " + c.Value))}), "
            + $"{cases.Count(c => c.Files.Count == 2)} over 2 files (2 orders each), {cases.Count(c => c.Files.Count == 3)} over 3 files (6 orders each), "
            + $"{cases.Count(c => c.ExpectsCode && c.ExpectedWarnings.Length > 0)} valid ones with expected warnings, "
            + $"{cases.Select(c => c.ExpectedError).Where(e => e is not null).Distinct().Count()} distinct expected errors; "
            + $"{clock.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores (CPU time: generate {Seconds(s_generateTicks):F1} s, compile {Seconds(s_compileTicks):F1} s)");
        Assert.True(failures.IsEmpty, $"{failures.Count} failures ({string.Join(", ", failures.GroupBy(Kind).Select(g => g.Key + " ×" + g.Count()))}); the first of each kind:\n"
            + string.Join("\n\n", failures.GroupBy(Kind).Select(g => g.First())));

        // Every family in numbers, every rule broken, every warning seen.
        Assert.True(counts["Valid"] > 800 && counts["Invalid"] > 6500 && counts["Garbage"] >= 1000 && counts["Names"] >= 600 && counts["Split"] > 300,
            string.Join(", ", counts));
        string[] errorIds = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
            .Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>()
            .Where(d => d.DefaultSeverity == DiagnosticSeverity.Error)
            .Select(d => d.Id)
            // The import's errors are about .onnx files, which these declarations have none of: OnnxDiagnosticTests
            // breaks each rule, and its corrupt-file test is the import's fuzzing.
            .Where(id => !s_importErrors.Contains(id))
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(errorIds, cases.Select(c => c.ExpectedError).OfType<string>().Distinct().OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(["NG0015", "NG0022", "NG0026"], cases.SelectMany(c => c.ExpectedWarnings).Distinct().OrderBy(id => id, StringComparer.Ordinal));
        // Batch normalisations are among the valid declarations (and NG0033/NG0034 among the broken ones, above).
        Assert.Contains(cases, c => c.Category == "Valid" && c.Network.Nodes.Any(n => n.Kind == "BatchNorm"));
        // Every class-level generated name was tried as a node or member name.
        Assert.All(GeneratedNames.ClassMembers, m => Assert.Contains(cases, c => c.Mutation.EndsWith(" named " + m.Name, StringComparison.Ordinal)));
    }

    private static readonly string[] s_importErrors = ["NG0035", "NG0036", "NG0037", "NG0038", "NG0039", "NG0040"];

    /// <summary>"Valid: the generated code does not compile" from "#12 Valid (mutation): the generated code does not compile: …".</summary>
    private static string Kind(string failure)
    {
        Match match = Regex.Match(failure, @"^#\d+ (\w+) \((.*?)\): ([^:\n]*)");
        return match.Success ? match.Groups[1].Value + ": " + match.Groups[3].Value : failure.Split(':')[0];
    }

    private static long s_generateTicks, s_compileTicks;

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static IEnumerable<int[]> Permutations(int n) =>
        n == 1 ? [[0]] : Permutations(n - 1).SelectMany(p => Enumerable.Range(0, n).Select(i => p.Take(i).Append(n - 1).Concat(p.Skip(i)).ToArray()));

    /// <summary>The batch's files under one arrangement of file names; the compiler reads them in path order, as MSBuild's globs give them.</summary>
    private static (CSharpCompilation Compilation, Dictionary<string, int> PartOfPath) Compile(Case[] batch, int[] arrangement, CSharpParseOptions options)
    {
        var partOfPath = new Dictionary<string, int>(StringComparer.Ordinal);
        var trees = new List<SyntaxTree>();
        foreach (Case c in batch)
            for (int part = 0; part < c.Files.Count; part++)
            {
                string path = c.Files.Count == 1 ? $"Fuzz{c.Index}.cs" : $"Fuzz{c.Index}/{s_partFileNames[arrangement[part]]}";
                partOfPath[path] = part;
                trees.Add(CSharpSyntaxTree.ParseText(c.Files[part], options, path: path));
            }
        trees.Sort((a, b) => string.CompareOrdinal(a.FilePath, b.FilePath));
        var compilation = CSharpCompilation.Create("Fuzz", trees, GeneratorHarness.Compile([], options).References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return (compilation, partOfPath);
    }

    private static (GeneratorDriverRunResult Result, Compilation Output, Diagnostic[] Diagnostics) Generate(CSharpCompilation compilation, CSharpParseOptions options)
    {
        long start = Stopwatch.GetTimestamp();
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var diagnostics);
        Interlocked.Add(ref s_generateTicks, Stopwatch.GetTimestamp() - start);
        return (driver.GetRunResult(), output, diagnostics.ToArray());
    }

    private static void CheckBatch(Case[] batch, LanguageVersion version, ConcurrentQueue<string> failures)
    {
        CSharpParseOptions options = GeneratorHarness.ParseOptions(version);
        int parts = batch[0].Files.Count;
        int[][] arrangements = Permutations(parts).ToArray();
        (CSharpCompilation compilation, Dictionary<string, int> partOfPath) = Compile(batch, arrangements[0], options);
        (GeneratorDriverRunResult result, Compilation generated, Diagnostic[] generatorDiagnostics) = Generate(compilation, options);
        long start = Stopwatch.GetTimestamp();
        Diagnostic[] compilationDiagnostics = generated.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Interlocked.Add(ref s_compileTicks, Stopwatch.GetTimestamp() - start);

        if (result.Results.Single().Exception is { } exception)
            failures.Enqueue("The generator threw: " + exception);
        foreach (Diagnostic crash in generatorDiagnostics.Where(d => d.Id is "CS8784" or "CS8785"))
            failures.Enqueue("The generator failed: " + crash);

        Dictionary<int, string> signatures = Signatures(batch, result, generatorDiagnostics, partOfPath, compilation, failures);
        var user = batch.ToDictionary(c => c.Index, _ => new List<Diagnostic>());
        var inGenerated = batch.ToDictionary(c => c.Index, _ => new List<Diagnostic>());
        foreach (Diagnostic d in compilationDiagnostics)
        {
            if (CaseOf(d) is not int index || !user.ContainsKey(index))
            {
                failures.Enqueue("A compiler diagnostic outside the declarations: " + d);
                continue;
            }
            bool isGenerated = d.Location.SourceTree?.FilePath.Contains("NetGen.Generator", StringComparison.Ordinal) == true;
            // Before C# 13 every 'partial' on a property is CS8703, the placeholders' too; the only fix is NG0017's.
            if (isGenerated && d.Id == "CS8703" && version < LanguageVersion.CSharp13)
                continue;
            (isGenerated ? inGenerated : user)[index].Add(d);
        }

        foreach (Case c in batch)
        {
            Diagnostic[] ng = generatorDiagnostics.Where(d => CaseOf(d) == c.Index && d.Id.StartsWith("NG", StringComparison.Ordinal)).ToArray();
            string[] ids = ng.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();
            string[] errors = ng.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ToArray();
            string? problem = null;
            if (inGenerated[c.Index].Count > 0)
                problem = "the generated code does not compile: " + string.Join("; ", inGenerated[c.Index]);
            else if (c.ExpectsCode && !ids.SequenceEqual(c.ExpectedWarnings))
                problem = $"expected exactly [{string.Join(", ", c.ExpectedWarnings)}], got [{string.Join(", ", ng.Select(d => d.ToString()))}]";
            else if (c.ExpectsCode && user[c.Index].Count > 0)
                problem = "a valid declaration does not compile cleanly: " + string.Join("; ", user[c.Index]);
            else if (c.ExpectsCode && !result.Results.Single().GeneratedSources.Any(s => s.HintName.StartsWith($"Fuzz{c.Index}.", StringComparison.Ordinal)
                                                                    && s.SourceText.ToString().Contains("global::NetGen.INetwork", StringComparison.Ordinal)))
                problem = "no network was generated";
            else if (c.Category == "Invalid" && (c.Exact ? !errors.SequenceEqual([c.ExpectedError!]) : !ids.Contains(c.ExpectedError)))
                problem = $"expected {(c.Exact ? "exactly " : "")}{c.ExpectedError}, got [{string.Join(", ", ng.Select(d => d.ToString()))}]";
            // Before C# 13 too: the placeholders turn each CS9248 into the CS8703 that NG0017's fix also removes.
            else if (c.Category == "Invalid" && user[c.Index].Any(d => d.Id == "CS9248"))
                problem = "NetGen's error drowns in CS9248: " + string.Join("; ", user[c.Index].Where(d => d.Id == "CS9248"));
            if (problem is not null)
                failures.Enqueue($"#{c.Index} {c.Category} ({c.Mutation}): {problem}\n{c.Text}");
        }

        // The same code and the same diagnostics whatever the files are called (and so whatever order they are read in).
        foreach (int[] arrangement in arrangements.Skip(1))
        {
            (CSharpCompilation permuted, Dictionary<string, int> permutedParts) = Compile(batch, arrangement, options);
            (GeneratorDriverRunResult permutedResult, _, Diagnostic[] permutedDiagnostics) = Generate(permuted, options);
            Dictionary<int, string> again = Signatures(batch, permutedResult, permutedDiagnostics, permutedParts, permuted, failures);
            foreach (Case c in batch)
                if (again[c.Index] != signatures[c.Index])
                    failures.Enqueue($"#{c.Index} {c.Category} ({c.Mutation}): file names {string.Join(", ", arrangement.Select(a => s_partFileNames[a]))} change the result:\n"
                        + $"{signatures[c.Index]}\n---- became ----\n{again[c.Index]}\n{c.Text}");
        }
    }

    /// <summary>Per case: its generated files and its NetGen diagnostics (ID, message, the text and the part they point at).</summary>
    private static Dictionary<int, string> Signatures(Case[] batch, GeneratorDriverRunResult result, Diagnostic[] diagnostics, Dictionary<string, int> partOfPath,
        Compilation compilation, ConcurrentQueue<string> failures)
    {
        var signatures = batch.ToDictionary(c => c.Index, _ => new List<string>());
        foreach (Diagnostic d in diagnostics.Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal)))
        {
            string path = d.Location.GetLineSpan().Path ?? "";
            if (CaseOf(d) is not int index || !signatures.ContainsKey(index) || !partOfPath.TryGetValue(path, out int part))
            {
                failures.Enqueue("A NetGen diagnostic without a location in the declaring files: " + d);
                continue;
            }
            string at = compilation.SyntaxTrees.Single(t => t.FilePath == path).GetText().ToString(d.Location.SourceSpan);
            signatures[index].Add($"{d.Id} in part {part} at '{at}': {d.GetMessage(CultureInfo.InvariantCulture)}");
        }
        foreach (GeneratedSourceResult source in result.Results.Single().GeneratedSources)
        {
            Match match = Regex.Match(source.HintName, @"^Fuzz(\d+)\.");
            if (match.Success && signatures.TryGetValue(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), out List<string>? list))
                list.Add(source.HintName + "\n" + source.SourceText);
            else
                failures.Enqueue("A generated file that belongs to no declaration: " + source.HintName);
        }
        return signatures.ToDictionary(p => p.Key, p => string.Join("\n", p.Value.Order(StringComparer.Ordinal)));
    }

    private static int? CaseOf(Diagnostic diagnostic)
    {
        Match match = Regex.Match(diagnostic.Location.GetLineSpan().Path ?? "", @"Fuzz(\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [Fact]
    public void RandomValidNetworks_PassTheGradientCheck()
    {
        // Plain valid networks, and first those that name an operand twice.
        List<Case> valid = Cases().Where(c => c.Category == "Valid" && c.Files.Count == 1 && c.Network.ExtraMembers.Length == 0).ToList();
        List<Case> sample = valid.Where(c => c.Network.Nodes.Any(n => n.Operands.Count != n.Operands.Distinct().Count())).Take(GradientSample / 2)
            .Concat(valid).Distinct().Take(GradientSample).ToList();
        Assert.Contains(sample, c => c.Network.Nodes.Any(n => n.Operands.Count != n.Operands.Distinct().Count()));
        CSharpCompilation compilation = GeneratorHarness.Compile(sample.Select(c => c.Files[0]));
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
