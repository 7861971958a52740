using System;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

/// <summary>
/// The one place where a planned tensor becomes code: its view's declaration (the only text that holds its offset) and
/// the expression every step body reads it through.
/// </summary>
internal static class Tensors
{
    /// <summary>The expression for the tensor in a method of the network class: "Hidden1Weights", "Values.Hidden1", "Deltas.Output".</summary>
    public static string Access(TensorRef tensor) => tensor.Buffer switch
    {
        TensorBuffer.Parameters or TensorBuffer.Gradients or TensorBuffer.State or TensorBuffer.StateCounts => Emitter.Id(tensor.View),
        TensorBuffer.Values => GeneratedNames.ValuesView + "." + Emitter.Id(tensor.View),
        TensorBuffer.PreActivations => GeneratedNames.PreActivationsView + "." + Emitter.Id(tensor.View),
        TensorBuffer.Deltas => GeneratedNames.DeltasView + "." + Emitter.Id(tensor.View),
        _ => throw new ArgumentOutOfRangeException(nameof(tensor), tensor.Buffer, "Not a buffer the emitter knows."),
    };

    /// <summary>
    /// The span a view returns. A parameter tensor: its place in the parameter (or gradient) buffer. An arena tensor,
    /// inside the arena's view struct: the rows of the latest batch at the start of the node's slot of [maxBatchSize, size].
    /// </summary>
    public static string Declaration(TensorRef tensor) => tensor.Buffer switch
    {
        TensorBuffer.Parameters => $"new({GeneratedNames.ParameterBuffer}, {GeneratedNames.ParameterStart} + {tensor.Offset}, {tensor.Shape.Size})",
        TensorBuffer.Gradients => $"new({GeneratedNames.GradientBuffer}, {GeneratedNames.GradientStart} + {tensor.Offset}, {tensor.Shape.Size})",
        TensorBuffer.State => $"new({GeneratedNames.StateBuffer}, {tensor.Offset}, {tensor.Shape.Size})",
        // A count is one long, viewed by reference: read, set, and passed to the kernel that increments it.
        TensorBuffer.StateCounts => $"ref {GeneratedNames.StateCountBuffer}[{tensor.Offset}]",
        TensorBuffer.Values or TensorBuffer.PreActivations or TensorBuffer.Deltas =>
            $"new({GeneratedNames.ViewArenaField}, {Slot(tensor.Offset, GeneratedNames.MaxBatchSizeField)}, {GeneratedNames.BatchSizeField} * {tensor.Shape.Size})",
        _ => throw new ArgumentOutOfRangeException(nameof(tensor), tensor.Buffer, "Not a buffer the emitter knows."),
    };

    /// <summary>
    /// The first row of an arena tensor as a span of its constant length, for the straight-line sample: the JIT knows
    /// the length, so constant indices need no checks (the view, whose length is batchSize × size, would need them).
    /// </summary>
    public static string FirstRow(TensorRef tensor) => tensor.Buffer switch
    {
        TensorBuffer.Values => $"new {Names.Span}({GeneratedNames.ActivationArena}, {Slot(tensor.Offset, GeneratedNames.MaxBatchSizeField)}, {tensor.Shape.Size})",
        _ => throw new ArgumentOutOfRangeException(nameof(tensor), tensor.Buffer, "Only the values' first row is read this way."),
    };

    /// <summary>The offset of a slot of the arenas: each slot holds [maxBatchSize, size].</summary>
    public static string Slot(int slot, string maxBatchSize) => slot == 0 ? "0" : $"{slot} * {maxBatchSize}";
}
