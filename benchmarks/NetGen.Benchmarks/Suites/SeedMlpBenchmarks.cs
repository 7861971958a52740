using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Suites;

/// <summary>The seed MLP (1 → 64 → 64 → 1): a training step, an epoch, single-sample and batched inference.</summary>
[MemoryDiagnoser]
public class SeedMlpBenchmarks
{
    private readonly Workload _workload = Workload.SeedMlp();
    private SeedMlp _network = null!;
    private Trainer _trainer = null!;
    private Dataset _data = null!;
    private readonly Sgd _sgd = new(0.1f);
    private readonly float[] _outputs = new float[128];
    private readonly float[] _single = new float[1];

    [GlobalSetup]
    public void Setup()
    {
        _network = new SeedMlp(maxBatchSize: 128);
        _workload.InitialParameters.CopyTo(_network.Parameters);
        _data = new Dataset(_workload.Inputs, _workload.Targets, 1, 1);
        _trainer = new Trainer(_network, _sgd, new TrainerOptions { BatchSize = 128 });
    }

    /// <summary>One SGD step: forward, loss, backward and the update, B = 128 (3.2 MFLOP of matrix products).</summary>
    [Benchmark]
    public float TrainingStep()
    {
        float loss = _network.Backward(_workload.Inputs.AsSpan(0, 128), _workload.Targets.AsSpan(0, 128), 128);
        _sgd.Step(_network);
        return loss;
    }

    /// <summary>One epoch of problem A: 512 samples in 4 batches of 128, through the runtime's Trainer.</summary>
    [Benchmark]
    public float Epoch() => _trainer.Train(_data, 1).TrainingLoss;

    /// <summary>Forward pass of one sample.</summary>
    [Benchmark]
    public float SingleSampleInference()
    {
        _network.Forward(_workload.Inputs.AsSpan(3, 1), _single);
        return _single[0];
    }

    /// <summary>Forward pass of 128 samples.</summary>
    [Benchmark]
    public float BatchedInference()
    {
        _network.Forward(_workload.Inputs.AsSpan(0, 128), _outputs, 128);
        return _outputs[0];
    }
}
