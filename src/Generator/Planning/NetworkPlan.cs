using System.Linq;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// Everything the emitter needs, resolved: nodes in the order they are computed, their shapes, every tensor by name
/// and place, and every decision about the code (lowering, fusions, what is cleared). The emitter only writes text.
/// </summary>
/// <param name="Namespace">Dotted value text (see <see cref="NetworkSpec.Namespace"/>); the emitter escapes each part.</param>
/// <param name="ClassName">Value text; the emitter escapes it.</param>
/// <param name="HintName">The generated file's name.</param>
/// <param name="Nodes">Topological order: every node after the nodes it reads.</param>
/// <param name="MeanReduction">The loss is a mean over samples (else a sum).</param>
/// <param name="ActivationFloatsPerSample">Floats per sample of the activation arena (the delta arena has the same layout).</param>
internal sealed record NetworkPlan(
    string? Namespace,
    string ClassName,
    string HintName,
    EquatableArray<PlannedNode> Nodes,
    int InputNode,
    int OutputNode,
    Loss Loss,
    float LossScale,
    bool MeanReduction,
    float L2,
    int ParameterCount,
    int ActivationFloatsPerSample,
    int StateFloats = 0,
    int StateCounts = 0)
{
    /// <summary>
    /// A one-sample Forward computes as straight-line code written by each node's kind (every node but the input says it
    /// can: <see cref="LayerKind.WritesStraightLineSample"/>), not through the batched steps with a batch of one.
    /// </summary>
    public bool StraightLineSample { get; init; }

    /// <summary>For a network imported from an ONNX file: the weights the constructor starts from; else null (they start at zero).</summary>
    public Onnx.ImportedWeights? Imported { get; init; }

    public PlannedNode Input => Nodes[InputNode];

    public PlannedNode Output => Nodes[OutputNode];

    public LossInfo LossInfo => LossTable.Get(Loss);

    public PlannedNode Source(PlannedNode node, int operand = 0) => Nodes[node.Sources[operand]];

    /// <summary>Some gradient or δ must start from zero before the backward pass (see <see cref="PlannedNode.ClearsDelta"/>).</summary>
    public bool NeedsClearing => Nodes.Any(n => n.ClearsDelta || n.ClearsGradients);

    /// <summary>Some node draws random masks in training (dropout): the class has the masks' generator.</summary>
    public bool DrawsRandomMasks => Nodes.Any(n => n.Kind.DrawsRandomMasks);

    /// <summary>Some node computes otherwise in training (dropout, batch normalisation): the forward pass knows whether it trains.</summary>
    public bool TrainsDifferently => Nodes.Any(n => n.Kind.TrainsDifferently);

    /// <summary>Some node keeps state (running statistics): the class has the state buffers and their tensor list.</summary>
    public bool HasState => Nodes.Any(n => n.State.Count > 0);

    /// <summary>Multiply-adds of one sample's forward pass, as each kind counts them.</summary>
    public long MultiplyAddsPerSample => Nodes.Sum(n => n.Kind.MultiplyAddsPerSample(n));

    /// <summary>The fewest samples a training batch must hold: 2 with a batch normalisation of one value per statistic, else 1.</summary>
    public int MinTrainingBatchSize => Nodes.Max(n => n.Kind.MinTrainingBatchSize(n));

    /// <summary>Some node keeps z apart from y.</summary>
    public bool KeepsPreActivations => Nodes.Any(n => n.PreActivations is not null);
}

