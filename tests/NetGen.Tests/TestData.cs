using System;
using NetGen;

namespace NetGen.Tests;

/// <summary>Seeded inputs, targets and parameters for tests.</summary>
public static class TestData
{
    public static float[] Normal(int count, ulong seed, double std = 1)
    {
        var values = new float[count];
        new SeededRandom(seed).FillNormal(values, 0, std);
        return values;
    }

    /// <summary>Random parameters with a spread that keeps sigmoids and tanhs away from saturation.</summary>
    public static T Network<T>(Func<int, T> create, int maxBatchSize, ulong seed, double std = 0.5) where T : INetwork
    {
        T network = create(maxBatchSize);
        new SeededRandom(seed).FillNormal(network.Parameters, 0, std);
        return network;
    }
}
