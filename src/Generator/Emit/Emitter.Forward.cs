using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

internal static partial class Emitter
{
    private static string ReadOnlyValues(PlannedNode node) =>
        $"new {Names.ReadOnlySpan}(_activations, {Slot(node.ValueSlot)}, batchSize * {node.Size})";

    private static void WriteForward(CodeWriter w, NetworkPlan plan)
    {
        w.Line("/// <summary>Computes every node, in order, for the first <paramref name=\"batchSize\"/> rows of the arena.</summary>");
        w.Open($"private void RunForward({Names.ReadOnlySpan} inputs, int batchSize)");
        w.Line("_batchSize = batchSize;");
        foreach (PlannedNode node in plan.Nodes)
        {
            if (node.Kind == NodeKind.Input)
                w.Line($"inputs.CopyTo({Values(node)}); // {node.Name} = input");
            else
                w.Line($"{Id(node.Members.Forward!)}(batchSize);");
        }
        w.Close();
        w.Line();
        foreach (PlannedNode node in plan.Nodes)
        {
            switch (node.Kind)
            {
                case NodeKind.Dense:
                    WriteDenseForward(w, plan, node);
                    break;
                case NodeKind.Add:
                case NodeKind.Max:
                    WriteElementwiseForward(w, plan, node);
                    break;
            }
        }
    }

    private static void WriteDenseForward(CodeWriter w, NetworkPlan plan, PlannedNode node)
    {
        PlannedNode source = plan.Nodes[node.Sources[0]];
        int inputs = node.FanIn, units = node.Size;
        bool separateZ = node.PreActivationSlot >= 0;
        string? fused = ActivationOperator(node.Activation);
        string activation = $"{Names.Kernels}.{fused ?? "IdentityOperator"}";
        // Where the kernel writes: y = f(z) (and z apart when it is kept); an activation that cannot be fused runs after it.
        string z = separateZ && fused is not null ? "z" : "default";
        string y = separateZ && fused is null ? "z" : "y";
        string bias = node.HasBias ? "b" : "default";
        string arguments = $"x, {{0}}, {bias}, {z}, {y}, batchSize, {inputs}, {units}";

        w.Line($"// {Names.Formula(plan, node)}   {Names.Shape(plan, node)}");
        w.Line($"// z[n, o] = Σ_i W[o, i]·{source.Name}[n, i]{(node.HasBias ? " + b[o]" : "")},  W: [{units}, {inputs}] at Parameters[{node.WeightOffset}..{node.WeightOffset + units * inputs})"
            + (node.HasBias ? $", b at Parameters[{node.BiasOffset}..{node.BiasOffset + units})" : ""));
        w.Line(AlwaysByRows(node)
            ? $"// {units} unit{(units == 1 ? "" : "s")}: one dot product per unit and sample{(fused is not null && node.Activation != ActivationKind.Identity ? ", then f over the rows" : "")}"
            : inputs == 1
                ? "// One input: W [out, 1] is laid out as Wᵀ [1, out], so the register-blocked product reads it as it is, bias and f fused"
                : $"// Batches of {TransposedProductMinimumBatch} or more: register-blocked X·Wᵀ with bias and f fused (Wᵀ refreshed from W first); fewer: dot products over W's rows");
        w.Open($"private void {Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} w = new(_parameters, {node.WeightOffset}, {units * inputs});");
        if (node.HasBias)
            w.Line($"{Names.ReadOnlySpan} b = new(_parameters, {node.BiasOffset}, {units});");
        w.Line($"{Names.ReadOnlySpan} x = {ReadOnlyValues(source)};");
        if (separateZ)
            w.Line($"{Names.Span} z = {PreActivations(node)};");
        if (!separateZ || fused is not null)
            w.Line($"{Names.Span} y = {Values(node)};");
        if (AlwaysByRows(node))
        {
            w.Line($"{Names.Dense}.ForwardByRows<{activation}>({string.Format(arguments, "w")});");
        }
        else if (inputs == 1)
        {
            w.Line($"{Names.Dense}.Forward<{activation}>({string.Format(arguments, "w")});");
        }
        else
        {
            w.Open("if (batchSize >= TransposedProductMinimumBatch)");
            w.Line($"{Names.Span} wt = new(_transposedWeights, {TransposedWeightsOffset(plan, node)}, {units * inputs});");
            w.Line($"{Names.Dense}.Transpose(w, wt, {units}, {inputs});");
            w.Line($"{Names.Dense}.Forward<{activation}>({string.Format(arguments, "wt")});");
            w.Close();
            w.Line("else");
            w.Line($"    {Names.Dense}.ForwardByRows<{activation}>({string.Format(arguments, "w")});");
        }
        if (fused is null)
            WriteActivation(w, node, separateZ ? "z" : "y", separateZ ? Values(node) : "y");
        w.Close();
        w.Line();
    }

    private static void WriteActivation(CodeWriter w, PlannedNode node, string z, string y)
    {
        w.Line($"// y = {Names.Apply(node.Activation, "z", node.Slope)}");
        switch (node.Activation)
        {
            case ActivationKind.LeakyReLU:
                w.Line($"{Names.Activations}.LeakyReLU({z}, {y}, {Names.Float(node.Slope)});");
                break;
            case ActivationKind.Softmax:
                w.Line($"{Names.Activations}.Softmax({z}, {y}, {node.Size});");
                break;
            default:
                w.Line($"{Names.Activations}.{node.Activation}({z}, {y});");
                break;
        }
    }

    private static void WriteElementwiseForward(CodeWriter w, NetworkPlan plan, PlannedNode node)
    {
        string operation = node.Kind == NodeKind.Add ? "Add" : "Max";
        w.Line($"// {Names.Formula(plan, node)}   {Names.Shape(plan, node)}");
        w.Open($"private void {Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.Span} y = {Values(node)};");
        w.Line($"{Names.Tensor}.{operation}({ReadOnlyValues(plan.Nodes[node.Sources[0]])}, {ReadOnlyValues(plan.Nodes[node.Sources[1]])}, y);");
        for (int s = 2; s < node.Sources.Count; s++)
            w.Line($"{Names.Tensor}.{operation}(y, {ReadOnlyValues(plan.Nodes[node.Sources[s]])}, y);");
        w.Close();
        w.Line();
    }
}
