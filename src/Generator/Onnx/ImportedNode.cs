using System;
using System.Collections.Generic;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Onnx;

/// <summary>
/// A NetGen node while the importer builds it: later ONNX nodes may still fuse an activation into it or give it its bias,
/// so it stays mutable until <see cref="OnnxGraphBuilder"/> turns it into a <see cref="NodeSpec"/>.
/// </summary>
/// <param name="Prefix">The state-dict prefix of its parameters ("fc1"), or "" for a node without parameters.</param>
/// <param name="Make">Its kind's argument record from the activation, the leaky ReLU's slope and whether it has a bias.</param>
internal sealed class ImportedNode(string name, string prefix, LayerKind kind, Func<Activation, float, bool, LayerArguments> make, List<string> sources, Shape shape)
{
    public ImportedNode(string name, string prefix, LayerKind kind, LayerArguments arguments, List<string> sources, Shape shape)
        : this(name, prefix, kind, (_, _, _) => arguments, sources, shape)
    {
    }

    public string Name { get; } = name;

    public string Prefix { get; } = prefix;

    public LayerKind Kind { get; } = kind;

    public List<string> Sources { get; } = sources;

    /// <summary>One sample's shape of its values.</summary>
    public Shape Shape { get; } = shape;

    public Activation Activation { get; set; } = Activation.Identity;

    public float Slope { get; set; } = 0.01f;

    /// <summary>The weights in NetGen's (PyTorch's) layout, or null for a node without.</summary>
    public float[]? Weight { get; set; }

    public float[]? Bias { get; set; }

    /// <summary>A batch normalisation's running statistics, its state; null for other nodes.</summary>
    public float[]? RunningMean { get; set; }

    public float[]? RunningVariance { get; set; }

    public LayerArguments Arguments() => make(Activation, Slope, Bias is not null);
}

/// <summary>
/// The initial parameters of an imported network, in the parameter buffer's order, as the string the emitter writes:
/// each float's bits as two UTF-16 code units (low half first, as a little-endian machine lays them out). A string
/// compares and hashes fast, so an unchanged model costs one comparison in the incremental pipeline.
/// </summary>
/// <param name="File">The model file, as the attribute names it, for the generated code's comments.</param>
/// <param name="StateBits">The running statistics of its batch normalisations, in the state buffer's order, the same way.</param>
internal sealed record ImportedWeights(string File, string ParameterBits, string StateBits)
{
    public int Count => ParameterBits.Length / 2;

    public int StateCount => StateBits.Length / 2;
}

/// <summary>Floats as <see cref="ImportedWeights.ParameterBits"/> holds them.</summary>
internal static class WeightBits
{
    /// <summary>A float's bits without an allocation (netstandard2.0 has no BitConverter.SingleToInt32Bits).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
    private struct FloatBits
    {
        [System.Runtime.InteropServices.FieldOffset(0)] public float Float;
        [System.Runtime.InteropServices.FieldOffset(0)] public int Int;
    }

    public static void Append(System.Text.StringBuilder bits, float[] values)
    {
        foreach (float value in values)
        {
            int raw = new FloatBits { Float = value }.Int;
            bits.Append((char)(raw & 0xFFFF));
            bits.Append((char)((raw >> 16) & 0xFFFF));
        }
    }
}
