using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Suites;

/// <summary>
/// What the loss's check of the targets' values costs Backward at B = 128: the check alone (as Backward makes it,
/// before the call starts) next to a whole Backward of a network of that output, for softmax cross-entropy (rows of 10
/// that must be distributions) and binary cross-entropy (targets in [0, 1]).
/// </summary>
[MemoryDiagnoser]
public class TargetCheckBenchmarks
{
    private const int Batch = 128;
    private readonly float[] _digitsInputs = Random(Batch * DigitsMlp.InputSize, 1);
    private readonly float[] _oneHot = new float[Batch * DigitsMlp.OutputSize];
    private readonly float[] _binaryInputs = Random(Batch * BinaryClassifier.InputSize, 2);
    private readonly float[] _binaryTargets = new float[Batch];
    private readonly DigitsMlp _digits = new(Batch);
    private readonly BinaryClassifier _binary = new(Batch);

    [GlobalSetup]
    public void Setup()
    {
        Initializers.HeNormal(_digits, seed: 1);
        Initializers.HeNormal(_binary, seed: 1);
        for (int n = 0; n < Batch; n++)
        {
            _oneHot[n * DigitsMlp.OutputSize + n % DigitsMlp.OutputSize] = 1;
            _binaryTargets[n] = n % 2;
        }
    }

    /// <summary>CheckDistributionTargets over 128 rows of 10.</summary>
    [Benchmark]
    public void SoftmaxTargetCheck() => NetworkArguments.CheckDistributionTargets(_oneHot, DigitsMlp.OutputSize, "targets");

    /// <summary>Backward of 64 → 64 → 10 (softmax cross-entropy), the check included.</summary>
    [Benchmark]
    public float SoftmaxBackward() => _digits.Backward(_digitsInputs, _oneHot, Batch);

    /// <summary>CheckBinaryTargets over 128 targets.</summary>
    [Benchmark]
    public void BinaryTargetCheck() => NetworkArguments.CheckBinaryTargets(_binaryTargets, 1, "targets");

    /// <summary>Backward of 30 → 16 → 1 (binary cross-entropy), the check included.</summary>
    [Benchmark]
    public float BinaryBackward() => _binary.Backward(_binaryInputs, _binaryTargets, Batch);

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = 2 * random.NextSingle() - 1;
        return values;
    }
}
