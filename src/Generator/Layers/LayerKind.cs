using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>A kind's reading of its attribute's arguments, as an equatable record of values (no locations: see <see cref="NodeLocations"/>).</summary>
internal abstract record LayerArguments;

/// <summary>What a kind read from its attribute: its arguments (and where each is written) and the nodes it names as its sources.</summary>
internal sealed record ReadNode(LayerArguments Arguments, ImmutableArray<ArgumentLocation> ArgumentLocations, ImmutableArray<string> Sources, ImmutableArray<LocationInfo> SourceLocations);

/// <summary>
/// One layer kind, whole: how its attribute is read, its rules and diagnostics, its output shape, its parameter
/// tensors, its generated names, its planning decisions and its forward and backward code with their maths. The
/// pipeline asks the kind and never switches on it, so that a new kind is one descriptor (one file here), its runtime
/// kernels, its attribute and its tests. Every kind is a stateless singleton listed in <see cref="LayerKinds"/>; models
/// hold the descriptor itself, which compares by reference.
/// </summary>
internal abstract class LayerKind
{
    /// <summary>The attribute's name without "Attribute", as messages show it: "Dense" for [Dense].</summary>
    public abstract string Name { get; }

    /// <summary>The attribute's full metadata name, "NetGen.DenseAttribute".</summary>
    public string AttributeName => "NetGen." + Name + "Attribute";

    public override string ToString() => Name;

    // ---- Parse ----

    /// <summary>Reads the attribute's arguments; problems with their values are the validator's (<see cref="CheckArguments"/>).</summary>
    public abstract ReadNode Read(NodeAttribute attribute);

    // ---- Validate ----

    /// <summary>The network's input: exactly one node of such a kind, which reads nothing.</summary>
    public virtual bool IsInput => false;

    /// <summary>Reports what is wrong with the node's own arguments (sizes, activations, slopes), each at its argument.</summary>
    public virtual void CheckArguments(NodeSpec node, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
    }

    /// <summary>A node that names no source reads the node declared before it (Dense without From).</summary>
    public virtual bool ReadsNodeBeforeByDefault => false;

    /// <summary>How many distinct operands the node needs (two for Add and Max), or 0 when the kind takes a fixed number.</summary>
    public virtual int MinimumOperands => 0;

    /// <summary>
    /// The shape of one sample of the node's values, from its sources' shapes; null after reporting a mismatch (e.g.
    /// an Add of unequal shapes) at the argument that causes it.
    /// </summary>
    public abstract Shape? OutputShape(NodeSpec node, IReadOnlyList<NodeSpec> sources, IReadOnlyList<Shape> sourceShapes, ImmutableArray<DiagnosticInfo>.Builder diagnostics);

    /// <summary>The node's parameter tensors, in buffer order: role and shape (PyTorch's layout).</summary>
    public virtual IEnumerable<ParameterSpec> Parameters(NodeSpec node, Shape output, IReadOnlyList<Shape> sourceShapes) => [];

    /// <summary>
    /// The node's state tensors (PyTorch's buffers: a batch normalisation's running statistics), in buffer order: role,
    /// suffix and shape. State is saved and loaded with the parameters, but has no gradient and no optimiser touches it.
    /// </summary>
    public virtual IEnumerable<StateSpec> State(NodeSpec node, Shape output) => [];

    /// <summary>The activation the node applies to its values (Identity for kinds that have none).</summary>
    public virtual Activation ActivationOf(LayerArguments arguments) => Activation.Identity;

    /// <summary>The slope of a leaky ReLU activation, for formulas (kinds without an activation have none).</summary>
    public virtual float SlopeOf(LayerArguments arguments) => 0f;

    /// <summary>Whether the node has an activation argument at all, and where it is written, for the loss's messages.</summary>
    public virtual bool HasActivation => false;

    /// <summary>Where the activation argument is (or the attribute, for kinds without one).</summary>
    public virtual LocationInfo? ActivationLocation(NodeSpec node) => node.Locations.Attribute;

