using System.Linq;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

// The public API of the generated class: Forward, ComputeLoss and Backward, each checking its arguments and guarding
// the instance against a second call while one runs.
internal static partial class Emitter
{
    private static void WritePublicApi(CodeWriter w, NetworkPlan plan)
    {
        string output = Tensors.Access(plan.Output.Values);
        // Parameter names are written as strings, not nameof(…): in a class with a node named 'nameof', nameof(…) binds to the node.
        w.Line("/// <summary>Runs the network on one sample.</summary>");
        w.Line($"public void Forward({Names.ReadOnlySpan} input, {Names.Span} output) => {GeneratedNames.RunOneSample}(input, output);");
        w.Line();
        w.Line("/// <summary>Runs the network on <paramref name=\"batchSize\"/> samples: inputs [batchSize, InputSize] → outputs [batchSize, OutputSize], row-major.</summary>");
        w.Open($"public void Forward({Names.ReadOnlySpan} inputs, {Names.Span} outputs, int batchSize)");
        w.Open("if (batchSize == 1)");
        w.Line($"{GeneratedNames.RunOneSample}(inputs, outputs);");
        w.Line("return;");
        w.Close();
        w.Line($"{GeneratedNames.RunBatch}(inputs, outputs, batchSize);");
        w.Close();
        w.Line();
        w.Line("// Out of line, so that a one-sample call through the overload above does not pay for this body's frame: inlined, its");
        w.Line("// guard's try/finally and its calls had every call save registers and set up a frame before it reached RunOneSample.");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        w.Open($"private void {GeneratedNames.RunBatch}({Names.ReadOnlySpan} inputs, {Names.Span} outputs, int batchSize)");
        w.Line($"{Names.Arguments}.Check(batchSize, _maxBatchSize, inputs.Length, InputSize, outputs.Length, OutputSize, \"outputs\");");
        OpenCall(w, plan, Call.Forward);
        w.Line(RunForward(plan, training: false));
        w.Line($"global::NetGen.Kernels.SmallCopy.Copy({output}, outputs);");
        WriteStillMarked(w, plan, Call.Forward);
        CloseCall(w, plan, Call.Forward);
        w.Close();
        w.Line();
        WriteForwardOneSample(w, plan);
        w.Line("/// <summary>The loss of a batch (targets [batchSize, OutputSize]); <see cref=\"Gradients\"/> is left as it is.</summary>");
        w.Open($"public float ComputeLoss({Names.ReadOnlySpan} inputs, {Names.ReadOnlySpan} targets, int batchSize)");
        w.Line($"{Names.Arguments}.Check(batchSize, _maxBatchSize, inputs.Length, InputSize, targets.Length, OutputSize, \"targets\");");
        WriteTargetCheck(w, plan);
        WriteLossBody(w, plan, Call.ComputeLoss, "targets");
        w.Close();
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Forward and backward pass over a batch: overwrites <see cref=\"Gradients\"/> with ∂L/∂parameters, writes ∂L/∂inputs");
        w.Line("/// into <paramref name=\"inputGradients\"/> when it is not empty ([batchSize, InputSize]), and returns the loss.");
        w.Line("/// </summary>");
        w.Open($"public float Backward({Names.ReadOnlySpan} inputs, {Names.ReadOnlySpan} targets, int batchSize, {Names.Span} inputGradients = default)");
        w.Line($"{Names.Arguments}.Check(batchSize, _maxBatchSize, inputs.Length, InputSize, targets.Length, OutputSize, \"targets\");");
        w.Line($"{Names.Arguments}.CheckOptional(inputGradients.Length, batchSize, InputSize, \"inputGradients\");");
        WriteTargetCheck(w, plan);
        WriteTrainingBatchChecks(w, plan);
        WriteBackwardBody(w, plan, Call.Backward, "targets");
        w.Close();
        w.Line();
        if (plan.LossInfo.TargetDescription is string describe)
        {
            w.Line("/// <summary>What the loss cannot take in <paramref name=\"targets\"/> (a Dataset is checked with it), or null.</summary>");
            w.Line($"string? global::NetGen.INetwork.DescribeInvalidTargets({Names.ReadOnlySpan} targets, string name) => {Names.Arguments}.{describe}(targets, OutputSize, name);");
            w.Line();
        }
        if (plan.LossInfo.HasClassIndexApi)
            WriteLabelApi(w, plan);
        if (plan.DrawsRandomMasks)
        {
            w.Line("/// <summary>");
            w.Line("/// Seeds the generator of the dropout masks (0 when constructed) and restarts its sequence: two instances seeded alike");
            w.Line("/// draw the same masks, call for call. Replicas made before (CreateReplica, the Trainer's chunks) follow: each restarts");
            w.Line("/// its chunk's stream from the new seed at its next training pass.");
            w.Line("/// </summary>");
            w.Open($"public void {GeneratedNames.SeedDropout}(ulong seed)");
            w.Line($"{GeneratedNames.DropoutSeedField} = seed;");
            w.Line($"{GeneratedNames.DropoutPassField} = 0;");
            w.Line($"{GeneratedNames.DropoutSeedingsField}++;");
            w.Close();
            w.Line();
        }
    }

    /// <summary>ComputeLoss's guarded body, on target rows or labels: an evaluation pass, then the loss.</summary>
    private static void WriteLossBody(CodeWriter w, NetworkPlan plan, Call call, string targets)
    {
        OpenCall(w, plan, call);
        w.Line(RunForward(plan, training: false));
        w.Line($"float loss = LossOfLatestBatch({targets}, batchSize);");
        WriteStillMarked(w, plan, call);
        w.Line("return loss;");
        CloseCall(w, plan, call);
    }

    /// <summary>Backward's guarded body, on target rows or labels: a training pass, the loss, then the backward pass.</summary>
    private static void WriteBackwardBody(CodeWriter w, NetworkPlan plan, Call call, string targets)
    {
        OpenCall(w, plan, call);
        w.Line(RunForward(plan, training: true));
        w.Line($"float loss = LossOfLatestBatch({targets}, batchSize);");
        if (plan.NeedsClearing)
            w.Line("ClearGradientsAndDeltas(batchSize);");
        w.Line($"SeedOutputDelta({targets}, batchSize);");
        w.Line("RunBackward(batchSize, inputGradients);");
        WriteStillMarked(w, plan, call);
        w.Line("return loss;");
        CloseCall(w, plan, call);
    }

    /// <summary>The call of RunForward: a training pass (Backward) or an evaluation, for networks whose layers tell them apart.</summary>
    private static string RunForward(NetworkPlan plan, bool training) =>
        plan.TrainsDifferently ? $"RunForward(inputs, batchSize, {GeneratedNames.TrainingParameter}: {(training ? "true" : "false")});" : "RunForward(inputs, batchSize);";

    /// <summary>What the nodes check of a training batch before the call starts (batch statistics need more than one value).</summary>
    private static void WriteTrainingBatchChecks(CodeWriter w, NetworkPlan plan)
    {
        foreach (PlannedNode node in plan.Nodes)
            if (node.Kind.TrainingBatchCheck(node) is string check)
                w.Line(check);
    }

    /// <summary>
    /// The loss's own check of the targets' values (BCE: [0, 1]; cross-entropy: distributions), made before the call
    /// starts like the length checks: one or two vectorised passes over batch × outputs floats, about 1 % of a Backward.
    /// </summary>
    private static void WriteTargetCheck(CodeWriter w, NetworkPlan plan)
    {
        if (plan.LossInfo.TargetCheck is string check)
            w.Line($"{Names.Arguments}.{check}(targets, OutputSize, \"targets\");");
    }

    /// <summary>What the guard field holds while a public call runs (0: none); NetworkArguments.ThrowConcurrentUse names it.</summary>
    private enum Call
    {
        Forward = 1,
        ComputeLoss = 2,
        Backward = 3,
        ComputeLossOnLabels = 4,
        BackwardOnLabels = 5,
    }

    /// <summary>
    /// One call at a time per instance: a second thread (or a re-entrant call) gets an InvalidOperationException instead
    /// of two passes writing the same arenas. One uncontended compare-exchange on a field of the instance, once per call,
    /// and the mark checked again as the call ends (<see cref="WriteStillMarked"/>). A one-sample Forward marks the
    /// field with plain writes instead (<see cref="WriteForwardOneSample"/>).
    /// </summary>
    private static void OpenCall(CodeWriter w, NetworkPlan plan, Call call)
    {
        w.Line($"int running = global::System.Threading.Interlocked.CompareExchange(ref {GeneratedNames.CallInProgressField}, {(int)call}, 0);");
        w.Line("if (running != 0)");
        w.Line($"    {Names.Arguments}.ThrowConcurrentUse(\"{plan.ClassName}\", running);");
        w.Open("try");
    }

    /// <summary>
    /// The last statement of a guarded call's work: its mark must still be in the field. A one-sample Forward on another
    /// thread that started as this call did (they read the field free at once) has overwritten it.
    /// </summary>
    private static void WriteStillMarked(CodeWriter w, NetworkPlan plan, Call call) =>
        w.Line($"{Names.Arguments}.CheckStillMarked(ref {GeneratedNames.CallInProgressField}, {(int)call}, \"{plan.ClassName}\");");

    /// <summary>
    /// A one-sample Forward, the call whose fixed cost shows most: the guard is two plain writes of the field
    /// (NetworkArguments.EnterOneSample; a compare-exchange waits for every earlier store and costs more than a tiny
    /// network's arithmetic), and the mark is checked as the call ends. A network of unrolled layers only computes the
    /// sample as straight-line code (the plan's <see cref="NetworkPlan.StraightLineSample"/>): no batch loop, every size a
    /// constant, each node's values kept in locals and stored in the arena for its property; nothing in it can throw, so
    /// it needs no try/finally. Other networks run their batched pass on one row.
    /// </summary>
    private static void WriteForwardOneSample(CodeWriter w, NetworkPlan plan)
    {
        string enter = $"{Names.Arguments}.EnterOneSample(ref {GeneratedNames.CallInProgressField}, \"{plan.ClassName}\");";
        w.Line("// One sample: the guard's mark is set and cleared by plain writes (NetworkArguments.EnterOneSample), not a compare-exchange.");
        w.Open($"private void {GeneratedNames.RunOneSample}({Names.ReadOnlySpan} inputs, {Names.Span} outputs)");
        w.Line($"{Names.Arguments}.Check(1, _maxBatchSize, inputs.Length, InputSize, outputs.Length, OutputSize, \"outputs\");");
        w.Line(enter);
        if (plan.StraightLineSample)
        {
            w.Line("// Straight-line code, every index a constant inside a buffer the constructor sized: nothing here throws, so no try/finally.");
            WriteStraightLineSample(w, plan);
            WriteStillMarked(w, plan, Call.Forward);
            w.Line($"global::System.Threading.Volatile.Write(ref {GeneratedNames.CallInProgressField}, 0);");
        }
        else
        {
            w.Open("try");
            w.Line(plan.TrainsDifferently ? $"RunForward(inputs, 1, {GeneratedNames.TrainingParameter}: false);" : "RunForward(inputs, 1);");
            w.Line($"global::NetGen.Kernels.SmallCopy.Copy({Tensors.Access(plan.Output.Values)}, outputs);");
            WriteStillMarked(w, plan, Call.Forward);
            CloseCall(w, plan, Call.Forward);
        }
        w.Close();
        w.Line();
    }

    /// <summary>The straight-line body: the input into locals (and its arena slot), then each node's step as its kind writes it, then the output.</summary>
    private static void WriteStraightLineSample(CodeWriter w, NetworkPlan plan)
    {
        w.Line("_batchSize = 1;");
        PlannedNode input = plan.Input;
        w.Line($"// {input.Name} = input");
        string[] values = StraightLineValues(input);
        w.Line($"float {string.Join(", ", values.Select((v, i) => $"{v} = inputs[{i}]"))};");
        w.Open();
        w.Line($"{Names.Span} v = {Tensors.FirstRow(input.Values)};");
        w.Line(string.Join(" ", values.Select((v, i) => $"v[{i}] = {v};")));
        w.Close();
        var steps = new StepWriter(w, plan);
        foreach (PlannedNode node in plan.Nodes)
            if (!node.Kind.IsInput)
                node.Kind.WriteStraightLineSample(steps, node);
        w.Line(string.Join(" ", StraightLineValues(plan.Output).Select((v, i) => $"outputs[{i}] = {v};")));
    }

    /// <summary>The locals holding a node's values in the straight-line sample: "Hidden_0", "Hidden_1", … (the view's name, so unique).</summary>
    public static string[] StraightLineValues(PlannedNode node) =>
        Enumerable.Range(0, node.Size).Select(i => $"{Id(node.Values.View)}_{i}").ToArray();

    private static void CloseCall(CodeWriter w, NetworkPlan plan, Call call)
    {
        w.Close();
        // Another thread's one-sample Forward that slipped past the entry check (plain writes, see WriteForwardOneSample)
        // changes the batch size this call's views read, so its work may fail on the other call's sizes before the
        // last check: that is the overlap, reported as such. The filter costs nothing until something throws.
        w.Line($"catch (global::System.Exception exception) when ({Names.Arguments}.Overlapped(ref {GeneratedNames.CallInProgressField}, {(int)call}, exception))");
        w.Open();
        w.Line($"throw {Names.Arguments}.Overlap(ref {GeneratedNames.CallInProgressField}, {(int)call}, \"{plan.ClassName}\", exception);");
        w.Close();
        w.Line("finally");
        w.Open();
        w.Line($"global::System.Threading.Volatile.Write(ref {GeneratedNames.CallInProgressField}, 0);");
        w.Close();
    }

    /// <summary>
    /// ILabelNetwork: the loss with one class label per sample in place of a one-hot row. Names of their own, not
    /// overloads of Backward and ComputeLoss: an overload taking ReadOnlySpan&lt;int&gt; caught one-hot literals such as
    /// [0, 0, 1], which C# types as int, and read them as three labels.
    /// </summary>
    private static void WriteLabelApi(CodeWriter w, NetworkPlan plan)
    {
        const string Labels = "global::System.ReadOnlySpan<int> labels";
        w.Line("/// <summary>The loss of a batch whose targets are class labels in [0, OutputSize), one per sample.</summary>");
        w.Open($"public float {GeneratedNames.ComputeLossOnLabels}({Names.ReadOnlySpan} inputs, {Labels}, int batchSize)");
        w.Line($"{Names.Arguments}.Check(batchSize, _maxBatchSize, inputs.Length, InputSize, labels.Length, 1, \"labels\");");
        w.Line($"{Names.Arguments}.CheckLabels(labels, OutputSize, \"labels\");");
        WriteLossBody(w, plan, Call.ComputeLossOnLabels, "labels");
        w.Close();
        w.Line();
        w.Line("/// <summary>Forward and backward pass over a batch whose targets are class labels in [0, OutputSize), one per sample; returns the loss.</summary>");
        w.Open($"public float {GeneratedNames.BackwardOnLabels}({Names.ReadOnlySpan} inputs, {Labels}, int batchSize, {Names.Span} inputGradients = default)");
        w.Line($"{Names.Arguments}.Check(batchSize, _maxBatchSize, inputs.Length, InputSize, labels.Length, 1, \"labels\");");
        w.Line($"{Names.Arguments}.CheckOptional(inputGradients.Length, batchSize, InputSize, \"inputGradients\");");
        w.Line($"{Names.Arguments}.CheckLabels(labels, OutputSize, \"labels\");");
        WriteTrainingBatchChecks(w, plan);
        WriteBackwardBody(w, plan, Call.BackwardOnLabels, "labels");
        w.Close();
        w.Line();
    }
}
