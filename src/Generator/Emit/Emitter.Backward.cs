using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

internal static partial class Emitter
{
    private static void WriteBackward(CodeWriter w, NetworkPlan plan)
    {
        w.Line("// The kernels write every gradient and every δ with a single reader, so only these start from zero: the gradients");
        w.Line("// of layers the loss does not depend on, and the δ of nodes that several readers add to.");
        w.Open("private void ClearGradientsAndDeltas(int batchSize)");
        foreach (PlannedNode node in plan.Nodes.Where(n => n.HasWeights && !n.ReachesOutput))
            w.Line($"new {Names.Span}(_gradients, {node.WeightOffset}, {node.Size * node.FanIn + (node.HasBias ? node.Size : 0)}).Clear(); // {node.Name}: not on the way to the loss");
        foreach (PlannedNode node in plan.Nodes)
            if (node.ReachesOutput && node != plan.Output && !DeltaIsOverwritten(plan, node))
                w.Line($"{Values(node, "_deltas")}.Clear(); // δ{node.Name}");
        w.Close();
        w.Line();

        w.Line("/// <summary>Reverse-mode pass from the output's delta back to the inputs, in reverse computing order.</summary>");
        w.Open($"private void RunBackward(int batchSize, {Names.Span} inputGradients)");
        w.Line("bool wantInputGradients = !inputGradients.IsEmpty;");
        for (int i = plan.Nodes.Count - 1; i >= 0; i--)
        {
            PlannedNode node = plan.Nodes[i];
            if (node.Kind == NodeKind.Input || !node.ReachesOutput)
                continue;
            bool readsInput = node.Sources.Any(s => plan.Nodes[s].Kind == NodeKind.Input);
            w.Line(node.Kind == NodeKind.Dense && readsInput ? $"{Id(node.Members.Backward!)}(batchSize, wantInputGradients);" : $"{Id(node.Members.Backward!)}(batchSize);");
        }
        w.Line("if (wantInputGradients)");
        w.Line($"    {Values(plan.Input, "_deltas")}.CopyTo(inputGradients);");
        if (plan.L2 > 0)
            w.Line("AddL2Gradients();");
        w.Close();
        w.Line();

        for (int i = plan.Nodes.Count - 1; i >= 0; i--)
        {
            PlannedNode node = plan.Nodes[i];
            if (node.Kind == NodeKind.Input || !node.ReachesOutput)
                continue;
            switch (node.Kind)
            {
                case NodeKind.Dense:
                    WriteDenseBackward(w, plan, node);
                    break;
                case NodeKind.Add:
                    WriteAddBackward(w, plan, node);
                    break;
                case NodeKind.Max:
                    WriteMaxBackward(w, plan, node);
                    break;
            }
        }
    }

