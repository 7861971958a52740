using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// Inverted dropout, as PyTorch's nn.Dropout in training: each value is kept with probability 1 − p and scaled by
/// 1/(1 − p), or zeroed. The mask is drawn from a counter-based generator: element i of a pass is kept when the hash of
/// (key, i) is at least p·2³², so the backward step re-derives the forward step's mask from the same key and no mask is
/// stored. A key is a function of the instance's seed, its count of training passes and the node, so a seeded run is
/// reproducible call for call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Dropout
{
    /// <summary>The key of one node's mask in one training pass.</summary>
    public static ulong Key(ulong seed, ulong pass, int node) => Mix(Mix(seed + pass * 0x9E3779B97F4A7C15UL) ^ ((ulong)node + 1) * 0xD1B54A32D192ED03UL);

    /// <summary>
    /// The seed of a replica's masks for chunk <paramref name="chunkIndex"/> of a split batch: a stream of its source's
    /// generator of its own, a function of the seed and the chunk only, so a seeded run draws the same masks whatever
    /// thread runs each chunk.
    /// </summary>
    public static ulong ChunkSeed(ulong seed, int chunkIndex) => Mix(seed ^ Mix(((ulong)chunkIndex + 1) * 0xBF58476D1CE4E5B9UL));

    /// <summary>y = x ⊙ m / (1 − p), m drawn from <paramref name="key"/>; y may alias x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, float probability, ulong key)
    {
        if (y.Length != x.Length)
            throw new ArgumentException("Source and destination lengths differ.", nameof(y));
        ulong threshold = Threshold(probability);
        float scale = 1f / (1f - probability);
        for (int i = 0; i < x.Length; i++)
            y[i] = Kept(key, i, threshold) ? x[i] * scale : 0f;
    }

    /// <summary>δx += δy ⊙ m / (1 − p), with the mask of the forward step that used <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddBackward(Span<float> inputGradients, ReadOnlySpan<float> delta, float probability, ulong key)
    {
        if (inputGradients.Length != delta.Length)
            throw new ArgumentException("Source and destination lengths differ.", nameof(inputGradients));
        ulong threshold = Threshold(probability);
        float scale = 1f / (1f - probability);
        for (int i = 0; i < delta.Length; i++)
            if (Kept(key, i, threshold))
                inputGradients[i] += delta[i] * scale;
    }

    /// <summary>p·2³², so that a 32-bit draw below it (probability p) drops the element.</summary>
    private static ulong Threshold(float probability)
    {
        if (!(probability >= 0f && probability < 1f))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A dropout probability is in [0, 1).");
        return (ulong)(probability * 4294967296.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Kept(ulong key, int i, ulong threshold) => Mix(key + (ulong)i * 0x9E3779B97F4A7C15UL) >> 32 >= threshold;

    /// <summary>SplitMix64's finaliser: every bit of the result depends on every bit of z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
