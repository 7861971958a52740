using System;

namespace NetGen;

/// <summary>
/// A small, seeded, platform-independent random generator (xoshiro256** seeded by SplitMix64) with
/// uniform and normal draws. The same seed gives the same numbers on every machine and .NET version,
/// which <see cref="System.Random"/> does not promise.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, count), without modulo bias.</summary>
    public int NextInt(int count)
    {
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The range must hold at least one value.");
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)count;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % (ulong)count);
    }

    /// <summary>A draw from N(mean, std²) by the Marsaglia polar method.</summary>
    public double NextNormal(double mean = 0, double std = 1)
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return mean + std * _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpare = true;
        return mean + std * u * factor;
    }

    /// <summary>Fills <paramref name="destination"/> with N(mean, std²) draws.</summary>
    public void FillNormal(Span<float> destination, double mean = 0, double std = 1)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (float)NextNormal(mean, std);
    }

    /// <summary>Fills <paramref name="destination"/> with U[low, high) draws.</summary>
    public void FillUniform(Span<float> destination, double low, double high)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (float)NextUniform(low, high);
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