    // ---- Describe ----

    /// <summary>
    /// The node as the runtime's <c>NetworkGraph</c> describes it: its <c>GraphNodeKind</c> and settings (activation,
    /// window, ε, …). The planner keeps it in <see cref="PlannedNode.Description"/>; the emitter writes the graph from it.
    /// </summary>
    public abstract NodeDescription Describe(LayerArguments arguments);

    // ---- Names ----

    /// <summary>The members generated for a node of this kind (its property, steps and parameter views).</summary>
    public virtual NodeMemberNames Members(string node, LayerArguments arguments) => NodeMemberNames.Steps(node);

    // ---- Plan ----

    /// <summary>How the node becomes code, given its planned shapes and parameters.</summary>
    public virtual Lowering Lower(PlannedNode node, NetworkPlan partial) => Lowering.None;

    /// <summary>
    /// When the node is the only reader of a source, its backward step writes that source's δ instead of adding to
    /// it (so nothing is cleared), and may apply the source's f′ in the same pass (<see cref="PlannedNode.DerivativeFusedIntoReader"/>).
    /// </summary>
    public virtual bool WritesSourceDelta(PlannedNode node) => false;

    /// <summary>
    /// Multiply-adds of one sample's forward pass, what the Trainer weighs a batch's work by: by default each weight
    /// once per position of its output channel (a dense layer's W once, a convolution's at each of its output
    /// positions); kinds without weights count none.
    /// </summary>
    public virtual long MultiplyAddsPerSample(PlannedNode node)
    {
        long total = 0;
        foreach (PlannedParameter parameter in node.Parameters)
        {
            if (parameter.Kind == ParameterKind.Weight)
                total += (long)parameter.Value.Shape.Size * (node.Shape.Size / parameter.Value.Shape[0]);
        }
        return total;
    }

    // ---- Emit ----

    /// <summary>"Hidden1 = σ(W·X + b)": the node's maths, for comments and summaries.</summary>
    public abstract string Formula(NetworkPlan plan, PlannedNode node);

    /// <summary>"[64] ← [1]": its shape and what it reads, for comments.</summary>
    public abstract string ShapeText(NetworkPlan plan, PlannedNode node);

    /// <summary>The declaration of the node's shape type in <c>LayerShapes</c>, or null when its code needs none.</summary>
    public virtual string? ShapeType(NetworkPlan plan, PlannedNode node) => null;

    /// <summary>
    /// The node draws random masks in a training pass (dropout): its forward step gets the <c>training</c> flag, and
    /// the class gets the generator's seed, its pass count and <c>SeedDropout</c>.
    /// </summary>
    public virtual bool DrawsRandomMasks => false;

    /// <summary>
    /// The node computes otherwise in a training pass (Backward) than in evaluation (Forward, ComputeLoss): its forward
    /// step gets the <c>training</c> flag. Dropout (a mask) and batch normalisation (batch statistics) do.
    /// </summary>
    public virtual bool TrainsDifferently => DrawsRandomMasks;

    /// <summary>
    /// A statement that checks a training call's batch before it starts (a batch normalisation of one value per
    /// statistic cannot train on one sample), or null when the node takes any batch.
    /// </summary>
    public virtual string? TrainingBatchCheck(PlannedNode node) => null;

    /// <summary>The fewest samples a training batch must hold for this node (2 for a batch normalisation of one value per statistic).</summary>
    public virtual int MinTrainingBatchSize(PlannedNode node) => 1;

    /// <summary>
    /// The expression for the floats of the node's own buffer that its training pass leaves for its backward step (a
    /// batch normalisation's batch moments), asked of the runtime; null when it keeps nothing. The buffer is a private
    /// field named <see cref="NodeMemberNames.Moments"/>.
    /// </summary>
    public virtual string? MomentsLength(PlannedNode node) => null;

