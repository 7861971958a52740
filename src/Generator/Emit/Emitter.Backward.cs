using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

internal static partial class Emitter
{
    /// <summary>Nodes whose δ several readers add to (cleared before the pass), and layers the loss does not depend on.</summary>
    private static bool NeedsClearing(NetworkPlan plan) =>
        plan.Nodes.Any(n => (n.HasWeights && !n.ReachesOutput) || (n.ReachesOutput && n != plan.Output && !n.DeltaWrittenByReader));

    private static void WriteBackward(CodeWriter w, NetworkPlan plan)
    {
        if (NeedsClearing(plan))
        {
            w.Line("// The kernels write every gradient and every δ with a single reader, so only these start from zero: the gradients");
            w.Line("// of layers the loss does not depend on, and the δ of nodes that several readers add to.");
            w.Open("private void ClearGradientsAndDeltas(int batchSize)");
            foreach (PlannedNode node in plan.Nodes.Where(n => n.HasWeights && !n.ReachesOutput))
                w.Line($"new {Names.Span}(_gradients, {node.WeightOffset}, {node.Size * node.FanIn + (node.HasBias ? node.Size : 0)}).Clear(); // {node.Name}: not on the way to the loss");
            foreach (PlannedNode node in plan.Nodes)
                if (node.ReachesOutput && node != plan.Output && !node.DeltaWrittenByReader)
                    w.Line($"{Values(node, "_deltas")}.Clear(); // δ{node.Name}");
            w.Close();
            w.Line();
        }

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
        bool accumulate = !source.DeltaWrittenByReader;
        bool unrolled = node.Lowering == DenseLowering.Unrolled;
        string x = source.Name;
        w.Line($"// Backward of {Names.Formula(plan, node)}");
        if (node.FusedWithLoss)
            w.Line("//   δz arrives from the loss, already through the activation (fused)");
        else if (node.DerivativeFusedIntoReader)
            w.Line($"//   δz = δy ⊙ f′ arrives ready: the reader of {node.Name} applied f′ = {Names.Derivative(node.Activation, node.Slope)} in its input-gradient step");
        else if (node.Activation != ActivationKind.Identity)
            w.Line($"//   δz = δy ⊙ f′,  f′ = {Names.Derivative(node.Activation, node.Slope)}");
        w.Line($"//   ∂L/∂W[o, i] = Σ_n δz[n, o]·{x}[n, i]" + (node.HasBias ? ",  ∂L/∂b[o] = Σ_n δz[n, o]" : "") + "   (written, not added)");
        w.Line($"//   δ{x}[n, i] {(accumulate ? "+=" : "=")} Σ_o δz[n, o]·W[o, i]"
            + (source.DerivativeFusedIntoReader ? $", then ⊙ f′ of {x} = {Names.Derivative(source.Activation, source.Slope)} (fused)" : "")
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        if (unrolled)
            w.Line($"//   Unrolled, like the forward step: {units * inputs} weight{(units * inputs == 1 ? "" : "s")}.");
        w.Open(sourceIsInput ? $"private void {Id(node.Members.Backward!)}(int batchSize, bool wantInputGradients)" : $"private void {Id(node.Members.Backward!)}(int batchSize)");
        w.Line($"{Names.Span} dz = {Values(node, "_deltas")};");
        bool ownDerivativeHere = !node.FusedWithLoss && !node.DerivativeFusedIntoReader && node.Activation != ActivationKind.Identity;
        if (ownDerivativeHere && !unrolled)
            WriteActivationBackward(w, node);
        w.Line($"{Names.ReadOnlySpan} x = {ReadOnlyValues(source)};");
        string derivativeSource = DerivativeSource(source);
        if (unrolled)
            WriteUnrolledBackward(w, node, source, ownDerivativeHere, accumulate, sourceIsInput, derivativeSource);
        else
        {
            w.Line($"{Names.ReadOnlySpan} w = new(_parameters, {node.WeightOffset}, {units * inputs});");
            w.Line($"{Names.Span} dw = new(_gradients, {node.WeightOffset}, {units * inputs});");
            w.Line($"{Names.Dense}.WeightGradients<{Shape(node)}>(dw, dz, x, batchSize);");
            if (node.HasBias)
            {
                w.Line($"{Names.Span} db = new(_gradients, {node.BiasOffset}, {units});");
                w.Line($"{Names.Dense}.BiasGradients<{Shape(node)}>(db, dz, batchSize);");
            }
            if (sourceIsInput)
                w.Open("if (wantInputGradients)");
            w.Line($"{Names.Span} dx = {Values(source, "_deltas")};");
            if (accumulate)
                w.Line($"{Names.Dense}.AddInputGradients<{Shape(node)}>(dx, dz, w, batchSize);");
            else if (source.DerivativeFusedIntoReader)
                w.Line($"{Names.Dense}.InputGradients<{Shape(node)}, {DerivativeOperator(source.Activation)}>(dx, dz, w, {derivativeSource}, batchSize);");
            else
                w.Line($"{Names.Dense}.InputGradients<{Shape(node)}, {DerivativeOperator(ActivationKind.Identity)}>(dx, dz, w, default, batchSize);");
            if (sourceIsInput)
                w.Close();
        }
        w.Close();
        w.Line();
    }

    /// <summary>What the fused derivative of <paramref name="source"/> reads: its y (x here), or its z when f′ needs z (softplus).</summary>
    private static string DerivativeSource(PlannedNode source) =>
        !source.DerivativeFusedIntoReader || source.Activation == ActivationKind.Identity
            ? "default"
            : ActivationTable.Get(source.Activation).DerivativeReadsPreActivation
                ? $"new {Names.ReadOnlySpan}(_activations, {Slot(source.PreActivationSlot)}, batchSize * {source.Size})"
                : "x";

    private static void WriteUnrolledBackward(CodeWriter w, PlannedNode node, PlannedNode source, bool ownDerivativeHere, bool accumulate,
        bool sourceIsInput, string derivativeSource)
    {
        int inputs = node.FanIn, units = node.Size;
        string sep = Sep(inputs);
        ActivationInfo activation = ActivationTable.Get(node.Activation);
        if (ownDerivativeHere)
            w.Line($"{Names.ReadOnlySpan} f = {(activation.DerivativeReadsPreActivation ? $"new {Names.ReadOnlySpan}(_activations, {Slot(node.PreActivationSlot)}, batchSize * {node.Size})" : ReadOnlyValues(node))};");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, units).SelectMany(o => Enumerable.Range(0, inputs).Select(i => $"gw{o}{sep}{i} = 0f")))}"
            + (node.HasBias ? ", " + string.Join(", ", Enumerable.Range(0, units).Select(o => $"gb{o} = 0f")) : "") + ";");
        w.Open("for (int n = 0; n < batchSize; n++)");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"x{i} = x[{At(inputs, i)}]"))};");
        for (int o = 0; o < units; o++)
        {
            string at = At(units, o);
            if (ownDerivativeHere)
            {
                w.Line($"float d{o} = {DerivativeOperator(node.Activation)}.Invoke(f[{at}], dz[{at}]); // δz = δy·{Names.Derivative(node.Activation, node.Slope)}");
                w.Line($"dz[{at}] = d{o};");
            }
            else
                w.Line($"float d{o} = dz[{at}];");
            w.Line(string.Join(" ", Enumerable.Range(0, inputs).Select(i => $"gw{o}{sep}{i} += d{o} * x{i};")) + (node.HasBias ? $" gb{o} += d{o};" : ""));
        }
        w.Close();
        for (int o = 0; o < units; o++)
            w.Line(string.Join(" ", Enumerable.Range(0, inputs).Select(i => $"_gradients[{node.WeightOffset + o * inputs + i}] = gw{o}{sep}{i};"))
                + (node.HasBias ? $" _gradients[{node.BiasOffset + o}] = gb{o};" : ""));

        if (sourceIsInput)
            w.Open("if (wantInputGradients)");
        w.Line($"{Names.Span} dx = {Values(source, "_deltas")};");
        if (source.DerivativeFusedIntoReader && derivativeSource is not "default" and not "x")
            w.Line($"{Names.ReadOnlySpan} s = {derivativeSource};");
        for (int o = 0; o < units; o++)
            w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"w{o}{sep}{i} = _parameters[{node.WeightOffset + o * inputs + i}]"))};");
        w.Open("for (int n = 0; n < batchSize; n++)");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, units).Select(o => $"d{o} = dz[{At(units, o)}]"))};");
        for (int i = 0; i < inputs; i++)
        {
            string at = At(inputs, i);
            string sum = string.Join(" + ", Enumerable.Range(0, units).Select(o => $"d{o} * w{o}{sep}{i}"));
            if (accumulate)
                w.Line($"dx[{at}] += {sum};");
            else if (source.DerivativeFusedIntoReader && source.Activation != ActivationKind.Identity)
                w.Line($"dx[{at}] = {DerivativeOperator(source.Activation)}.Invoke({(derivativeSource == "x" ? "x" : "s")}[{at}], {sum});");
            else
                w.Line($"dx[{at}] = {sum};");
        }
        w.Close();
        if (sourceIsInput)
            w.Close();
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
                w.Line($"{Names.Activations}.{ActivationTable.Get(node.Activation).KernelName}Backward({y}, dz);");
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
