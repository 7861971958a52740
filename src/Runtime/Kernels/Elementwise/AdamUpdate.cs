using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>The numbers one Adam or AdamW step applies to every element (<see cref="AdamUpdate"/>).</summary>
/// <param name="Beta1">β₁.</param>
/// <param name="Beta2">β₂.</param>
/// <param name="BiasCorrection2Root">√(1 − β₂ᵗ).</param>
/// <param name="Epsilon">ε.</param>
/// <param name="StepScale">−η / (1 − β₁ᵗ).</param>
/// <param name="L2">λ added to the gradient as λ·θ (Adam's weight decay), or 0.</param>
/// <param name="Shrink">1 − ηλ applied to θ first (AdamW's decoupled decay), or 1.</param>
internal readonly record struct AdamCoefficients(
    float Beta1, float Beta2, float BiasCorrection2Root, float Epsilon, float StepScale, float L2, float Shrink);

/// <summary>
/// One Adam step in one pass over θ, g, m and v (instead of ten passes of TensorPrimitives calls), with the operations
/// of PyTorch's single-tensor Adam in its order, each rounded once (no fused multiply-add), so that every width and the
/// scalar tail give the same bits and a step cut into slices equals the whole:
/// <code>
/// θ ← θ·(1 − ηλ)            (AdamW)         g ← θ·λ + g   (Adam with weight decay)
/// m ← m·β₁;  m ← g·(1 − β₁) + m
/// v ← v·β₂;  v ← g²·(1 − β₂) + v
/// θ ← (m / (√v / √(1 − β₂ᵗ) + ε))·(−η / (1 − β₁ᵗ)) + θ
/// </code>
/// </summary>
internal static class AdamUpdate
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, in AdamCoefficients c)
    {
        if (gradients.Length != parameters.Length || m.Length != parameters.Length || v.Length != parameters.Length)
            throw new ArgumentException("The parameters, gradients and moments differ in length.", nameof(gradients));
        ref float theta = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float pm = ref MemoryMarshal.GetReference(m);
        ref float pv = ref MemoryMarshal.GetReference(v);
        nint n = parameters.Length, i = 0;
        // The update is in place, so the tail cannot be an overlapping vector: narrower widths, then scalars, finish it.
        if (Vector512.IsHardwareAccelerated)
            i = Run<V512, Vector512<float>>(ref theta, ref g, ref pm, ref pv, c, i, n);
        if (Vector256.IsHardwareAccelerated)
            i = Run<V256, Vector256<float>>(ref theta, ref g, ref pm, ref pv, c, i, n);
        if (Vector128.IsHardwareAccelerated)
            i = Run<V128, Vector128<float>>(ref theta, ref g, ref pm, ref pv, c, i, n);
        Run<Scalar, float>(ref theta, ref g, ref pm, ref pv, c, i, n);
    }

    /// <summary>The update of elements [i, …) in whole vectors of <typeparamref name="TV"/>; returns the first element left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static nint Run<TOps, TV>(ref float theta, ref float gradient, ref float m, ref float v, in AdamCoefficients c, nint i, nint n)
        where TOps : IVectorOps<TV> where TV : struct
    {
        TV beta1 = TOps.Broadcast(c.Beta1), complement1 = TOps.Broadcast(1f - c.Beta1);
        TV beta2 = TOps.Broadcast(c.Beta2), complement2 = TOps.Broadcast(1f - c.Beta2);
        TV root2 = TOps.Broadcast(c.BiasCorrection2Root), epsilon = TOps.Broadcast(c.Epsilon);
        TV scale = TOps.Broadcast(c.StepScale), l2 = TOps.Broadcast(c.L2), shrink = TOps.Broadcast(c.Shrink);
        bool coupled = c.L2 != 0f, decoupled = c.Shrink != 1f;
        for (; i + TOps.Count <= n; i += TOps.Count)
        {
            TV t = TOps.Load(ref theta, i);
            TV g = TOps.Load(ref gradient, i);
            if (decoupled)
                t = TOps.Multiply(t, shrink);
            else if (coupled)
                g = TOps.Add(TOps.Multiply(t, l2), g);
            TV mi = TOps.Add(TOps.Multiply(g, complement1), TOps.Multiply(TOps.Load(ref m, i), beta1));
            TV vi = TOps.Add(TOps.Multiply(TOps.Multiply(g, g), complement2), TOps.Multiply(TOps.Load(ref v, i), beta2));
            TV denominator = TOps.Add(TOps.Divide(TOps.Sqrt(vi), root2), epsilon);
            TOps.Store(mi, ref m, i);
            TOps.Store(vi, ref v, i);
            TOps.Store(TOps.Add(TOps.Multiply(TOps.Divide(mi, denominator), scale), t), ref theta, i);
        }
        return i;
    }
}
