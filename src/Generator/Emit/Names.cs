using System.Globalization;

namespace NetGen.Generator.Emit;

/// <summary>Spellings shared by the emitter and the layer kinds' steps: type names and literals.</summary>
internal static class Names
{
    public const string Span = "global::System.Span<float>";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    public const string Tensor = "global::System.Numerics.Tensors.TensorPrimitives";
    public const string Kernels = "global::NetGen.Kernels";
    public const string Dense = "global::NetGen.Kernels.Dense";
    public const string Convolution = "global::NetGen.Kernels.Convolution";
    public const string Pooling = "global::NetGen.Kernels.Pooling";
    public const string Dropout = "global::NetGen.Kernels.Dropout";
    public const string LayerNorm = "global::NetGen.Kernels.LayerNorm";
    public const string BatchNorm = "global::NetGen.Kernels.BatchNorm";
    public const string ChunkedBatchStatistics = "global::NetGen.Kernels.ChunkedBatchStatistics";
    public const string Activations = "global::NetGen.Kernels.Activations";
    public const string Losses = "global::NetGen.Kernels.Losses";
    public const string Arguments = "global::NetGen.NetworkArguments";
    public const string EmbeddedWeights = "global::NetGen.EmbeddedWeights";
    public const string AlignedArrays = "global::NetGen.AlignedArrays";

    /// <summary>
    /// On the generated methods that loop over the batch themselves (unrolled layers): compiled fully optimised on the
    /// first call, not as tier-0 code that on-stack replacement rescues later (docs/benchmarks.md, the first second).
    /// </summary>
    public const string FullyOptimized = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";
}
