using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

/// <summary>
/// What a layer kind writes its steps with: the code writer, the plan, and the spellings of tensors, operators and
/// shape types, so that every kind names things the same way.
/// </summary>
internal sealed class StepWriter(CodeWriter code, NetworkPlan plan)
{
    public NetworkPlan Plan { get; } = plan;

    public void Line(string line = "") => code.Line(line);

    public void Open(string header) => code.Open(header);

    /// <summary>Opens a bare block, which scopes a step's own locals.</summary>
    public void Open() => code.Open();

    public void Close() => code.Close();

    public PlannedNode Source(PlannedNode node, int operand = 0) => Plan.Source(node, operand);

    public string Values(PlannedNode node) => Tensors.Access(node.Values);

    public string Deltas(PlannedNode node) => Tensors.Access(node.Deltas);

    public string PreActivations(PlannedNode node) => Tensors.Access(node.PreActivations!);

    public string Operator(Activation activation) => $"{Names.Kernels}.{ActivationTable.Get(activation).Operator}";

    public string DerivativeOperator(Activation activation) => $"{Names.Kernels}.{ActivationTable.Get(activation).DerivativeOperator}";

    /// <summary>
    /// Opens the node's backward step; it takes <c>wantInputGradients</c> when its source is the input
    /// (<see cref="Layers.LayerKind.AsksForInputGradients"/>), and the result says so.
    /// </summary>
    public bool OpenBackward(PlannedNode node)
    {
        bool asks = Layers.LayerKind.AsksForInputGradients(Plan, node);
        Open($"private void {Emitter.Id(node.Members.Backward!)}(int batchSize{(asks ? ", bool wantInputGradients" : "")})");
        return asks;
    }

    /// <summary>
    /// A node's shape type: its name and "Shape", inside the nested class (a node named "Inputs" would otherwise name a
    /// struct like its own member).
    /// </summary>
    public static string ShapeTypeName(PlannedNode node) => Emitter.Id(node.Name + "Shape");

    public static string ShapeTypeReference(PlannedNode node) => $"{GeneratedNames.LayerShapes}.{ShapeTypeName(node)}";

    /// <summary>
    /// The body of a forward step computing y = f(W·x + b) with a runtime kernel (<paramref name="kernels"/>: Dense or
    /// Convolution), whose Forward takes (y, z, x, w, b, scratch, batch): f inside the kernel where the activation table
    /// allows, z written apart where the plan keeps it, and f by its span kernel after the call when it cannot be fused.
    /// </summary>
    public void WriteAffineForward(PlannedNode node, string kernels)
    {
        PlannedNode source = Source(node);
        bool separateZ = node.PreActivations is not null;
        string activation = Operator(node.ActivationInKernel ? node.Activation : Activation.Identity);
        string z = separateZ && node.ActivationInKernel ? "z" : "default";
        string y = separateZ && !node.ActivationInKernel ? "z" : "y";
        PlannedParameter weight = node.Parameter(ParameterKind.Weight)!;
        PlannedParameter? bias = node.Parameter(ParameterKind.Bias);
        Open($"private void {Emitter.Id(node.Members.Forward!)}(int batchSize)");
        Line($"{Names.ReadOnlySpan} x = {Values(source)};");
        Line($"{Names.ReadOnlySpan} w = {Tensors.Access(weight.Value)};");
        if (bias is not null)
            Line($"{Names.ReadOnlySpan} b = {Tensors.Access(bias.Value)};");
        if (separateZ)
            Line($"{Names.Span} z = {PreActivations(node)};");
        if (!separateZ || node.ActivationInKernel)
            Line($"{Names.Span} y = {Values(node)};");
        Line($"{kernels}.Forward<{ShapeTypeReference(node)}, {activation}>({y}, {z}, x, w, {(bias is not null ? "b" : "default")}, {GeneratedNames.ScratchBuffer}, batchSize);");
        if (!node.ActivationInKernel)
            WriteActivation(node, separateZ ? Values(node) : "y", separateZ ? "z" : "y");
        Close();
        Line();
    }

    /// <summary>y = f(z) by the activation's span kernel (for activations the kernels cannot fuse); y and z may be one span.</summary>
    public void WriteActivation(PlannedNode node, string y, string z)
    {
        ActivationInfo activation = ActivationTable.Get(node.Activation);
        Line($"// y = {ActivationTable.Apply(node.Activation, "z", node.Slope)}");
        Line($"{Names.Activations}.{KernelName(activation)}({y}, {z}{Extra(activation, node)});");
    }

    /// <summary>δ ← δ ⊙ f′ in place, f′ read from the node's y or z as the plan says.</summary>
    public void WriteActivationBackward(PlannedNode node, string delta)
    {
        ActivationInfo activation = ActivationTable.Get(node.Activation);
        Line($"{Names.Activations}.{KernelName(activation)}Backward({delta}, {Tensors.Access(node.DerivativeReads!)}{Extra(activation, node)});");
    }

    /// <summary>The activation's span kernels; the plan never asks for an activation that has none (identity).</summary>
    private static string KernelName(ActivationInfo activation) =>
        activation.KernelName ?? throw new System.InvalidOperationException($"The plan asked for the span kernel of {activation.Kind}, which has none.");

    private static string Extra(ActivationInfo activation, PlannedNode node) => activation.Extra switch
    {
        ActivationExtra.None => "",
        ActivationExtra.Slope => ", " + Names.Float(node.Slope),
        ActivationExtra.RowLength => ", " + node.Size,
        _ => throw new System.ArgumentOutOfRangeException(nameof(activation), activation.Extra, "Not an argument the emitter knows."),
    };
}
