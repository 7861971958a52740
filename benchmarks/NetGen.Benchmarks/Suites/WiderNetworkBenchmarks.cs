using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Suites;

/// <summary>How the cost grows with size: 1 → 256 → 256 → 1 (16× the seed's middle layer) and 784 → 256 → 128 → 10.</summary>
[MemoryDiagnoser]
public class WiderNetworkBenchmarks
{
    private readonly Workload _wide = Workload.WideMlp(1);
    private readonly Workload _mnist = Workload.MnistMlp(1);
    private INetwork _wideNetwork = null!;
    private INetwork _mnistNetwork = null!;
    private readonly Sgd _sgd = new(0.01f);
    private readonly float[] _outputs = new float[128 * 10];

    [GlobalSetup]
    public void Setup()
    {
        _wideNetwork = new WideMlp(128);
        _wide.InitialParameters.CopyTo(_wideNetwork.Parameters);
        _mnistNetwork = new MnistMlp(128);
        _mnist.InitialParameters.CopyTo(_mnistNetwork.Parameters);
    }

    /// <summary>One SGD step of 1 → 256 → 256 → 1, B = 128.</summary>
    [Benchmark]
    public float WideTrainingStep()
    {
        float loss = _wideNetwork.Backward(_wide.Inputs.AsSpan(0, 128), _wide.Targets.AsSpan(0, 128), 128);
        _sgd.Step(_wideNetwork);
        return loss;
    }

    /// <summary>One SGD step of 784 → 256 → 128 → 10 with softmax cross-entropy, B = 128.</summary>
    [Benchmark]
    public float MnistTrainingStep()
    {
        float loss = _mnistNetwork.Backward(_mnist.Inputs.AsSpan(0, 128 * 784), _mnist.Targets.AsSpan(0, 128 * 10), 128);
        _sgd.Step(_mnistNetwork);
        return loss;
    }

    /// <summary>Forward pass of one 784-pixel sample.</summary>
    [Benchmark]
    public float MnistSingleSampleInference()
    {
        _mnistNetwork.Forward(_mnist.Inputs.AsSpan(0, 784), _outputs.AsSpan(0, 10), 1);
        return _outputs[0];
    }

    /// <summary>Forward pass of 128 samples of 784 pixels.</summary>
    [Benchmark]
    public float MnistBatchedInference()
    {
        _mnistNetwork.Forward(_mnist.Inputs.AsSpan(0, 128 * 784), _outputs, 128);
        return _outputs[0];
    }
}
