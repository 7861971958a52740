using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>[BatchNorm] with Momentum, Epsilon and From.</summary>
internal sealed record BatchNormArguments(float Momentum, float Epsilon) : LayerArguments;

/// <summary>
/// Batch normalisation as PyTorch's nn.BatchNorm1d (a vector node: one statistic per value; a [C, L] node: one per
/// channel) and nn.BatchNorm2d (a [C, H, W] node: one per channel). γ and β [C] are parameters (<c>{Node}.weight</c>,
/// <c>{Node}.bias</c>); the running mean and variance [C] and the batch count [] are state (<c>running_mean</c>,
/// <c>running_var</c>, <c>num_batches_tracked</c>). The training pass normalises with the batch's statistics, keeps them
/// for the backward step in the node's moments buffer and moves the running statistics; evaluation uses the running ones.
/// </summary>
internal sealed class BatchNormLayer : LayerKind
{
    public static BatchNormLayer Instance { get; } = new();

    private BatchNormLayer()
    {
    }

    public override string Name => "BatchNorm";

    public override NodeDescription Describe(LayerArguments arguments)
    {
        var batchNorm = (BatchNormArguments)arguments;
        return new NodeDescription(GraphNodeKind.BatchNorm, Epsilon: batchNorm.Epsilon, Momentum: batchNorm.Momentum);
    }

    private static BatchNormArguments Arguments(PlannedNode node) => (BatchNormArguments)node.Arguments;

    /// <summary>The channels C: a vector's values, a shaped node's first dimension.</summary>
    private static int Channels(Shape shape) => shape[0];

    /// <summary>The values per channel of a sample: 1 for a vector, L or H·W for a shaped node.</summary>
    private static int Spatial(Shape shape) => shape.Size / shape[0];

    public override ReadNode Read(NodeAttribute attribute)
    {
        (ImmutableArray<string> sources, ImmutableArray<LocationInfo> locations) = attribute.NamedSource("From");
        return new ReadNode(new BatchNormArguments(attribute.Named("Momentum", 0.1f), attribute.Named("Epsilon", 1e-5f)),
            [new ArgumentLocation("Momentum", attribute.NamedLocation("Momentum")), new ArgumentLocation("Epsilon", attribute.NamedLocation("Epsilon"))],
            sources, locations);
    }

