using System.Collections.Immutable;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Planning;

/// <summary>
/// Turns a declared network into a <see cref="NetworkPlan"/>: validates it, orders the nodes, lays out the
/// parameter buffer (declaration order: each layer's weights, then its bias) and the activation arena
/// (computing order), and decides which output activations fuse with the loss.
/// </summary>
internal static class Planner
{
    public static PlanResult Plan(ParseResult parsed)
    {
        if (parsed.Spec is null)
            return new PlanResult(null, parsed.Diagnostics, parsed.Stub);

        NetworkSpec spec = parsed.Spec;
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        diagnostics.AddRange(parsed.Diagnostics);
        ResolvedGraph? graph = Validator.Validate(spec, diagnostics);
        if (graph is null)
            return new PlanResult(null, diagnostics.ToImmutable().ToEquatableArray(), parsed.Stub);

        bool fused = spec.Loss is LossKind.BinaryCrossEntropy or LossKind.SoftmaxCrossEntropy;
        int count = spec.Nodes.Count;

        // Parameters in declaration order, so that the layout reads like the class.
        var weightOffsets = new int[count];
        var biasOffsets = new int[count];
        int parameters = 0;
        for (int i = 0; i < count; i++)
        {
            weightOffsets[i] = biasOffsets[i] = -1;
            NodeSpec node = spec.Nodes[i];
            if (node.Kind != NodeKind.Dense)
                continue;
            weightOffsets[i] = parameters;
            parameters += graph.Sizes[i] * graph.Sizes[graph.Sources[i][0]];
            if (node.Bias)
            {
                biasOffsets[i] = parameters;
                parameters += graph.Sizes[i];
            }
        }

        // Activations in computing order.
        var position = new int[count];
        for (int p = 0; p < graph.Order.Length; p++)
            position[graph.Order[p]] = p;
        var planned = ImmutableArray.CreateBuilder<PlannedNode>(count);
        int slot = 0;
        foreach (int i in graph.Order)
        {
            NodeSpec node = spec.Nodes[i];
            bool isFusedOutput = fused && i == graph.Output;
            bool keepsPreActivation = node.Kind == NodeKind.Dense && (isFusedOutput || node.Activation == ActivationKind.Softplus);
            int valueSlot = slot;
            slot += graph.Sizes[i];
            int preActivationSlot = -1;
            if (keepsPreActivation)
            {
                preActivationSlot = slot;
                slot += graph.Sizes[i];
            }
            var sources = ImmutableArray.CreateBuilder<int>(graph.Sources[i].Length);
            foreach (int source in graph.Sources[i])
                sources.Add(position[source]);
            planned.Add(new PlannedNode(
                node.Name,
                Naming.GeneratedNames.ForNode(node.Name, node.Kind, node.Bias),
                node.Accessibility,
                node.Kind,
                graph.Sizes[i],
                node.Kind == NodeKind.Dense ? node.Activation : ActivationKind.Identity,
                node.Slope,
                sources.MoveToImmutable().ToEquatableArray(),
                node.Kind == NodeKind.Dense ? graph.Sizes[graph.Sources[i][0]] : 0,
                weightOffsets[i],
                biasOffsets[i],
                valueSlot,
                preActivationSlot,
                graph.ReachesOutput[i],
                isFusedOutput));
        }

        int input = 0;
        for (int p = 0; p < count; p++)
            if (planned[p].Kind == NodeKind.Input)
                input = p;

        var plan = new NetworkPlan(
            spec.Namespace,
            spec.ClassName,
            spec.HintName,
            planned.MoveToImmutable().ToEquatableArray(),
            input,
            position[graph.Output],
            spec.Loss,
            spec.LossScale,
            spec.Loss switch
            {
                LossKind.MeanSquaredError => true,
                LossKind.SumSquaredError => false,
                _ => spec.Reduction != ReductionKind.Sum,
            },
            spec.L2,
            parameters,
            slot);
        return new PlanResult(plan, diagnostics.ToImmutable().ToEquatableArray(), null);
    }
}
