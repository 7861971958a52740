using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Max pooling whose windows are two columns wide with a stride of 2 (MaxPool2D(2), MaxPool1D(2): nearly every CNN's),
/// vectorised: the rows of a window are reduced lane by lane, then each pair of neighbouring lanes by a shuffle, so
/// that 8 input columns (256 bits) or 4 (128 bits) give 4 or 2 outputs at once. The results equal the scalar kernels'
/// bit for bit: the same maxima (NaN-propagating, as <see cref="System.Math.Max(float, float)"/>), and the gradient at
/// each window's first maximum in row-major order, a NaN counting as the maximum (the first NaN, then).
/// </summary>
internal static class PairPooling
{
    /// <summary>Whether the vectorised kernels serve this shape at this width: windows 2 wide, stride 2, and a row of at least one vector.</summary>
    public static bool Serves<TShape>(int outWidth, int width) where TShape : IPoolingShape =>
        TShape.WindowWidth == 2 && TShape.Stride == 2 && 2 * outWidth >= width;

    /// <summary>One output row: out[w] = max over the window's rows and its two columns 2w, 2w + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForwardRow256<TShape>(ref float rows, ref float output, int outWidth) where TShape : IPoolingShape
    {
        int columns = 2 * outWidth;
        // The last vector overlaps the one before (columns is at least one vector): it writes the same maxima again.
        for (int t = 0; ; t = Math.Min(t + 8, columns - 8))
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref rows, (nuint)t);
            for (int i = 1; i < TShape.WindowHeight; i++)
                v = Vector256.Max(v, Vector256.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t)));
            Vector256<float> pairs = Vector256.Max(
                Vector256.Shuffle(v, Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6)),
                Vector256.Shuffle(v, Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7)));
            pairs.GetLower().StoreUnsafe(ref output, (nuint)(t / 2));
            if (t + 8 == columns)
                return;
        }
    }

    /// <summary>The same with 128-bit vectors (4 columns, 2 outputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForwardRow128<TShape>(ref float rows, ref float output, int outWidth) where TShape : IPoolingShape
    {
        int columns = 2 * outWidth;
        // The last vector overlaps the one before (columns is at least one vector): it writes the same maxima again.
        for (int t = 0; ; t = Math.Min(t + 4, columns - 4))
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref rows, (nuint)t);
            for (int i = 1; i < TShape.WindowHeight; i++)
                v = Vector128.Max(v, Vector128.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t)));
            Vector128<float> pairs = Vector128.Max(Vector128.Shuffle(v, Vector128.Create(0, 2, 0, 2)), Vector128.Shuffle(v, Vector128.Create(1, 3, 1, 3)));
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref output, t / 2)), pairs.AsUInt64().ToScalar());
            if (t + 4 == columns)
                return;
        }
    }

    /// <summary>
    /// One output row's gradient: dx[window's first maximum] += δ[w], for the windows of whole vectors; returns how many
    /// windows it did (the caller finishes the rest one by one: an overlapping vector would add twice).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BackwardRow256<TShape>(ref float rows, ref float gradients, ref float delta, int outWidth) where TShape : IPoolingShape
    {
        int t = 0;
        for (; t + 8 <= 2 * outWidth; t += 8)
        {
            // Every lane learns its window's maximum: the rows' maximum, then the larger of each lane and its neighbour.
            Vector256<float> m = Vector256.LoadUnsafe(ref rows, (nuint)t);
            for (int i = 1; i < TShape.WindowHeight; i++)
                m = Vector256.Max(m, Vector256.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t)));
            m = Vector256.Max(m, Vector256.Shuffle(m, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));
            // δ of window w on both of its lanes.
            Vector256<float> d = Vector256.Shuffle(Vector128.LoadUnsafe(ref delta, (nuint)(t / 2)).ToVector256Unsafe(), Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3));
            Vector256<float> taken = Vector256<float>.Zero;
            Vector256<float> oddLanes = Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1).AsSingle();
            for (int i = 0; i < TShape.WindowHeight; i++)
            {
                Vector256<float> x = Vector256.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t));
                Vector256<float> hit = Vector256.Equals(x, m) | ~Vector256.Equals(x, x);
                // Within a row the even column comes first: an odd lane gives way to a hit on its even neighbour.
                Vector256<float> evenHit = Vector256.Shuffle(hit, Vector256.Create(0, 0, 2, 2, 4, 4, 6, 6));
                Vector256<float> chosen = Vector256.AndNot(Vector256.AndNot(hit, evenHit & oddLanes), taken);
                ref float g = ref Unsafe.Add(ref gradients, i * TShape.InWidth + t);
                (Vector256.LoadUnsafe(ref g) + (d & chosen)).StoreUnsafe(ref g);
                taken |= chosen | Vector256.Shuffle(chosen, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6));
            }
        }
        return t / 2;
    }

    /// <summary>The same with 128-bit vectors (4 columns, 2 windows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BackwardRow128<TShape>(ref float rows, ref float gradients, ref float delta, int outWidth) where TShape : IPoolingShape
    {
        int t = 0;
        for (; t + 4 <= 2 * outWidth; t += 4)
        {
            Vector128<float> m = Vector128.LoadUnsafe(ref rows, (nuint)t);
            for (int i = 1; i < TShape.WindowHeight; i++)
                m = Vector128.Max(m, Vector128.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t)));
            m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
            Vector128<float> d = Vector128.Create(Unsafe.Add(ref delta, t / 2), Unsafe.Add(ref delta, t / 2), Unsafe.Add(ref delta, t / 2 + 1), Unsafe.Add(ref delta, t / 2 + 1));
            Vector128<float> taken = Vector128<float>.Zero;
            Vector128<float> oddLanes = Vector128.Create(0, -1, 0, -1).AsSingle();
            for (int i = 0; i < TShape.WindowHeight; i++)
            {
                Vector128<float> x = Vector128.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t));
                Vector128<float> hit = Vector128.Equals(x, m) | ~Vector128.Equals(x, x);
                Vector128<float> evenHit = Vector128.Shuffle(hit, Vector128.Create(0, 0, 2, 2));
                Vector128<float> chosen = Vector128.AndNot(Vector128.AndNot(hit, evenHit & oddLanes), taken);
                ref float g = ref Unsafe.Add(ref gradients, i * TShape.InWidth + t);
                (Vector128.LoadUnsafe(ref g) + (d & chosen)).StoreUnsafe(ref g);
                taken |= chosen | Vector128.Shuffle(chosen, Vector128.Create(1, 0, 3, 2));
            }
        }
        return t / 2;
    }
}
