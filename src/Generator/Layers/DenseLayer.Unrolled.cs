using System.Linq;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

// A dense layer of a few weights as straight-line code: each unit's multiply-adds written out, the weights read once
// into locals, f and f′ computed by the same scalar operators the kernels use.
internal sealed partial class DenseLayer
{
    private void WriteUnrolledForward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        int inputs = Inputs(node), units = node.Size;
        bool keepZ = node.PreActivations is not null;
        bool identity = node.Activation == Activation.Identity;
        WriteHeader(w, node);
        w.Line($"// Unrolled: {units * inputs} multiply-add{(units * inputs == 1 ? "" : "s")} a sample cost less written out than a kernel call.");
        w.Line(Names.FullyOptimized);
        w.Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize)");
        w.Line($"{Names.ReadOnlySpan} x = {w.Values(source)};");
        if (keepZ)
            w.Line($"{Names.Span} z = {w.PreActivations(node)};");
        w.Line($"{Names.Span} y = {w.Values(node)};");
        WriteWeightLocals(w, node);
        w.Open("for (int n = 0; n < batchSize; n++)");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"x{i} = x[{At(inputs, i)}]"))};");
        for (int o = 0; o < units; o++)
        {
            string sum = string.Join(" + ", Enumerable.Range(0, inputs).Select(i => $"{Weight(inputs, o, i)} * x{i}")) + (node.Bias is not null ? $" + b{o}" : "");
            string at = At(units, o);
            w.Line($"float z{o} = {sum};");
            if (keepZ)
                w.Line($"z[{at}] = z{o};");
            w.Line(identity ? $"y[{at}] = z{o};" : $"y[{at}] = {w.Operator(node.Activation)}.Invoke(z{o}); // {ActivationTable.Apply(node.Activation, $"z{o}", Arguments(node).Slope)}");
        }
        w.Close();
        w.Close();
        w.Line();
    }

    public override bool WritesStraightLineSample(PlannedNode node) => node.Lowering == Lowering.Unrolled;

    /// <summary>
    /// One sample of the unrolled step: each unit's sum written as the batched step writes it (same operands, same
    /// order, so the same bits), over the source's locals; the values stored in the node's arena slot for its property.
    /// </summary>
    public override void WriteStraightLineSample(StepWriter w, PlannedNode node)
    {
        int inputs = Inputs(node), units = node.Size;
        bool identity = node.Activation == Activation.Identity;
        string[] x = Emitter.StraightLineValues(w.Source(node));
        string[] y = Emitter.StraightLineValues(node);
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}");
        w.Line($"float {string.Join(", ", y)};");
        w.Open();
        w.Line($"{Names.ReadOnlySpan} w = {Tensors.Access(node.Weight.Value)};");
        if (node.Bias is not null)
            w.Line($"{Names.ReadOnlySpan} b = {Tensors.Access(node.Bias.Value)};");
        for (int o = 0; o < units; o++)
        {
            string sum = string.Join(" + ", Enumerable.Range(0, inputs).Select(i => $"w[{o * inputs + i}] * {x[i]}")) + (node.Bias is not null ? $" + b[{o}]" : "");
            string z = $"z{o} = W[{o}, :]·{w.Source(node).Name}{(node.Bias is not null ? $" + b[{o}]" : "")}";
            w.Line(identity ? $"{y[o]} = {sum}; // {z}" : $"{y[o]} = {w.Operator(node.Activation)}.Invoke({sum}); // {ActivationTable.Apply(node.Activation, $"z{o}", Arguments(node).Slope)}, {z}");
        }
        w.Line($"{Names.Span} v = {Tensors.FirstRow(node.Values)};");
        w.Line(string.Join(" ", y.Select((v, i) => $"v[{i}] = {v};")));
        w.Close();
    }

    /// <summary>W (and b) read once into locals named by position: w0_1 or w01 = W[0, 1], b0 = b[0].</summary>
    private static void WriteWeightLocals(StepWriter w, PlannedNode node)
    {
        int inputs = Inputs(node), units = node.Size;
        w.Line($"{Names.ReadOnlySpan} w = {Tensors.Access(node.Weight.Value)};");
        if (node.Bias is not null)
            w.Line($"{Names.ReadOnlySpan} b = {Tensors.Access(node.Bias.Value)};");
        for (int o = 0; o < units; o++)
            w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"{Weight(inputs, o, i)} = w[{o * inputs + i}]"))}"
                + (node.Bias is not null ? $", b{o} = b[{o}];" : ";"));
    }

    private void WriteUnrolledBackward(StepWriter w, PlannedNode node, PlannedNode source, bool accumulate, bool sourceIsInput)
    {
        int inputs = Inputs(node), units = node.Size;
        if (node.AppliesOwnDerivative)
            w.Line($"{Names.ReadOnlySpan} f = {Tensors.Access(node.DerivativeReads!)};");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, units).SelectMany(o => Enumerable.Range(0, inputs).Select(i => $"g{Weight(inputs, o, i)} = 0f")))}"
            + (node.Bias is not null ? ", " + string.Join(", ", Enumerable.Range(0, units).Select(o => $"gb{o} = 0f")) : "") + ";");
        w.Open("for (int n = 0; n < batchSize; n++)");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"x{i} = x[{At(inputs, i)}]"))};");
        for (int o = 0; o < units; o++)
        {
            string at = At(units, o);
            if (node.AppliesOwnDerivative)
            {
                w.Line($"float d{o} = {w.DerivativeOperator(node.Activation)}.Invoke(f[{at}], dz[{at}]); // δz = δy·{ActivationTable.Derivative(node.Activation, Arguments(node).Slope)}");
                w.Line($"dz[{at}] = d{o};");
            }
            else
                w.Line($"float d{o} = dz[{at}];");
            w.Line(string.Join(" ", Enumerable.Range(0, inputs).Select(i => $"g{Weight(inputs, o, i)} += d{o} * x{i};")) + (node.Bias is not null ? $" gb{o} += d{o};" : ""));
        }
        w.Close();
        w.Line($"{Names.Span} dw = {Tensors.Access(node.Weight.Gradient)};");
        if (node.Bias is not null)
            w.Line($"{Names.Span} db = {Tensors.Access(node.Bias.Gradient)};");
        for (int o = 0; o < units; o++)
            w.Line(string.Join(" ", Enumerable.Range(0, inputs).Select(i => $"dw[{o * inputs + i}] = g{Weight(inputs, o, i)};"))
                + (node.Bias is not null ? $" db[{o}] = gb{o};" : ""));

        if (sourceIsInput)
            w.Open("if (wantInputGradients)");
        w.Line($"{Names.Span} dx = {w.Deltas(source)};");
        string? derivativeSource = source.FusedDerivativeReads is null ? null : FusedDerivativeSource(w, source);
        if (derivativeSource is not null and not "x")
            w.Line($"{Names.ReadOnlySpan} s = {derivativeSource};");
        w.Line($"{Names.ReadOnlySpan} w = {Tensors.Access(node.Weight.Value)};");
        for (int o = 0; o < units; o++)
            w.Line($"float {string.Join(", ", Enumerable.Range(0, inputs).Select(i => $"{Weight(inputs, o, i)} = w[{o * inputs + i}]"))};");
        w.Open("for (int n = 0; n < batchSize; n++)");
        w.Line($"float {string.Join(", ", Enumerable.Range(0, units).Select(o => $"d{o} = dz[{At(units, o)}]"))};");
        for (int i = 0; i < inputs; i++)
        {
            string at = At(inputs, i);
            string sum = string.Join(" + ", Enumerable.Range(0, units).Select(o => $"d{o} * {Weight(inputs, o, i)}"));
            if (accumulate)
                w.Line($"dx[{at}] += {sum};");
            else if (derivativeSource is not null)
                w.Line($"dx[{at}] = {w.DerivativeOperator(source.Activation)}.Invoke({(derivativeSource == "x" ? "x" : "s")}[{at}], {sum});");
            else
                w.Line($"dx[{at}] = {sum};");
        }
        w.Close();
        if (sourceIsInput)
            w.Close();
    }

    /// <summary>The local holding W[o, i]: "w0_1" when indices could run together (w011 = w[0, 11] or w[01, 1]), else "w01".</summary>
    private static string Weight(int inputs, int o, int i) => inputs > 9 ? $"w{o}_{i}" : $"w{o}{i}";

    /// <summary>The index of element <paramref name="offset"/> of sample n in rows of <paramref name="size"/>: "n * 4 + 1", "n".</summary>
    private static string At(int size, int offset) => (size == 1 ? "n" : $"n * {size}") + (offset == 0 ? "" : $" + {offset}");
}
