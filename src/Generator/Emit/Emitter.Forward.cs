using System.Linq;
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
            switch (node.Lowering)
            {
                case DenseLowering.Kernels:
                    WriteDenseForward(w, plan, node);
                    break;
                case DenseLowering.Unrolled:
                    WriteUnrolledForward(w, plan, node);
                    break;
                default:
                    if (node.Kind is NodeKind.Add or NodeKind.Max)
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
        ActivationInfo activation = ActivationTable.Get(node.Activation);
        // Where the kernel writes: y = f(z) (and z apart when it is kept); an activation that cannot be fused runs after it.
        string kernelActivation = activation.Fusable ? Operator(node.Activation) : Operator(ActivationKind.Identity);
        string z = separateZ && activation.Fusable ? "z" : "default";
        string y = separateZ && !activation.Fusable ? "z" : "y";
        bool hasScratch = node.TransposedWeightsOffset >= 0;

        WriteDenseHeader(w, plan, node, source);
        w.Line($"// x = {source.Name}, y = {node.Name}{(separateZ ? ", z kept for the backward pass" : "")}; "
            + (!activation.Fusable ? "the kernel writes z, f runs after it"
                : node.Activation != ActivationKind.Identity ? $"{(node.HasBias ? "b and f" : "f")} applied as each result leaves the kernel"
                : node.HasBias ? "b added as each result leaves the kernel" : "no bias, no activation")
            + (hasScratch ? "; wt is scratch a batched product may copy Wᵀ into (rebuilt by every call, so it never holds stale weights)" : ""));
        w.Open($"private void {Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} x = {ReadOnlyValues(source)};");
        w.Line($"{Names.ReadOnlySpan} w = new(_parameters, {node.WeightOffset}, {units * inputs});");
        if (node.HasBias)
            w.Line($"{Names.ReadOnlySpan} b = new(_parameters, {node.BiasOffset}, {units});");
        if (separateZ)
            w.Line($"{Names.Span} z = {PreActivations(node)};");
        if (!separateZ || activation.Fusable)
            w.Line($"{Names.Span} y = {Values(node)};");
        if (hasScratch)
            w.Line($"{Names.Span} wt = new(_transposedWeights, {node.TransposedWeightsOffset}, {units * inputs});");
        w.Line($"{Names.Dense}.Forward<{Shape(node)}, {kernelActivation}>({y}, {z}, x, w, {(node.HasBias ? "b" : "default")}, {(hasScratch ? "wt" : "default")}, batchSize);");
        if (!activation.Fusable)
            WriteActivation(w, node, separateZ ? "z" : "y", separateZ ? Values(node) : "y");
        w.Close();
        w.Line();
    }

    private static void WriteDenseHeader(CodeWriter w, NetworkPlan plan, PlannedNode node, PlannedNode source)
    {
        int inputs = node.FanIn, units = node.Size;
        w.Line($"// {Names.Formula(plan, node)}   {Names.Shape(plan, node)}");
        w.Line($"// z[n, o] = Σ_i W[o, i]·{source.Name}[n, i]{(node.HasBias ? " + b[o]" : "")},  W: [{units}, {inputs}] at Parameters[{node.WeightOffset}..{node.WeightOffset + units * inputs})"
            + (node.HasBias ? $", b at Parameters[{node.BiasOffset}..{node.BiasOffset + units})" : ""));
    }

    /// <summary>
    /// A layer of a few weights as straight-line code: each unit's multiply-adds written out, the weights read once into
    /// locals, f computed by the same scalar operator the kernels use.
    /// </summary>
    private static void WriteUnrolledForward(CodeWriter w, NetworkPlan plan, PlannedNode node)
    {
        PlannedNode source = plan.Nodes[node.Sources[0]];
        int inputs = node.FanIn, units = node.Size;
        bool keepZ = node.PreActivationSlot >= 0;
        bool identity = node.Activation == ActivationKind.Identity;
        WriteDenseHeader(w, plan, node, source);
        w.Line($"// Unrolled: {units * inputs} multiply-add{(units * inputs == 1 ? "" : "s")} a sample cost less written out than a kernel call.");
        w.Open($"private void {Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} x = {ReadOnlyValues(source)};");
        if (keepZ)
            w.Line($"{Names.Span} z = {PreActivations(node)};");
        w.Line($"{Names.Span} y = {Values(node)};");
        for (int o = 0; o < units; o++)
            w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"w{o}{Sep(inputs)}{i} = _parameters[{node.WeightOffset + o * inputs + i}]"))}"
                + (node.HasBias ? $", b{o} = _parameters[{node.BiasOffset + o}];" : ";"));
        w.Open("for (int n = 0; n < batchSize; n++)");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"x{i} = x[{At(inputs, i)}]"))};");
        for (int o = 0; o < units; o++)
        {
            string sum = string.Join(" + ", Enumerable.Range(0, inputs).Select(i => $"w{o}{Sep(inputs)}{i} * x{i}")) + (node.HasBias ? $" + b{o}" : "");
            string at = At(units, o);
            w.Line($"float z{o} = {sum};");
            if (keepZ)
                w.Line($"z[{at}] = z{o};");
            w.Line(identity ? $"y[{at}] = z{o};" : $"y[{at}] = {Operator(node.Activation)}.Invoke(z{o}); // {Names.Apply(node.Activation, $"z{o}", node.Slope)}");
        }
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>"w0_1" when indices could run together (w011 = w[0, 11] or w[01, 1]), else "w01".</summary>
    private static string Sep(int inputs) => inputs > 9 ? "_" : "";

    /// <summary>The index of element <paramref name="offset"/> of sample n in rows of <paramref name="size"/>: "n * 4 + 1", "n".</summary>
    private static string At(int size, int offset) => (size == 1 ? "n" : $"n * {size}") + (offset == 0 ? "" : $" + {offset}");

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
                w.Line($"{Names.Activations}.{ActivationTable.Get(node.Activation).KernelName}({z}, {y});");
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
