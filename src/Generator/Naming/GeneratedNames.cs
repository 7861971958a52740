using System.Collections.Generic;
using System.Collections.Immutable;
using NetGen.Generator.Model;

namespace NetGen.Generator.Naming;

/// <summary>A name the emitter writes into a network class, and what it is (for messages).</summary>
internal sealed record GeneratedMember(string Name, string Role);

/// <summary>
/// The generated names of one node, as value text. Null where the node gets no such member: an input has no steps or
/// views, a layer without a bias has no bias views. <see cref="Backward"/> is reserved for every layer, although only
/// layers that reach the output get a backward step, so that making a node reach the output never adds a collision.
/// </summary>
internal sealed record NodeMemberNames(
    string Property,
    string? Forward,
    string? Backward,
    string? Weights,
    string? WeightGradients,
    string? Bias,
    string? BiasGradients,
    string? RunningMean = null,
    string? RunningVariance = null,
    string? BatchesTracked = null,
    string? Moments = null)
{
    /// <summary>The names of a node with steps only (Add, Max, pooling, dropout).</summary>
    public static NodeMemberNames Steps(string node) => new(node, "Forward" + node, "Backward" + node, null, null, null, null);

    /// <summary>The names of a layer with a weight tensor and, when <paramref name="bias"/>, a bias: the views of both and their gradients.</summary>
    public static NodeMemberNames WithParameters(string node, bool bias) =>
        new(node, "Forward" + node, "Backward" + node, node + "Weights", node + "WeightGradients", bias ? node + "Bias" : null, bias ? node + "BiasGradients" : null);

    /// <summary>
    /// The names of a batch normalisation: γ and β as a weight and a bias, the views of its state tensors, and the
    /// private buffer of its batch moments.
    /// </summary>
    public static NodeMemberNames WithState(string node) =>
        WithParameters(node, bias: true) with
        {
            RunningMean = node + "RunningMean",
            RunningVariance = node + "RunningVariance",
            BatchesTracked = node + "BatchesTracked",
            Moments = node + "Moments",
        };

    /// <summary>Every name generated for the node besides its own property.</summary>
    public IEnumerable<GeneratedMember> Derived()
    {
        if (Forward is not null) yield return new(Forward, $"the forward step of '{Property}'");
        if (Backward is not null) yield return new(Backward, $"the backward step of '{Property}'");
        if (Weights is not null) yield return new(Weights, $"the weight view of '{Property}'");
        if (WeightGradients is not null) yield return new(WeightGradients, $"the weight-gradient view of '{Property}'");
        if (Bias is not null) yield return new(Bias, $"the bias view of '{Property}'");
        if (BiasGradients is not null) yield return new(BiasGradients, $"the bias-gradient view of '{Property}'");
        if (RunningMean is not null) yield return new(RunningMean, $"the running-mean view of '{Property}'");
        if (RunningVariance is not null) yield return new(RunningVariance, $"the running-variance view of '{Property}'");
        if (BatchesTracked is not null) yield return new(BatchesTracked, $"the batch count of '{Property}'");
        if (Moments is not null) yield return new(Moments, $"the batch-moments buffer of '{Property}'");
    }
}

/// <summary>
/// The one table of every name the emitter writes into a network class: members of the class, members derived from
/// each node's name, and the locals and parameters of generated method bodies. The validator reads it to report
/// collisions (NG0018 for nodes, NG0028 for members the user wrote), the planner to name each node's members, and the
/// emitter to write them, so that a generated member cannot be added without its name being checked.
/// <c>GeneratedNamesTests</c> compares this table with every name the emitted code declares.
/// </summary>
internal static class GeneratedNames
{
    // Public API.
    public const string InputSize = nameof(InputSize);
    public const string OutputSize = nameof(OutputSize);
    public const string ParameterCount = nameof(ParameterCount);
    public const string MultiplyAddsPerSample = nameof(MultiplyAddsPerSample);
    public const string MinTrainingBatchSize = nameof(MinTrainingBatchSize);
    public const string MaxBatchSize = nameof(MaxBatchSize);
    public const string Parameters = nameof(Parameters);
    public const string Gradients = nameof(Gradients);
    public const string ParameterTensors = nameof(ParameterTensors);
    public const string LossReduction = nameof(LossReduction);
    public const string Forward = nameof(Forward);
    public const string ComputeLoss = nameof(ComputeLoss);
    public const string Backward = nameof(Backward);
    public const string ComputeLossOnLabels = nameof(ComputeLossOnLabels);
    public const string BackwardOnLabels = nameof(BackwardOnLabels);
    public const string DescribeInvalidTargets = nameof(DescribeInvalidTargets);
    public const string SeedDropout = nameof(SeedDropout);
    public const string State = nameof(State);
    public const string StateCounts = nameof(StateCounts);
    public const string StateTensors = nameof(StateTensors);
    public const string CreateReplica = nameof(CreateReplica);
    public const string ShareBatchStatistics = nameof(ShareBatchStatistics);
    public const string Graph = nameof(Graph);