    public override void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var arguments = (BatchNormArguments)node.Arguments;
        if (!(arguments.Momentum >= 0f && arguments.Momentum <= 1f))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MomentumOutOfRange, node.Locations.Of("Momentum"), node.Name, Validator.Format(arguments.Momentum)));
        CheckEpsilon(node, arguments.Epsilon, diagnostics);
    }

    /// <summary>ε must be positive and finite (NG0034); layer normalisation's rule too.</summary>
    public static void CheckEpsilon(NodeSpec node, float epsilon, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        if (!(epsilon > 0f && !float.IsInfinity(epsilon)))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EpsilonNotPositive, node.Locations.Of("Epsilon"), node.Name, Validator.Format(epsilon)));
    }

    public override bool ReadsNodeBeforeByDefault => true;

    public override Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics) =>
        sourceShapes[0];

    /// <summary>γ and β [C], PyTorch's "weight" and "bias"; no L2 on either.</summary>
    public override IEnumerable<ParameterSpec> Parameters(NodeSpec node, Shape output, IReadOnlyList<Shape> sourceShapes)
    {
        yield return new ParameterSpec(ParameterKind.Scale, "weight", Shape.Vector(Channels(output)), Penalised: false);
        yield return new ParameterSpec(ParameterKind.Shift, "bias", Shape.Vector(Channels(output)), Penalised: false);
    }

    /// <summary>PyTorch's three buffers, in its state_dict's order.</summary>
    public override IEnumerable<StateSpec> State(NodeSpec node, Shape output)
    {
        yield return new StateSpec(StateKind.RunningMean, "running_mean", Shape.Vector(Channels(output)));
        yield return new StateSpec(StateKind.RunningVariance, "running_var", Shape.Vector(Channels(output)));
        yield return new StateSpec(StateKind.BatchesTracked, "num_batches_tracked", Shape.Of());
    }

    public override NodeMemberNames Members(string node, LayerArguments arguments) => NodeMemberNames.WithState(node);

    public override bool TrainsDifferently => true;

    /// <summary>
    /// The only reader of its source writes the source's δ (then applies the source's f′ in the same pass) instead of
    /// adding to a δ cleared for it: for conv → batch norm, the convolution's whole output δ neither cleared nor read back.
    /// </summary>
    public override bool WritesSourceDelta(PlannedNode node) => true;

    public override string? MomentsLength(PlannedNode node) => $"{Names.BatchNorm}.MomentsLength({Channels(node.Shape)})";

    /// <summary>
    /// With one value per statistic (a vector node, or a [C, 1] one), a training batch needs two samples or more; a chunk
    /// of a cut batch may hold one, since its statistics are the whole batch's (the combination checks the batch).
    /// </summary>
    public override string? TrainingBatchCheck(PlannedNode node) =>
        Spatial(node.Shape) == 1
            ? $"if ({GeneratedNames.BatchStatisticsField} is null) {Names.Arguments}.CheckBatchStatistics(batchSize, 1, \"{node.Name}\");"
            : null;

    public override int MinTrainingBatchSize(PlannedNode node) => Spatial(node.Shape) == 1 ? 2 : 1;

    public override string Formula(NetworkPlan plan, PlannedNode node) => $"{node.Name} = batch_norm({plan.Source(node).Name})";

    public override string ShapeText(NetworkPlan plan, PlannedNode node) => $"{node.Shape} ← {plan.Source(node).Shape}";

    public override string ForwardCall(NetworkPlan plan, PlannedNode node) => $"{Emitter.Id(node.Members.Forward!)}(batchSize, {GeneratedNames.TrainingParameter});";

    /// <summary>"over the batch" for a vector, "over the batch and its 25 values" for a shaped node.</summary>
    private static string Over(PlannedNode node) =>
        Spatial(node.Shape) == 1 ? "over the batch" : $"over the batch and the channel's {Spatial(node.Shape)} values of each sample";

    private static PlannedState StateOf(PlannedNode node, StateKind kind) => node.State.First(s => s.Kind == kind);

    public override void WriteForward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        BatchNormArguments arguments = Arguments(node);
        PlannedParameter scale = node.Parameter(ParameterKind.Scale)!, shift = node.Parameter(ParameterKind.Shift)!;
        string mean = Tensors.Access(StateOf(node, StateKind.RunningMean).Value), variance = Tensors.Access(StateOf(node, StateKind.RunningVariance).Value);
        string count = Tensors.Access(StateOf(node, StateKind.BatchesTracked).Value);
        string momentum = Names.Float(arguments.Momentum), epsilon = Names.Float(arguments.Epsilon);
        int channels = Channels(node.Shape), spatial = Spatial(node.Shape);
        w.Line($"// {Formula(w.Plan, node)}   {ShapeText(w.Plan, node)}, {channels} channel{(channels == 1 ? "" : "s")}, γ = {scale.Value.View} {scale.Value.Shape}, β = {shift.Value.View} {shift.Value.Shape}, ε = {epsilon.TrimEnd('f')}");
        w.Line($"// training: y = γ_c·({source.Name} − μ_c)/√(σ²_c + ε) + β_c, μ_c and σ²_c (biased) {Over(node)}; then, n = batchSize·{spatial},");
        w.Line($"//   running_mean = {Names.Float(1 - arguments.Momentum).TrimEnd('f')}·running_mean + {momentum.TrimEnd('f')}·μ,  running_var = {Names.Float(1 - arguments.Momentum).TrimEnd('f')}·running_var + {momentum.TrimEnd('f')}·σ²·n/(n − 1),  num_batches_tracked += 1");
        w.Line($"// evaluation: y = γ_c·({source.Name} − running_mean_c)/√(running_var_c + ε) + β_c");
        w.Line("// one chunk of a cut batch: μ_c and σ²_c of the whole batch, combined from every chunk's where the chunks meet, and the running statistics moved once");
        w.Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize, bool {GeneratedNames.TrainingParameter})");
        w.Line($"if (!{GeneratedNames.TrainingParameter})");
        w.Line($"    {Names.BatchNorm}.EvaluationForward({w.Values(node)}, {Emitter.Id(node.Members.Moments!)}, {w.Values(source)}, "
            + $"{Tensors.Access(scale.Value)}, {Tensors.Access(shift.Value)}, {mean}, {variance}, {channels}, {spatial}, {epsilon}, batchSize);");
        w.Line($"else if ({GeneratedNames.BatchStatisticsField} is null)");
        w.Line($"    {Names.BatchNorm}.TrainingForward({w.Values(node)}, {Emitter.Id(node.Members.Moments!)}, {mean}, {variance}, ref {count}, {w.Values(source)}, "
            + $"{Tensors.Access(scale.Value)}, {Tensors.Access(shift.Value)}, {channels}, {spatial}, {momentum}, {epsilon}, batchSize);");
        w.Line("else");
        w.Line($"    {Names.BatchNorm}.ChunkTrainingForward({GeneratedNames.BatchStatisticsField}, {GeneratedNames.BatchStatisticsChunkField}, {w.Values(node)}, {Emitter.Id(node.Members.Moments!)}, {mean}, {variance}, ref {count}, {w.Values(source)}, "
            + $"{Tensors.Access(scale.Value)}, {Tensors.Access(shift.Value)}, {channels}, {spatial}, {momentum}, {epsilon}, batchSize);");
        w.Close();
        w.Line();
    }

    public override void WriteBackward(StepWriter w, PlannedNode node)
    {
        PlannedNode source = w.Source(node);
        bool sourceIsInput = source.Kind.IsInput;
        bool written = source.DeltaWrittenByReader;
        bool fused = written && source.FusedDerivativeReads is not null && source.Activation != Activation.Identity;
        PlannedParameter scale = node.Parameter(ParameterKind.Scale)!, shift = node.Parameter(ParameterKind.Shift)!;
        w.Line($"// Backward of {Formula(w.Plan, node)} (a training pass: batch statistics), x̂ = (x − μ)/σ with the forward pass's μ and 1/σ, n = batchSize·{Spatial(node.Shape)} values per channel");
        w.Line("//   ∂L/∂γ_c = Σ δy ⊙ x̂,  ∂L/∂β_c = Σ δy   (sums over the channel's n values; written, not added)");
        w.Line($"//   δ{source.Name} {(written ? "=" : "+=")} (γ_c/σ_c)·(δy − ∂L/∂β_c/n − x̂·∂L/∂γ_c/n)"
            + (written ? $"   (the only reader of {source.Name}: written, not added)" : "")
            + (fused ? $", then ⊙ f′ of {source.Name} = {ActivationTable.Derivative(source.Activation, source.Slope)} (fused)" : "")
            + (sourceIsInput ? "   (only when input gradients are asked for)" : ""));
        w.Line("//   one chunk of a cut batch: ∂L/∂γ_c and ∂L/∂β_c of the chunk (the reduction adds the chunks'), δ from the whole batch's sums, combined where the chunks meet");
        w.OpenBackward(node);
        string dx = sourceIsInput ? $"wantInputGradients ? {w.Deltas(source)} : default" : w.Deltas(source);
        string gradients = $"{Tensors.Access(scale.Gradient)}, {Tensors.Access(shift.Gradient)}, {dx}, {Emitter.Id(node.Members.Moments!)}, {w.Deltas(node)}, {w.Values(source)}";
        string sizes = $"{Channels(node.Shape)}, {Spatial(node.Shape)}, batchSize";
        string whole, chunk;
        if (written)
        {
            string derivative = w.DerivativeOperator(fused ? source.Activation : Activation.Identity);
            string derivativeSource = fused ? Tensors.Access(source.FusedDerivativeReads!) : "default";
            whole = $"{Names.BatchNorm}.BackwardWrite<{derivative}>({gradients}, {derivativeSource}, {sizes});";
            chunk = $"{Names.BatchNorm}.ChunkBackwardWrite<{derivative}>({GeneratedNames.BatchStatisticsField}, {GeneratedNames.BatchStatisticsChunkField}, {gradients}, {derivativeSource}, {sizes});";
        }
        else
        {
            whole = $"{Names.BatchNorm}.Backward({gradients}, {sizes});";
            chunk = $"{Names.BatchNorm}.ChunkBackward({GeneratedNames.BatchStatisticsField}, {GeneratedNames.BatchStatisticsChunkField}, {gradients}, {sizes});";
        }
        w.Line($"if ({GeneratedNames.BatchStatisticsField} is null)");
        w.Line($"    {whole}");
        w.Line("else");
        w.Line($"    {chunk}");
        w.Close();
        w.Line();
    }
}