/// <param name="Name">Value text, for comments and string literals; code uses <see cref="Members"/>, escaped.</param>
/// <param name="Members">The names of the members generated for the node, from <see cref="Naming.GeneratedNames"/>.</param>
/// <param name="Kind">The layer kind: its descriptor writes the node's steps.</param>
/// <param name="Shape">The shape of one sample of the node's values.</param>
/// <param name="Sources">Indices (into <see cref="NetworkPlan.Nodes"/>) of the nodes this node reads.</param>
/// <param name="Parameters">The node's parameter tensors, in the order of the parameter buffer.</param>
/// <param name="Values">y of every sample of the batch, in the activation arena.</param>
/// <param name="Deltas">δ = ∂L/∂y (turned into ∂L/∂z in place by the node's backward step), in the delta arena.</param>
/// <param name="PreActivations">z when it must be kept apart from y = f(z) (f′ reads z, or the loss reads the logits), or null.</param>
/// <param name="ReachesOutput">Whether the loss depends on the node: only such nodes get a backward step.</param>
/// <param name="FusedWithLoss">The output layer's activation is folded into the loss gradient (sigmoid + BCE, softmax + CE).</param>
/// <param name="Lowering">How the node's steps become code: runtime kernels, or straight-line code in the generated file.</param>
/// <param name="DeltaWrittenByReader">δ of this node is written (not added) by its one reader, so it is never cleared.</param>
/// <param name="DerivativeFusedIntoReader">This node's f′ is applied by its one reader's input-gradient step (δz = (δ·W) ⊙ f′ in one pass).</param>
/// <param name="ClearsDelta">δ of this node starts from zero before each backward pass: its readers add to it.</param>
/// <param name="ClearsGradients">The node's parameter gradients are cleared: the loss does not depend on them, so no step writes them.</param>
/// <param name="ActivationInKernel">f runs inside the kernel as results leave it; otherwise the kernel writes z and f runs after it.</param>
/// <param name="DerivativeReads">What f′ of the node is computed from: its y, or its z (softplus); null for the identity.</param>
/// <param name="State">The node's state tensors (running statistics), in the order of the state buffers.</param>
/// <param name="Description">The node as the runtime's graph describes it (kind and settings), from its kind.</param>
internal sealed record PlannedNode(
    string Name,
    Naming.NodeMemberNames Members,
    string Accessibility,
    LayerKind Kind,
    LayerArguments Arguments,
    NodeDescription Description,
    Shape Shape,
    EquatableArray<int> Sources,
    EquatableArray<PlannedParameter> Parameters,
    TensorRef Values,
    TensorRef Deltas,
    TensorRef? PreActivations,
    bool ReachesOutput,
    bool FusedWithLoss,
    Lowering Lowering = Lowering.None,
    bool DeltaWrittenByReader = false,
    bool DerivativeFusedIntoReader = false,
    bool ClearsDelta = false,
    bool ClearsGradients = false,
    bool ActivationInKernel = true,
    TensorRef? DerivativeReads = null,
    EquatableArray<PlannedState> State = default)
{
    /// <summary>The node's backward step applies its own f′ to δ (not fused with the loss, not left to its reader, not the identity).</summary>
    public bool AppliesOwnDerivative => !FusedWithLoss && !DerivativeFusedIntoReader && DerivativeReads is not null;

    /// <summary>What the reader's input-gradient step reads to apply this node's f′, or null when it applies none.</summary>
    public TensorRef? FusedDerivativeReads => DerivativeFusedIntoReader ? DerivativeReads : null;

    /// <summary>The leaky ReLU's slope, for formulas.</summary>
    public float Slope => Kind.SlopeOf(Arguments);

    /// <summary>Values per sample.</summary>
    public int Size => Shape.Size;

    /// <summary>The activation the node applies (Identity for kinds without one).</summary>
    public Activation Activation => Kind.ActivationOf(Arguments);

    public PlannedParameter? Parameter(ParameterKind kind) => Parameters.FirstOrDefault(p => p.Kind == kind);

    public PlannedParameter Weight => Parameter(ParameterKind.Weight)!;

    public PlannedParameter? Bias => Parameter(ParameterKind.Bias);

    /// <summary>Parameters in this node, all tensors together.</summary>
    public int ParameterCount => Parameters.Sum(p => p.Value.Shape.Size);
}

/// <summary>One parameter tensor of a node, with its gradient.</summary>
/// <param name="StateDictName">PyTorch's name for it: "Hidden1.weight".</param>
/// <param name="Penalised">The L2 term applies to it (weights, not biases).</param>
/// <param name="Summary">What its view is, for the view's summary ("Hidden1's weights W, row-major [64, 1] (PyTorch's layout).").</param>
/// <param name="GradientSummary">The same for its gradient view.</param>
internal sealed record PlannedParameter(
    string StateDictName,
    ParameterKind Kind,
    TensorRef Value,
    TensorRef Gradient,
    bool Penalised,
    string Summary,
    string GradientSummary);

/// <summary>One state tensor of a node (PyTorch's buffer): a running statistic or a count.</summary>
/// <param name="StateDictName">PyTorch's name for it: "Norm.running_mean".</param>
/// <param name="Summary">What its view is, for the view's summary.</param>
internal sealed record PlannedState(string StateDictName, StateKind Kind, TensorRef Value, string Summary);

/// <summary>Which buffer a tensor lives in.</summary>
internal enum TensorBuffer
{
    /// <summary>The parameter buffer; offset and shape are the tensor's own.</summary>
    Parameters,
    /// <summary>The gradient buffer, in the parameters' layout.</summary>
    Gradients,
    /// <summary>Node values y in the activation arena; the offset is a per-sample slot, the shape one sample's.</summary>
    Values,
    /// <summary>z kept apart from y, in the activation arena too.</summary>
    PreActivations,
    /// <summary>δ in the delta arena, in the values' layout.</summary>
    Deltas,
    /// <summary>The float state buffer (running statistics); offset and shape are the tensor's own.</summary>
    State,
    /// <summary>The integer state buffer (batch counts), one long per count.</summary>
    StateCounts,
}

/// <summary>
/// A named tensor: where it lives and what shape it has. The emitter declares one view per tensor, from these alone,
/// and every step body reads the tensor through that view's name (<see cref="Emit.Tensors"/>).
/// </summary>
/// <param name="View">The member that views it: a class member for parameters ("Hidden1Weights"), a member of the
/// arena's view struct for arena tensors (the node's name).</param>
/// <param name="Offset">Index of its first value in its buffer; for arena tensors the per-sample slot (the slot holds [maxBatchSize, size]).</param>
internal sealed record TensorRef(TensorBuffer Buffer, string View, int Offset, Shape Shape);

/// <summary>How a node's steps are turned into code.</summary>
internal enum Lowering
{
    /// <summary>Written by its kind with no choice to make (inputs, element-wise nodes).</summary>
    None,

    /// <summary>Calls to the runtime's kernels, with the layer's sizes as a shape type.</summary>
    Kernels,

    /// <summary>Straight-line multiply-adds in the generated file: the layer is smaller than a kernel call's overhead.</summary>
    Unrolled,
}
