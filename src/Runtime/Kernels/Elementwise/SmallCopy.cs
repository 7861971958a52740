using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// How a generated network copies a call's inputs into its activations and its outputs out of them. A one-sample call
/// of a tiny network moves one to a few floats, where <see cref="Span{T}.CopyTo"/>'s call into the runtime's memmove
/// costs more than the copy (a logistic neuron's whole Forward is a few nanoseconds): up to <see cref="ElementwiseLimit"/>
/// floats are copied one by one in the caller, longer spans by CopyTo.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SmallCopy
{
    /// <summary>The longest span copied element by element: 8 floats, one 256-bit register's worth.</summary>
    public const int ElementwiseLimit = 8;

    /// <summary>Copies <paramref name="source"/> into the start of <paramref name="destination"/>, as <see cref="ReadOnlySpan{T}.CopyTo"/> does (and throws as it does when the destination is too short).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ReadOnlySpan<float> source, Span<float> destination)
    {
        if ((uint)source.Length <= ElementwiseLimit && source.Length <= destination.Length)
        {
            for (int i = 0; i < source.Length; i++)
                destination[i] = source[i];
        }
        else
        {
            source.CopyTo(destination);
        }
    }
}
