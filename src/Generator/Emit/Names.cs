using System.Globalization;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

/// <summary>Spellings shared by the emitter: type names, literals, and the maths of each node for comments.</summary>
internal static class Names
{
    public const string Span = "global::System.Span<float>";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    public const string Tensor = "global::System.Numerics.Tensors.TensorPrimitives";
    public const string Kernels = "global::NetGen.Kernels";
    public const string Dense = "global::NetGen.Kernels.Dense";
    public const string Activations = "global::NetGen.Kernels.Activations";
    public const string Losses = "global::NetGen.Kernels.Losses";
    public const string Arguments = "global::NetGen.NetworkArguments";

    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>The activation applied to <paramref name="argument"/>, as written in comments (from <see cref="ActivationTable"/>).</summary>
    public static string Apply(ActivationKind activation, string argument, float slope) => ActivationTable.Apply(activation, argument, slope);

    /// <summary>The derivative f′ written in terms of what the backward pass has at hand.</summary>
    public static string Derivative(ActivationKind activation, float slope) => ActivationTable.Derivative(activation, slope);

    /// <summary>"Hidden1 = σ(W·X + b)", "H = X + S", "M = max(A, B)".</summary>
    public static string Formula(NetworkPlan plan, PlannedNode node)
    {
        switch (node.Kind)
        {
            case NodeKind.Input:
                return $"{node.Name} = input";
            case NodeKind.Dense:
                string source = plan.Nodes[node.Sources[0]].Name;
                string affine = node.HasBias ? $"W·{source} + b" : $"W·{source}";
                return $"{node.Name} = {Apply(node.Activation, affine, node.Slope)}";
            case NodeKind.Add:
                return $"{node.Name} = {string.Join(" + ", Operands(plan, node))}";
            default:
                return $"{node.Name} = max({string.Join(", ", Operands(plan, node))})";
        }
    }

    /// <summary>"[64] ← [1]".</summary>
    public static string Shape(NetworkPlan plan, PlannedNode node) => node.Kind switch
    {
        NodeKind.Input => $"[{node.Size}]",
        NodeKind.Dense => $"[{node.Size}] ← [{node.FanIn}]",
        _ => $"[{node.Size}] ← {node.Sources.Count} × [{node.Size}]",
    };

    private static string[] Operands(NetworkPlan plan, PlannedNode node)
    {
        var names = new string[node.Sources.Count];
        for (int i = 0; i < names.Length; i++)
            names[i] = plan.Nodes[node.Sources[i]].Name;
        return names;
    }
}
