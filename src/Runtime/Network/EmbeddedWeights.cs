using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// How a network imported from ONNX ([OnnxNetwork]) gets its weights: the generator embeds them in the assembly as a
/// string literal whose UTF-16 code units are the floats' bits, two a float with the low half first, which is the
/// little-endian layout of a float. This reads them back without a copy of the literal or an allocation.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EmbeddedWeights
{
    /// <summary>Copies the floats whose bits <paramref name="bits"/> holds into <paramref name="destination"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">On a big-endian machine, where the halves would be swapped.</exception>
    /// <exception cref="ArgumentException">When the lengths do not match (two code units a float).</exception>
    public static void CopyTo(ReadOnlySpan<char> bits, Span<float> destination)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("NetGen embeds imported weights in little-endian order; this machine is big-endian.");
        if (bits.Length != 2 * destination.Length)
            throw new ArgumentException($"The embedded weights hold {bits.Length / 2} floats for {destination.Length} parameters.", nameof(bits));
        MemoryMarshal.Cast<char, float>(bits).CopyTo(destination);
    }
}