    private static void WriteDenseBackward(CodeWriter w, NetworkPlan plan, PlannedNode node)
    {
        PlannedNode source = plan.Nodes[node.Sources[0]];
        int inputs = node.FanIn, units = node.Size;
        bool sourceIsInput = source.Kind == NodeKind.Input;
        bool ownDerivativeFused = DerivativeFusedIntoReader(plan, node);
        bool fuseSourceDerivative = DerivativeFusedIntoReader(plan, source);
        bool accumulate = !DeltaIsOverwritten(plan, source);
        string x = source.Name;
        w.Line($"// Backward of {Names.Formula(plan, node)}");
        if (node.FusedWithLoss)
            w.Line("//   δz arrives from the loss, already through the activation (fused)");
        else if (ownDerivativeFused)
            w.Line($"//   δz = δy ⊙ f′ arrives ready: the reader of {node.Name} applied f′ = {Names.Derivative(node.Activation, node.Slope)} in its input-gradient kernel");
        else if (node.Activation != ActivationKind.Identity)
            w.Line($"//   δz = δy ⊙ f′,  f′ = {Names.Derivative(node.Activation, node.Slope)}");
        w.Line($"//   ∂L/∂W[o, i] = Σ_n δz[n, o]·{x}[n, i]" + (node.HasBias ? ",  ∂L/∂b[o] = Σ_n δz[n, o]" : "") + "   (written, not added)");
        w.Line($"//   δ{x}[n, i] {(accumulate ? "+=" : "=")} Σ_o δz[n, o]·W[o, i]"
            + (fuseSourceDerivative ? $", then ⊙ f′ of {x} = {Names.Derivative(source.Activation, source.Slope)} (fused)" : "")
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        w.Open(sourceIsInput ? $"private void {Id(node.Members.Backward!)}(int batchSize, bool wantInputGradients)" : $"private void {Id(node.Members.Backward!)}(int batchSize)");
        w.Line($"{Names.Span} dz = {Values(node, "_deltas")};");
        if (!node.FusedWithLoss && !ownDerivativeFused)
            WriteActivationBackward(w, node);
        w.Line($"{Names.ReadOnlySpan} x = {ReadOnlyValues(source)};");
        w.Line($"{Names.Dense}.WeightGradients(dz, x, new {Names.Span}(_gradients, {node.WeightOffset}, {units * inputs}), batchSize, {inputs}, {units});");
        if (node.HasBias)
            w.Line($"{Names.Dense}.BiasGradients(dz, new {Names.Span}(_gradients, {node.BiasOffset}, {units}), batchSize, {units});");

        string derivative = fuseSourceDerivative ? DerivativeOperator(source.Activation)! : "IdentityDerivativeOperator";
        string companion = !fuseSourceDerivative || source.Activation == ActivationKind.Identity
            ? "default"
            : source.Activation == ActivationKind.Softplus
                ? $"new {Names.ReadOnlySpan}(_activations, {Slot(source.PreActivationSlot)}, batchSize * {source.Size})"
                : ReadOnlyValues(source);
        if (sourceIsInput)
            w.Line("if (wantInputGradients)");
        w.Line($"{(sourceIsInput ? "    " : "")}{Names.Dense}.InputGradients<{Names.Kernels}.{derivative}>(dz, new {Names.ReadOnlySpan}(_parameters, {node.WeightOffset}, {units * inputs}), "
            + $"{companion}, {Values(source, "_deltas")}, accumulate: {(accumulate ? "true" : "false")}, batchSize, {inputs}, {units});");
        w.Close();
        w.Line();
    }

    private static void WriteActivationBackward(CodeWriter w, PlannedNode node)
    {
        string y = ReadOnlyValues(node);
        switch (node.Activation)
        {
            case ActivationKind.Identity:
                break;
            case ActivationKind.Softplus:
                w.Line($"{Names.Activations}.SoftplusBackward(new {Names.ReadOnlySpan}(_activations, {Slot(node.PreActivationSlot)}, batchSize * {node.Size}), dz);");
                break;
            case ActivationKind.LeakyReLU:
                w.Line($"{Names.Activations}.LeakyReLUBackward({y}, dz, {Names.Float(node.Slope)});");
                break;
            case ActivationKind.Softmax:
                w.Line($"{Names.Activations}.SoftmaxBackward({y}, dz, {node.Size});");
                break;
            default:
                w.Line($"{Names.Activations}.{node.Activation}Backward({y}, dz);");
                break;
        }
    }

    private static void WriteAddBackward(CodeWriter w, NetworkPlan plan, PlannedNode node)
    {
        w.Line($"// Backward of {Names.Formula(plan, node)}: every operand receives δ{node.Name}");
        w.Open($"private void {Id(node.Members.Backward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} dy = {Values(node, "_deltas")};");
        for (int k = 0; k < node.Sources.Count; k++)
        {
            // Named by position, not after the operand: a node may be an operand twice, or be called 'y'.
            string delta = GeneratedNames.Locals.OperandDeltas(k);
            w.Line($"{Names.Span} {delta} = {Values(plan.Nodes[node.Sources[k]], "_deltas")}; // δ{plan.Nodes[node.Sources[k]].Name}");
            w.Line($"{Names.Tensor}.Add({delta}, dy, {delta});");
        }
        w.Close();
        w.Line();
    }

    private static void WriteMaxBackward(CodeWriter w, NetworkPlan plan, PlannedNode node)
    {
        w.Line($"// Backward of {Names.Formula(plan, node)}: δ{node.Name} flows only to the arg-max operand (the first one on ties)");
        w.Open($"private void {Id(node.Members.Backward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} y = {ReadOnlyValues(node)};");
        w.Line($"{Names.ReadOnlySpan} dy = {Values(node, "_deltas")};");
        for (int k = 0; k < node.Sources.Count; k++)
        {
            PlannedNode source = plan.Nodes[node.Sources[k]];
            w.Line($"{Names.ReadOnlySpan} {GeneratedNames.Locals.OperandValues(k)} = {ReadOnlyValues(source)};");
            w.Line($"{Names.Span} {GeneratedNames.Locals.OperandDeltas(k)} = {Values(source, "_deltas")};");
        }
        w.Open($"for (int k = 0; k < batchSize * {node.Size}; k++)");
        for (int k = 0; k < node.Sources.Count; k++)
        {
            w.Line($"{(k == 0 ? "if" : "else if")} (a{k}[k] == y[k])");
            w.Line($"    d{k}[k] += dy[k];");
        }
        w.Close();
        w.Close();
        w.Line();
    }
}
