using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Random declarations — random sizes, activations, biases, <c>From</c> edges, Add and Max nodes, losses, reductions,
/// scales and L2 — generated, compiled in memory, loaded, and checked against finite differences. Each seed is one network.
/// </summary>
public class RandomNetworkTests(ITestOutputHelper output)
{
    private static readonly string[] s_hiddenActivations = ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "BipolarSigmoid", "Softmax"];

    private const int Count = 24;

    /// <summary>All the random networks in one compilation: one generator run and one emit are far cheaper than one each.</summary>
    private static readonly Lazy<Assembly> s_assembly = new(() =>
        Compile(Enumerable.Range(1, Count).Select(seed => RandomDeclaration((ulong)seed).Source).ToArray()));

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, Count).Select(s => new object[] { (ulong)s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomNetwork_CompilesCleanly_AndMatchesFiniteDifferences(ulong seed)
    {
        (string source, string loss) = RandomDeclaration(seed);
        output.WriteLine(source);
        Type type = s_assembly.Value.GetType($"Fuzz.Random{seed}", throwOnError: true)!;
        var network = (INetwork)Activator.CreateInstance(type, 2)!;
        new SeededRandom(seed + 100).FillNormal(network.Parameters, 0, 0.5);
        const int batch = 2;
        var inputs = new float[batch * network.InputSize];
        new SeededRandom(seed + 200).FillNormal(inputs);
        var outputs = new float[batch * network.OutputSize];
        network.Forward(inputs, outputs, batch);
        float[] targets = Targets(loss, outputs, batch, seed + 300);

        Assert.Equal(network.ParameterCount + inputs.Length, CheckAgainstFiniteDifferences(network, inputs, targets, batch));
    }

    /// <summary>
    /// Like <see cref="GradientCheck"/>, for every parameter and input, but aware of kinks (ReLU, leaky ReLU and Max are
    /// not differentiable everywhere): where θ ± ε straddles a kink the central difference averages two slopes, while the
    /// backward pass rightly gives the slope on θ's side, which one of the one-sided differences shows. A wrong gradient
    /// matches none of the three. Returns how many values were compared.
    /// </summary>
    private static int CheckAgainstFiniteDifferences(INetwork network, float[] inputs, float[] targets, int batch)
    {
        const float epsilon = 1e-3f;
        var inputGradients = new float[inputs.Length];
        network.Backward(inputs, targets, batch, inputGradients);
        float[] analytic = [.. network.Gradients.ToArray(), .. inputGradients];
        float[] perturbedInputs = (float[])inputs.Clone();
        int count = 0;
        for (int k = 0; k < analytic.Length; k++)
        {
            bool isParameter = k < network.ParameterCount;
            Span<float> values = isParameter ? network.Parameters : perturbedInputs;
            int index = isParameter ? k : k - network.ParameterCount;
            float saved = values[index];
            double Loss(float value)
            {
                (isParameter ? network.Parameters : perturbedInputs.AsSpan())[index] = value;
                return network.ComputeLoss(perturbedInputs, targets, batch);
            }
            double plus = Loss(saved + epsilon), minus = Loss(saved - epsilon), at = Loss(saved);
            double[] differences = [(plus - minus) / (2 * epsilon), (plus - at) / epsilon, (at - minus) / epsilon];
            bool matches = differences.Any(d => Math.Abs(analytic[k] - d) <= 1e-3 + 2e-2 * Math.Max(Math.Abs(analytic[k]), Math.Abs(d)));
            Assert.True(matches, $"{(isParameter ? "parameter" : "input")} {index}: analytic {analytic[k]}, central {differences[0]}, right {differences[1]}, left {differences[2]}");
            count++;
        }
        return count;
    }

    /// <summary>One random, valid declaration, and its loss.</summary>
    internal static (string Source, string Loss) RandomDeclaration(ulong seed)
    {
        var random = new SeededRandom(seed);
        var names = new List<string> { "X" };
        var sizes = new List<int> { 1 + random.NextInt(9) };
        var lines = new List<string> { $"    [Input({sizes[0]})] public partial Node X {{ get; }}" };
        int count = 2 + random.NextInt(5);
        string[] losses = ["MeanSquaredError", "SumSquaredError", "BinaryCrossEntropy", "SoftmaxCrossEntropy"];
        string loss = losses[random.NextInt(losses.Length)];

        for (int i = 1; i <= count; i++)
        {
            string name = "N" + i;
            bool last = i == count;
            // An Add or a Max needs two earlier nodes of one size.
            int[] groupSizes = sizes.GroupBy(s => s).Where(g => g.Count() >= 2).Select(g => g.Key).ToArray();
            if (!last && groupSizes.Length > 0 && random.NextInt(3) == 0)
            {
                int size = groupSizes[random.NextInt(groupSizes.Length)];
                string[] operands = names.Where((n, k) => sizes[k] == size).OrderBy(_ => random.NextInt(1000)).Take(2 + random.NextInt(2)).ToArray();
                string kind = random.NextInt(2) == 0 ? "Add" : "Max";
                lines.Add($"    [{kind}({string.Join(", ", operands.Select(o => $"nameof({o})"))})] public partial Node {name} {{ get; }}");
                names.Add(name);
                sizes.Add(size);
                continue;
            }

            string activation = last
                ? loss switch { "BinaryCrossEntropy" => "Sigmoid", "SoftmaxCrossEntropy" => "Softmax", _ => s_hiddenActivations[random.NextInt(s_hiddenActivations.Length)] }
                : s_hiddenActivations[random.NextInt(s_hiddenActivations.Length)];
            // The output stays small (≤ 4 units) so that the loss stays small: a float loss of size L resolves a finite
            // difference only to about ulp(L)/2ε, and the check's absolute tolerance is 1e-3.
            int widest = last ? 4 : 9;
            int units = activation == "Softmax" ? 2 + random.NextInt(widest - 1) : 1 + random.NextInt(widest);
            var arguments = new List<string> { units.ToString(), "Activation." + activation };
            if (random.NextInt(3) == 0)
                arguments.Add("Bias = false");
            if (activation == "LeakyReLU")
                arguments.Add("Slope = 0.2f");
            if (random.NextInt(2) == 0)
                arguments.Add($"From = nameof({names[random.NextInt(names.Count)]})");
            lines.Add($"    [Dense({string.Join(", ", arguments)})] public partial Node {name} {{ get; }}");
            names.Add(name);
            sizes.Add(units);
        }

        var network = new List<string> { "Loss = Loss." + loss };
        if (loss is "BinaryCrossEntropy" or "SoftmaxCrossEntropy" && random.NextInt(2) == 0)
            network.Add("Reduction = Reduction.Sum");
        if (random.NextInt(2) == 0)
            network.Add("LossScale = " + (random.NextInt(2) == 0 ? "0.5f" : "2f"));
        if (random.NextInt(2) == 0)
            network.Add("L2 = 0.1f");

        var source = new StringBuilder();
        source.AppendLine("using NetGen;");
        source.AppendLine("namespace Fuzz;");
        source.AppendLine($"[Network({string.Join(", ", network)})]");
        source.AppendLine($"public partial class Random{seed}");
        source.AppendLine("{");
        foreach (string line in lines)
            source.AppendLine(line);
        source.AppendLine("}");
        return (source.ToString(), loss);
    }

    private static Assembly Compile(string[] sources)
    {
        GeneratorRun run = GeneratorHarness.Run(sources);
        Assert.Equal(sources.Length, run.Sources.Length);
        // Nodes that do not reach the output are allowed here (a warning); no other diagnostic, and no compiler warning.
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Empty(run.CompilationDiagnostics);

        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>
    /// Targets the loss accepts: one-hot rows, probabilities, or the outputs plus N(0, 0.3²) noise for squared errors
    /// (a residual of a few tenths keeps the loss, and so the finite differences' rounding, small).
    /// </summary>
    private static float[] Targets(string loss, float[] outputs, int batch, ulong seed)
    {
        var random = new SeededRandom(seed);
        int size = outputs.Length / batch;
        var targets = new float[outputs.Length];
        if (loss == "SoftmaxCrossEntropy")
        {
            for (int n = 0; n < batch; n++)
                targets[n * size + random.NextInt(size)] = 1f;
        }
        else if (loss == "BinaryCrossEntropy")
        {
            random.FillUniform(targets, 0, 1);
        }
        else
        {
            for (int i = 0; i < targets.Length; i++)
                targets[i] = outputs[i] + (float)random.NextNormal(0, 0.3);
        }
        return targets;
    }
}