    // Private members.
    public const string ArenaFloatsPerSample = nameof(ArenaFloatsPerSample);
    public const string LayerShapes = nameof(LayerShapes);
    public const string ParameterTensorArray = "s_parameterTensors";
    public const string ParameterBuffer = "_parameters";
    public const string GradientBuffer = "_gradients";
    public const string ParameterStart = "_parameterStart";
    public const string GradientStart = "_gradientStart";
    public const string ActivationArena = "_activations";
    public const string DeltaArena = "_deltas";
    public const string ScratchBuffer = "_scratch";
    public const string StateTensorArray = "s_stateTensors";
    public const string StateBuffer = "_state";
    public const string StateCountBuffer = "_stateCounts";
    public const string ArenaViewType = "ArenaTensors";
    public const string PreActivationViewType = "PreActivationTensors";
    public const string ValuesView = "Values";
    public const string DeltasView = "Deltas";
    public const string PreActivationsView = "PreActivations";
    /// <summary>The arena field of the view structs, whose other members are named after the nodes (and the two fields below).</summary>
    public const string ViewArenaField = "_arena";
    public const string MaxBatchSizeField = "_maxBatchSize";
    public const string BatchSizeField = "_batchSize";
    public const string CallInProgressField = "_callInProgress";
    public const string RunForward = nameof(RunForward);
    public const string RunOneSample = nameof(RunOneSample);
    public const string RunBatch = nameof(RunBatch);
    public const string RunBackward = nameof(RunBackward);
    public const string LossOfLatestBatch = nameof(LossOfLatestBatch);
    public const string SeedOutputDelta = nameof(SeedOutputDelta);
    public const string ClearGradientsAndDeltas = nameof(ClearGradientsAndDeltas);
    public const string L2Penalty = nameof(L2Penalty);
    public const string AddL2Gradients = nameof(AddL2Gradients);
    public const string DropoutSeedField = "_dropoutSeed";
    public const string DropoutPassField = "_dropoutPass";
    public const string DropoutSeedingsField = "_dropoutSeedings";
    public const string DropoutSourceField = "_dropoutSource";
    public const string DropoutSourceSeedingsField = "_dropoutSourceSeedings";
    public const string DropoutChunkField = "_dropoutChunk";
    public const string CarriesPenaltyField = "_carriesPenalty";
    public const string BatchStatisticsField = "_batchStatistics";
    public const string BatchStatisticsChunkField = "_batchStatisticsChunk";
    /// <summary>RunForward's parameter (and the forward steps') telling a training pass from an evaluation.</summary>
    public const string TrainingParameter = "training";

