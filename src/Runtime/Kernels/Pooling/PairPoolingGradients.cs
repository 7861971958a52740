using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// The written (not added) gradient of max pooling with windows two columns wide and stride 2 that tile their rows
/// (<see cref="Pooling.MaxInputGradients{TShape, TDerivative}"/>), one output row of windows at a time, vectorised at
/// 512, 256 and 128 bits: every input value of the window's rows gets δ of its window at the window's first maximum
/// (the first NaN, where there is one, as <see cref="PairPooling"/> chooses), times the source's f′ there, and 0
/// elsewhere. Writing lets a row end with a vector that overlaps the one before: it writes the same values again,
/// where an add would have counted them twice.
/// </summary>
internal static class PairPoolingGradients
{
    /// <summary>Columns [0, 2·outWidth) of the window's rows (at least 16 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRow512<TShape, TDerivative>(ref float rows, ref float derivativeSource, ref float gradients, ref float delta, int outWidth)
        where TShape : IPoolingShape where TDerivative : IBinaryOperator
    {
        int columns = 2 * outWidth;
        Vector512<int> swap = Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        Vector512<int> evens = Vector512.Create(0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14, 14);
        Vector512<int> pairs = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        Vector512<float> oddLanes = Vector512.Create(0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1).AsSingle();
        for (int t = 0; ; t = Math.Min(t + 16, columns - 16))
        {
            // Every lane learns its window's maximum: the rows' maximum, then the larger of each lane and its neighbour.
            Vector512<float> m = Vector512.LoadUnsafe(ref rows, (nuint)t);
            for (int i = 1; i < TShape.WindowHeight; i++)
                m = Vector512.Max(m, Vector512.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t)));
            m = Vector512.Max(m, Vector512.Shuffle(m, swap));
            // δ of window w on both of its lanes.
            Vector512<float> d = Vector512.Shuffle(Vector256.LoadUnsafe(ref delta, (nuint)(t / 2)).ToVector512Unsafe(), pairs);
            Vector512<float> taken = Vector512<float>.Zero;
            for (int i = 0; i < TShape.WindowHeight; i++)
            {
                nuint at = (nuint)(i * TShape.InWidth + t);
                Vector512<float> x = Vector512.LoadUnsafe(ref rows, at);
                Vector512<float> hit = Vector512.Equals(x, m) | ~Vector512.Equals(x, x);
                // Within a row the even column comes first: an odd lane gives way to a hit on its even neighbour.
                Vector512<float> chosen = Vector512.AndNot(Vector512.AndNot(hit, Vector512.Shuffle(hit, evens) & oddLanes), taken);
                Vector512<float> g = d & chosen;
                if (typeof(TDerivative) != typeof(IdentityDerivativeOperator))
                    g = TDerivative.Invoke(Vector512.LoadUnsafe(ref derivativeSource, at), g);
                g.StoreUnsafe(ref gradients, at);
                taken |= chosen | Vector512.Shuffle(chosen, swap);
            }
            if (t + 16 == columns)
                return;
        }
    }

    /// <summary>The same with 256-bit vectors (at least 8 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRow256<TShape, TDerivative>(ref float rows, ref float derivativeSource, ref float gradients, ref float delta, int outWidth)
        where TShape : IPoolingShape where TDerivative : IBinaryOperator
    {
        int columns = 2 * outWidth;
        Vector256<int> swap = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6), evens = Vector256.Create(0, 0, 2, 2, 4, 4, 6, 6), pairs = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        Vector256<float> oddLanes = Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1).AsSingle();
        for (int t = 0; ; t = Math.Min(t + 8, columns - 8))
        {
            Vector256<float> m = Vector256.LoadUnsafe(ref rows, (nuint)t);
            for (int i = 1; i < TShape.WindowHeight; i++)
                m = Vector256.Max(m, Vector256.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t)));
            m = Vector256.Max(m, Vector256.Shuffle(m, swap));
            Vector256<float> d = Vector256.Shuffle(Vector128.LoadUnsafe(ref delta, (nuint)(t / 2)).ToVector256Unsafe(), pairs);
            Vector256<float> taken = Vector256<float>.Zero;
            for (int i = 0; i < TShape.WindowHeight; i++)
            {
                nuint at = (nuint)(i * TShape.InWidth + t);
                Vector256<float> x = Vector256.LoadUnsafe(ref rows, at);
                Vector256<float> hit = Vector256.Equals(x, m) | ~Vector256.Equals(x, x);
                Vector256<float> chosen = Vector256.AndNot(Vector256.AndNot(hit, Vector256.Shuffle(hit, evens) & oddLanes), taken);
                Vector256<float> g = d & chosen;
                if (typeof(TDerivative) != typeof(IdentityDerivativeOperator))
                    g = TDerivative.Invoke(Vector256.LoadUnsafe(ref derivativeSource, at), g);
                g.StoreUnsafe(ref gradients, at);
                taken |= chosen | Vector256.Shuffle(chosen, swap);
            }
            if (t + 8 == columns)
                return;
        }
    }

    /// <summary>The same with 128-bit vectors (at least 4 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRow128<TShape, TDerivative>(ref float rows, ref float derivativeSource, ref float gradients, ref float delta, int outWidth)
        where TShape : IPoolingShape where TDerivative : IBinaryOperator
    {
        int columns = 2 * outWidth;
        Vector128<int> swap = Vector128.Create(1, 0, 3, 2), evens = Vector128.Create(0, 0, 2, 2);
        Vector128<float> oddLanes = Vector128.Create(0, -1, 0, -1).AsSingle();
        for (int t = 0; ; t = Math.Min(t + 4, columns - 4))
        {
            Vector128<float> m = Vector128.LoadUnsafe(ref rows, (nuint)t);
            for (int i = 1; i < TShape.WindowHeight; i++)
                m = Vector128.Max(m, Vector128.LoadUnsafe(ref rows, (nuint)(i * TShape.InWidth + t)));
            m = Vector128.Max(m, Vector128.Shuffle(m, swap));
            float d0 = Unsafe.Add(ref delta, t / 2), d1 = Unsafe.Add(ref delta, t / 2 + 1);
            Vector128<float> d = Vector128.Create(d0, d0, d1, d1);
            Vector128<float> taken = Vector128<float>.Zero;
            for (int i = 0; i < TShape.WindowHeight; i++)
            {
                nuint at = (nuint)(i * TShape.InWidth + t);
                Vector128<float> x = Vector128.LoadUnsafe(ref rows, at);
                Vector128<float> hit = Vector128.Equals(x, m) | ~Vector128.Equals(x, x);
                Vector128<float> chosen = Vector128.AndNot(Vector128.AndNot(hit, Vector128.Shuffle(hit, evens) & oddLanes), taken);
                Vector128<float> g = d & chosen;
                if (typeof(TDerivative) != typeof(IdentityDerivativeOperator))
                    g = TDerivative.Invoke(Vector128.LoadUnsafe(ref derivativeSource, at), g);
                g.StoreUnsafe(ref gradients, at);
                taken |= chosen | Vector128.Shuffle(chosen, swap);
            }
            if (t + 4 == columns)
                return;
        }
    }
}
