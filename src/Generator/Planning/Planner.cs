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
            bool keepsPreActivation = node.Kind == NodeKind.Dense && (isFusedOutput || ActivationTable.Get(node.Activation).DerivativeReadsPreActivation);
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
        int transposedFloats = Lower(planned, position[graph.Output]);

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
            slot,
            transposedFloats);
        return new PlanResult(plan, diagnostics.ToImmutable().ToEquatableArray(), null);
    }

    /// <summary>
    /// Dense layers with at most this many weights (inputs × units) are unrolled into straight-line code. A kernel call
    /// costs a fixed 10–20 ns (argument checks, spans, dispatch, a pass for bias and f), the time of some 50 multiply-adds
    /// done one by one; at 16 terms a sample the unrolled body is still a few lines per unit, and every layer where the
    /// call would cost more than the work (the logistic neuron 2 → 1, heads of 4 → 4) is covered.
    /// </summary>
    public const int UnrolledMaximumWeights = 16;

    /// <summary>
    /// From this fan-in on, the batched forward product reads W as it is (register tiles of dot products, whose final
    /// reductions are then a few per cent of the work) instead of a transposed copy (inputs·units strided moves per
    /// call, a sixth of the product's time for 784 × 256), so such layers get no Wᵀ scratch.
    /// </summary>
    public const int TransposedProductMaximumInputs = 256;

    /// <summary>
    /// Layers narrower than this compute by dot products over W's rows on every width (the narrowest vector the runtime
    /// uses, 128 bits, holds 4 floats), so they need no Wᵀ scratch.
    /// </summary>
    public const int NarrowestVector = 4;

    /// <summary>
    /// The decisions of the backward pass and of each layer's code, in place: lowering, the Wᵀ scratch layout, which δ
    /// are written by their reader (not cleared, not added) and which derivatives that reader fuses. Returns the scratch's length.
    /// </summary>
    private static int Lower(ImmutableArray<PlannedNode>.Builder nodes, int output)
    {
        var readers = new int[nodes.Count];
        var reader = new int[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            reader[i] = -1;
            if (!nodes[i].ReachesOutput)
                continue;
            foreach (int s in nodes[i].Sources)
            {
                readers[s]++;
                reader[s] = i;
            }
        }
        int transposed = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            PlannedNode node = nodes[i];
            ActivationInfo activation = ActivationTable.Get(node.Activation);
            bool written = i != output && readers[i] == 1 && nodes[reader[i]].Kind == NodeKind.Dense;
            DenseLowering lowering = node.Kind != NodeKind.Dense
                ? DenseLowering.None
                : node.Size * node.FanIn <= UnrolledMaximumWeights && activation.Fusable ? DenseLowering.Unrolled : DenseLowering.Kernels;
            int transposedOffset = -1;
            if (lowering == DenseLowering.Kernels && node.FanIn > 1 && node.FanIn < TransposedProductMaximumInputs && node.Size >= NarrowestVector)
            {
                transposedOffset = transposed;
                transposed += node.Size * node.FanIn;
            }
            nodes[i] = node with
            {
                Lowering = lowering,
                TransposedWeightsOffset = transposedOffset,
                DeltaWrittenByReader = written,
                DerivativeFusedIntoReader = node.Kind == NodeKind.Dense && !node.FusedWithLoss && written && activation.Fusable,
            };
        }
        return transposed;
    }
}