    /// <summary>
    /// The expression for the floats of scratch the node's kernels use within a call, asked of the runtime (the generator
    /// never repeats its rules), or null when they use none. The layers share one buffer, sized by the longest.
    /// </summary>
    public virtual string? ScratchLength(PlannedNode node) => null;

    /// <summary>What the kind's kernels keep in the scratch, for the comment on the buffer.</summary>
    public virtual string ScratchPurpose => "";

    /// <summary>
    /// The node can compute one sample as straight-line code (<see cref="WriteStraightLineSample"/>); when every node of a
    /// network can, its one-sample Forward is that code (<see cref="NetworkPlan.StraightLineSample"/>).
    /// </summary>
    public virtual bool WritesStraightLineSample(PlannedNode node) => false;

    /// <summary>
    /// Writes the node's step of the straight-line sample: its values from its sources' locals
    /// (<see cref="Emitter.StraightLineValues"/>) into its own, computed exactly as its batched step computes a row (the
    /// two paths give the same bits), and stored in its arena slot, where its property reads them.
    /// </summary>
    public virtual void WriteStraightLineSample(StepWriter w, PlannedNode node) =>
        throw new System.InvalidOperationException($"The plan asked for a straight-line sample of {Name}, which writes none.");

    /// <summary>The statement of <c>RunForward</c> that computes the node.</summary>
    public virtual string ForwardCall(NetworkPlan plan, PlannedNode node) => Emitter.Id(node.Members.Forward!) + "(batchSize);";

    /// <summary>The statement of <c>RunBackward</c> that runs the node's backward step.</summary>
    public virtual string BackwardCall(NetworkPlan plan, PlannedNode node) =>
        Emitter.Id(node.Members.Backward!) + (AsksForInputGradients(plan, node) ? "(batchSize, wantInputGradients);" : "(batchSize);");

    /// <summary>
    /// A node whose one source is the input computes ∂L/∂inputs only when the caller asks for them, so its backward step
    /// takes the flag (<see cref="StepWriter.OpenBackward"/> writes the matching signature).
    /// </summary>
    public static bool AsksForInputGradients(NetworkPlan plan, PlannedNode node) => node.Sources.Count == 1 && plan.Source(node).Kind.IsInput;

    /// <summary>Writes the node's forward step, headed by its maths.</summary>
    public abstract void WriteForward(StepWriter w, PlannedNode node);

    /// <summary>Writes the node's backward step (only nodes that reach the output get one), headed by its maths.</summary>
    public abstract void WriteBackward(StepWriter w, PlannedNode node);
}

/// <summary>A parameter tensor a kind declares: its role (PyTorch's name suffix) and shape.</summary>
internal sealed record ParameterSpec(ParameterKind Kind, string Suffix, Shape Shape, bool Penalised);

/// <summary>A state tensor a kind declares: its role, PyTorch's name suffix ("running_mean") and shape ([] for a count).</summary>
internal sealed record StateSpec(StateKind Kind, string Suffix, Shape Shape);

/// <summary>The registry of layer kinds: the parser finds a node's kind here by its attribute.</summary>
internal static class LayerKinds
{
    public static ImmutableArray<LayerKind> All { get; } =
    [
        InputLayer.Instance,
        DenseLayer.Instance,
        ConvolutionLayer.Conv1D,
        ConvolutionLayer.Conv2D,
        PoolingLayer.MaxPool1D,
        PoolingLayer.MaxPool2D,
        PoolingLayer.AvgPool1D,
        PoolingLayer.AvgPool2D,
        DropoutLayer.Instance,
        LayerNormLayer.Instance,
        BatchNormLayer.Instance,
        ElementwiseLayer.Add,
        ElementwiseLayer.Max,
        ActivationLayer.Instance,
    ];

    /// <summary>The kind whose attribute has the metadata name <paramref name="attributeName"/>, or null.</summary>
    public static LayerKind? ByAttribute(string? attributeName)
    {
        foreach (LayerKind kind in All)
            if (kind.AttributeName == attributeName)
                return kind;
        return null;
    }
}