    /// <summary>
    /// Every class-level member the emitter may write (some only for some networks: the L2 methods, the transposed
    /// weights). All are reserved for every network, so that a change of L2 or of a layer's width never turns a valid
    /// name into a collision.
    /// </summary>
    public static ImmutableArray<GeneratedMember> ClassMembers { get; } =
    [
        new(InputSize, "a public constant"),
        new(OutputSize, "a public constant"),
        new(ParameterCount, "a public constant"),
        new(MultiplyAddsPerSample, "a public constant"),
        new(MinTrainingBatchSize, "a public constant (networks whose training batches need two samples)"),
        new(MaxBatchSize, "a public property"),
        new(Parameters, "a public property"),
        new(Gradients, "a public property"),
        new(ParameterTensors, "a public property"),
        new(LossReduction, "a public property"),
        new(Forward, "a public method"),
        new(ComputeLoss, "a public method"),
        new(Backward, "a public method"),
        new(ComputeLossOnLabels, "a public method (ILabelNetwork)"),
        new(BackwardOnLabels, "a public method (ILabelNetwork)"),
        new(DescribeInvalidTargets, "an explicit implementation of INetwork"),
        new(SeedDropout, "a public method (networks with dropout)"),
        new(State, "a public property (networks with state)"),
        new(StateCounts, "a public property (networks with state)"),
        new(StateTensors, "a public property (networks with state)"),
        new(CreateReplica, "a public method"),
        new(ShareBatchStatistics, "an explicit implementation of INetwork (networks with state)"),
        new(Graph, "a public static property (the network's topology)"),
        new(ArenaFloatsPerSample, "a private constant"),
        new(LayerShapes, "a private nested class (the layers' shape types)"),
        new(ParameterTensorArray, "a private field"),
        new(ParameterBuffer, "a private field"),
        new(GradientBuffer, "a private field"),
        new(ParameterStart, "a private field"),
        new(GradientStart, "a private field"),
        new(ActivationArena, "a private field"),
        new(DeltaArena, "a private field"),
        new(ScratchBuffer, "a private field"),
        new(StateTensorArray, "a private field"),
        new(StateBuffer, "a private field"),
        new(StateCountBuffer, "a private field"),
        new(ArenaViewType, "a private nested struct (the arenas' tensors by name)"),
        new(PreActivationViewType, "a private nested struct (the kept pre-activations by name)"),
        new(ValuesView, "a private property (every node's values by name)"),
        new(DeltasView, "a private property (every node's δ by name)"),
        new(PreActivationsView, "a private property (the kept pre-activations by name)"),
        new(ViewArenaField, "a field of the arena view structs"),
        new(MaxBatchSizeField, "a private field"),
        new(BatchSizeField, "a private field"),
        new(CallInProgressField, "a private field"),
        new(RunForward, "a private method"),
        new(RunOneSample, "a private method"),
        new(RunBatch, "a private method"),
        new(RunBackward, "a private method"),
        new(LossOfLatestBatch, "a private method"),
        new(SeedOutputDelta, "a private method"),
        new(ClearGradientsAndDeltas, "a private method"),
        new(L2Penalty, "a private method"),
        new(AddL2Gradients, "a private method"),
        new(DropoutSeedField, "a private field"),
        new(DropoutPassField, "a private field"),
        new(DropoutSeedingsField, "a private field"),
        new(DropoutSourceField, "a private field"),
        new(DropoutSourceSeedingsField, "a private field"),
        new(DropoutChunkField, "a private field"),
        new(CarriesPenaltyField, "a private field (summed losses with an L2 penalty)"),
        new(BatchStatisticsField, "a private field (networks with state)"),
        new(BatchStatisticsChunkField, "a private field (networks with state)"),
    ];

    /// <summary>The class's constructor, which a member named like the class would collide with.</summary>
    public static GeneratedMember Constructor(string className) => new(className, "the constructor");

    /// <summary>The names generated for a node, as its layer kind gives them: its property, its steps and its parameter views.</summary>
    public static NodeMemberNames ForNode(NodeSpec node) => node.Kind.Members(node.Name, node.Arguments);

    /// <summary>
    /// Names of parameters and locals in generated method bodies. None is built from a user's name (a local named
    /// after a node could collide with another local: an operand named 'y' made 'dy' twice), and none is a class
    /// member, so a body never hides a member it uses; a node named like one of them is fine, because a local or
    /// parameter only hides the node's property inside that body, which never reads node properties.
    /// </summary>
    public static class Locals
    {
        public static ImmutableArray<string> Fixed { get; } =
        [
            "input", "output", "inputs", "outputs", "targets", "labels", "name", "batchSize", "inputGradients", "maxBatchSize", "source", "chunkIndex", "statistics", "exception",
            "wantInputGradients", "training", "seed", "arena", "running", "loss", "penalty", "w", "wt", "b", "x", "z", "y", "dz", "dy", "k",
            "dx", "dw", "db", "f", "s", "n",
        ];

        /// <summary>
        /// Locals of unrolled layers, named by position: x1 (input 1 of the sample), w0_1 or w01 (W[0, 1]), b0, z0, d0
        /// (δz of unit 0), gw01 and gb0 (the gradient sums).
        /// </summary>
        public static bool IsUnrolledPosition(string name) =>
            System.Text.RegularExpressions.Regex.IsMatch(name, "^(x|w|b|z|d|gw|gb)[0-9]+(_[0-9]+)?$");

        /// <summary>The values of the <paramref name="operand"/>-th operand of an element-wise node.</summary>
        public static string OperandValues(int operand) => "a" + operand;

        /// <summary>The δ of the <paramref name="operand"/>-th operand of an element-wise node.</summary>
        public static string OperandDeltas(int operand) => "d" + operand;
    }
}
