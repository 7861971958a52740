using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Planning;

/// <summary>
/// Turns a declared network into a <see cref="NetworkPlan"/>: validates it, orders the nodes, lays out the parameter
/// buffer (declaration order: each node's tensors as its kind lists them) and the activation arena (computing order),
/// names every tensor, and makes every decision about the code: fusions with the loss, lowering, which δ are written
/// by their reader and which are cleared. Each kind answers for itself; nothing here knows a kind.
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

        LossInfo loss = LossTable.Get(spec.Loss);
        int count = spec.Nodes.Count;

        // Parameters in declaration order, so that the layout reads like the class.
        var parameters = new EquatableArray<PlannedParameter>[count];
        int parameterCount = 0;
        for (int i = 0; i < count; i++)
        {
            NodeSpec node = spec.Nodes[i];
            Naming.NodeMemberNames members = node.Kind.Members(node.Name, node.Arguments);
            var planned = new List<PlannedParameter>();
            foreach (ParameterSpec parameter in node.Kind.Parameters(node, graph.Shapes[i], graph.Sources[i].Select(s => graph.Shapes[s]).ToArray()))
            {
                planned.Add(PlanParameter(node, members, parameter, parameterCount));
                parameterCount += parameter.Shape.Size;
            }
            parameters[i] = planned.ToEquatableArray();
        }

        // State in declaration order too: floats (running statistics) in one buffer, counts in another.
        var states = new EquatableArray<PlannedState>[count];
        int stateFloats = 0, stateCounts = 0;
        for (int i = 0; i < count; i++)
        {
            NodeSpec node = spec.Nodes[i];
            Naming.NodeMemberNames members = node.Kind.Members(node.Name, node.Arguments);
            var planned = new List<PlannedState>();
            foreach (StateSpec state in node.Kind.State(node, graph.Shapes[i]))
            {
                bool isCount = state.Kind == StateKind.BatchesTracked;
                planned.Add(PlanState(node, members, state, isCount ? stateCounts : stateFloats));
                if (isCount)
                    stateCounts += state.Shape.Size;
                else
                    stateFloats += state.Shape.Size;
            }
            states[i] = planned.ToEquatableArray();
        }

        // Activations in computing order; z is kept apart where the backward pass or the loss reads it.
        var position = new int[count];
        for (int p = 0; p < graph.Order.Length; p++)
            position[graph.Order[p]] = p;
        var nodes = ImmutableArray.CreateBuilder<PlannedNode>(count);
        int slot = 0;
        foreach (int i in graph.Order)
        {
            NodeSpec node = spec.Nodes[i];
            Shape shape = graph.Shapes[i];
            Activation activation = node.Kind.ActivationOf(node.Arguments);
            bool fusedWithLoss = i == graph.Output && loss.FusedActivation is not null;
            bool keepsPreActivation = node.Kind.HasActivation && (fusedWithLoss || ActivationTable.Get(activation).DerivativeReadsPreActivation);
            var values = new TensorRef(TensorBuffer.Values, node.Name, slot, shape);
            slot += shape.Size;
            TensorRef? preActivations = null;
            if (keepsPreActivation)
            {
                preActivations = new TensorRef(TensorBuffer.PreActivations, node.Name, slot, shape);
                slot += shape.Size;
            }
            nodes.Add(new PlannedNode(
                node.Name,
                node.Kind.Members(node.Name, node.Arguments),
                node.Accessibility,
                node.Kind,
                node.Arguments,
                node.Kind.Describe(node.Arguments),
                shape,
                graph.Sources[i].Select(s => position[s]).ToEquatableArray(),
                parameters[i],
                values,
                values with { Buffer = TensorBuffer.Deltas },
                preActivations,
                graph.ReachesOutput[i],
                fusedWithLoss,
                ActivationInKernel: ActivationTable.Get(activation).Fusable,
                DerivativeReads: activation == Activation.Identity ? null
                    : ActivationTable.Get(activation).DerivativeReadsPreActivation ? preActivations : values,
                State: states[i]));
        }

        int input = nodes.IndexOf(nodes.First(n => n.Kind.IsInput));
        var plan = new NetworkPlan(
            spec.Namespace,
            spec.ClassName,
            spec.HintName,
            nodes.MoveToImmutable().ToEquatableArray(),
            input,
            position[graph.Output],
            spec.Loss,
            spec.LossScale,
            loss.TakesReduction ? spec.Reduction switch { Reduction.Sum => false, Reduction.Mean => true, _ => loss.Mean } : loss.Mean,
            spec.L2,
            parameterCount,
            slot,
            stateFloats,
            stateCounts)
        {
            Imported = spec.Imported,
        };
        if (spec.Imported is not null && (spec.Imported.Count != parameterCount || spec.Imported.StateCount != stateFloats))
        {
            // The importer lays its weights out as the kinds list their parameters; a difference is a bug, reported rather than compiled.
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.OnnxUnsupportedGraph, spec.Locations.Attribute, spec.Imported.File, spec.ClassName,
                $"has {spec.Imported.Count} weights and {spec.Imported.StateCount} running statistics where the network it describes has {parameterCount} parameters and {stateFloats}", "please report this as a NetGen bug, with the file"));
            return new PlanResult(null, diagnostics.ToImmutable().ToEquatableArray(), parsed.Stub);
        }
        return new PlanResult(Lower(plan), diagnostics.ToImmutable().ToEquatableArray(), null);
    }

    private static PlannedParameter PlanParameter(NodeSpec node, Naming.NodeMemberNames members, ParameterSpec parameter, int offset)
    {
        // A weight matrix and a normalisation's γ are the node's "weight" in PyTorch's state dict; a bias and β its "bias".
        bool weight = parameter.Kind is ParameterKind.Weight or ParameterKind.Scale;
        string view = (weight ? members.Weights : members.Bias)!;
        string gradientView = (weight ? members.WeightGradients : members.BiasGradients)!;
        string layout = parameter.Shape.Rank > 1 ? $"row-major {parameter.Shape} (PyTorch's layout)" : parameter.Shape.ToString();
        (string value, string gradient) = parameter.Kind switch
        {
            ParameterKind.Weight => ($"{node.Name}'s weights W, {layout}.", $"∂L/∂W of {node.Name}, {layout}."),
            ParameterKind.Bias => ($"{node.Name}'s bias b {parameter.Shape}.", $"∂L/∂b of {node.Name} {parameter.Shape}."),
            ParameterKind.Scale => ($"{node.Name}'s scale γ {parameter.Shape} (PyTorch's weight).", $"∂L/∂γ of {node.Name} {parameter.Shape}."),
            ParameterKind.Shift => ($"{node.Name}'s shift β {parameter.Shape} (PyTorch's bias).", $"∂L/∂β of {node.Name} {parameter.Shape}."),
            _ => throw new System.ArgumentOutOfRangeException(nameof(parameter), parameter.Kind, "Not a parameter kind the planner knows."),
        };
        return new PlannedParameter(
            (node.StateDictPrefix ?? node.Name) + "." + parameter.Suffix,
            parameter.Kind,
            new TensorRef(TensorBuffer.Parameters, view, offset, parameter.Shape),
            new TensorRef(TensorBuffer.Gradients, gradientView, offset, parameter.Shape),
            parameter.Penalised,
            value,
            gradient);
    }

    private static PlannedState PlanState(NodeSpec node, Naming.NodeMemberNames members, StateSpec state, int offset)
    {
        (string view, TensorBuffer buffer, string summary) = state.Kind switch
        {
            StateKind.RunningMean => (members.RunningMean!, TensorBuffer.State, $"{node.Name}'s running mean {state.Shape} (PyTorch's running_mean): 0 when fresh, moved towards each training batch's mean."),
            StateKind.RunningVariance => (members.RunningVariance!, TensorBuffer.State, $"{node.Name}'s running variance {state.Shape} (PyTorch's running_var): 1 when fresh, moved towards each training batch's unbiased variance."),
            StateKind.BatchesTracked => (members.BatchesTracked!, TensorBuffer.StateCounts, $"The training batches {node.Name} has seen (PyTorch's num_batches_tracked): 0 when fresh."),
            _ => throw new System.ArgumentOutOfRangeException(nameof(state), state.Kind, "Not a state kind the planner knows."),
        };
        return new PlannedState((node.StateDictPrefix ?? node.Name) + "." + state.Suffix, state.Kind, new TensorRef(buffer, view, offset, state.Shape), summary);
    }

    /// <summary>
    /// The decisions of the backward pass and of each node's code: its kind's lowering; which δ are written by their
    /// one reader (not cleared, not added) and whether that reader applies the node's f′; what must be cleared.
    /// </summary>
    private static NetworkPlan Lower(NetworkPlan plan)
    {
        IReadOnlyList<PlannedNode> nodes = plan.Nodes;
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
        var lowered = new PlannedNode[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            PlannedNode node = nodes[i];
            bool written = i != plan.OutputNode && readers[i] == 1 && nodes[reader[i]].Kind.WritesSourceDelta(nodes[reader[i]]);
            lowered[i] = node with
            {
                Lowering = node.Kind.Lower(node, plan),
                DeltaWrittenByReader = written,
                DerivativeFusedIntoReader = node.Kind.HasActivation && !node.FusedWithLoss && written && node.ActivationInKernel,
                ClearsDelta = node.ReachesOutput && i != plan.OutputNode && !written,
                ClearsGradients = node.Parameters.Count > 0 && !node.ReachesOutput,
            };
        }
        return plan with
        {
            Nodes = lowered.ToEquatableArray(),
            StraightLineSample = lowered.All(n => n.Kind.IsInput || n.Kind.WritesStraightLineSample(n)),
        };
    }
}
