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
                w.Line($"Forward{node.Name}(batchSize);");
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
        w.Line($"// {Names.Formula(plan, node)}   {Names.Shape(plan, node)}");
        w.Line($"// z[n, o] = Σ_i W[o, i]·{source.Name}[n, i]{(node.HasBias ? " + b[o]" : "")},  W: [{units}, {inputs}] at Parameters[{node.WeightOffset}..{node.WeightOffset + units * inputs})"
            + (node.HasBias ? $", b at Parameters[{node.BiasOffset}..{node.BiasOffset + units})" : ""));
        w.Open($"private void Forward{node.Name}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} w = new(_parameters, {node.WeightOffset}, {units * inputs});");
        if (node.HasBias)
            w.Line($"{Names.ReadOnlySpan} b = new(_parameters, {node.BiasOffset}, {units});");
        w.Line($"{Names.ReadOnlySpan} x = {ReadOnlyValues(source)};");
        bool separateZ = node.PreActivationSlot >= 0;
        w.Line($"{Names.Span} z = {(separateZ ? PreActivations(node) : Values(node))};");
        w.Open("for (int n = 0; n < batchSize; n++)");
        w.Line($"{Names.ReadOnlySpan} xn = x.Slice(n * {inputs}, {inputs});");
        w.Line($"{Names.Span} zn = z.Slice(n * {units}, {units});");
        if (inputs == 1)
        {
            // One input: W is a column, so z = W·x + b is one vectorised multiply-add over the units.
            w.Line(node.HasBias ? $"{Names.Tensor}.MultiplyAdd(w, xn[0], b, zn);" : $"{Names.Tensor}.Multiply(w, xn[0], zn);");
        }
        else
        {
            w.Line($"for (int o = 0; o < {units}; o++)");
            w.Line($"    zn[o] = {Names.Tensor}.Dot(w.Slice(o * {inputs}, {inputs}), xn){(node.HasBias ? " + b[o]" : "")};");
        }
        w.Close();
        WriteActivation(w, node, separateZ ? "z" : "z", separateZ ? Values(node) : "z");
        w.Close();
        w.Line();
    }

    private static void WriteActivation(CodeWriter w, PlannedNode node, string z, string y)
    {
        if (node.Activation == ActivationKind.Identity)
        {
            if (node.PreActivationSlot >= 0)
                w.Line($"z.CopyTo({y}); // y = z");
            return;
        }
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
        w.Open($"private void Forward{node.Name}(int batchSize)");
        w.Line($"{Names.Span} y = {Values(node)};");
        w.Line($"{Names.Tensor}.{operation}({ReadOnlyValues(plan.Nodes[node.Sources[0]])}, {ReadOnlyValues(plan.Nodes[node.Sources[1]])}, y);");
        for (int s = 2; s < node.Sources.Count; s++)
            w.Line($"{Names.Tensor}.{operation}(y, {ReadOnlyValues(plan.Nodes[node.Sources[s]])}, y);");
        w.Close();
        w.Line();
    }
}
