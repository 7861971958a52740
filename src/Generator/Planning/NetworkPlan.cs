using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// Everything the emitter needs, resolved: nodes in the order they are computed, sizes, where each
/// parameter tensor and each activation lives. The emitter only writes text from this.
/// </summary>
/// <param name="Namespace">Dotted value text (see <see cref="NetworkSpec.Namespace"/>); the emitter escapes each part.</param>
/// <param name="ClassName">Value text; the emitter escapes it.</param>
/// <param name="HintName">The generated file's name.</param>
/// <param name="Nodes">Topological order: every node after the nodes it reads.</param>
/// <param name="ActivationFloatsPerSample">Floats per sample of the activation arena (the delta arena has the same layout).</param>
/// <param name="TransposedWeightsFloats">Length of the scratch buffer the forward kernels may copy Wᵀ into (see <see cref="PlannedNode.TransposedWeightsOffset"/>).</param>
internal sealed record NetworkPlan(
    string? Namespace,
    string ClassName,
    string HintName,
    EquatableArray<PlannedNode> Nodes,
    int InputNode,
    int OutputNode,
    LossKind Loss,
    float LossScale,
    bool MeanReduction,
    float L2,
    int ParameterCount,
    int ActivationFloatsPerSample,
    int TransposedWeightsFloats)
{
    public PlannedNode Input => Nodes[InputNode];

    public PlannedNode Output => Nodes[OutputNode];
}

/// <param name="Name">Value text, for comments and string literals; code uses <see cref="Members"/>, escaped.</param>
/// <param name="Members">The names of the members generated for the node, from <see cref="Naming.GeneratedNames"/>.</param>
/// <param name="Sources">Indices (into <see cref="NetworkPlan.Nodes"/>) of the nodes this node reads.</param>
/// <param name="WeightOffset">Offset of the [Size, FanIn] weight matrix in the parameter buffer, or -1.</param>
/// <param name="BiasOffset">Offset of the [Size] bias vector, or -1.</param>
/// <param name="ValueSlot">Per-sample offset of the node's values in the activation arena (times the batch capacity gives the offset).</param>
/// <param name="PreActivationSlot">Per-sample offset of z = W·x + b when it must be kept apart from y = f(z), or -1.</param>
/// <param name="ReachesOutput">Whether the loss depends on the node: only such nodes get a backward step.</param>
/// <param name="FusedWithLoss">The output layer's activation is folded into the loss gradient (sigmoid + BCE, softmax + CE).</param>
/// <param name="Lowering">How a dense layer becomes code: calls to the runtime's kernels, or straight-line code in the generated file.</param>
/// <param name="TransposedWeightsOffset">Where this layer's Wᵀ [inputs, units] scratch starts in the network's transposed-weights buffer, or -1 when it has none.</param>
/// <param name="DeltaWrittenByReader">δ of this node is written (not added) by its one reader, a dense layer, so it is never cleared.</param>
/// <param name="DerivativeFusedIntoReader">This dense node's f′ is applied by its one reader's input-gradient step (δz = (δ·W) ⊙ f′ in one pass).</param>
internal sealed record PlannedNode(
    string Name,
    Naming.NodeMemberNames Members,
    string Accessibility,
    NodeKind Kind,
    int Size,
    ActivationKind Activation,
    float Slope,
    EquatableArray<int> Sources,
    int FanIn,
    int WeightOffset,
    int BiasOffset,
    int ValueSlot,
    int PreActivationSlot,
    bool ReachesOutput,
    bool FusedWithLoss,
    DenseLowering Lowering = DenseLowering.None,
    int TransposedWeightsOffset = -1,
    bool DeltaWrittenByReader = false,
    bool DerivativeFusedIntoReader = false)
{
    public bool HasWeights => WeightOffset >= 0;

    public bool HasBias => BiasOffset >= 0;
}

/// <summary>How a dense layer is turned into code.</summary>
internal enum DenseLowering
{
    /// <summary>Not a dense layer.</summary>
    None,

    /// <summary>Calls to the runtime's <c>Dense</c> kernels, with the layer's sizes as a shape type.</summary>
    Kernels,

    /// <summary>Straight-line multiply-adds in the generated file: the layer is smaller than a kernel call's overhead.</summary>
    Unrolled,
}
