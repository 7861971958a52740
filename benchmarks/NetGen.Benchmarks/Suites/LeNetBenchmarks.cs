using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Suites;

/// <summary>
/// LeNet-5 on 28 × 28 images, B = 32: NetGen next to the same network in libtorch (TorchSharp, one thread: nn.Conv2d,
/// nn.MaxPool2d, nn.Linear, CrossEntropyLoss, SGD), from the same initial weights. The measured starting point of the
/// convolutional networks until `compare` runs CNN workloads: `dotnet run -c Release --project
/// benchmarks/NetGen.Benchmarks -- --filter *LeNet*`.
/// </summary>
[MemoryDiagnoser]
public class LeNetBenchmarks
{
    private const int Batch = 32;
    private readonly float[] _inputs = new float[Batch * LeNet.InputSize];
    private readonly float[] _targets = new float[Batch * LeNet.OutputSize];
    private readonly float[] _outputs = new float[Batch * LeNet.OutputSize];
    private readonly Sgd _sgd = new(0.01f);
    private LeNet _network = null!;
    private nn.Module<Tensor, Tensor> _model = null!;
    private optim.Optimizer _optimizer = null!;
    private nn.Module<Tensor, Tensor, Tensor> _loss = null!;
    private Tensor _x = null!, _t = null!, _one = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(1);
        random.FillUniform(_inputs, 0, 1);
        for (int n = 0; n < Batch; n++)
            _targets[n * LeNet.OutputSize + n % LeNet.OutputSize] = 1f;
        _network = new LeNet(Batch);
        Initializers.PyTorchLinearDefault(_network, 2);

        ElfVersionPatch.MarkWeak(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), "GLIBCXX_3.4.32");
        torch.set_num_threads(1);
        _model = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10));
        // The same initial weights: the state dicts have the same names and layouts.
        using (no_grad())
            foreach ((string name, Tensor parameter) in _model.named_parameters())
            {
                ParameterTensor source = Array.Find(TorchNames, t => t.Torch == name).NetGen is string netgen
                    ? FindTensor(netgen) : throw new InvalidOperationException($"No NetGen tensor for {name}.");
                parameter.copy_(tensor(_network.Parameters.Slice(source.Offset, source.Length).ToArray(), parameter.shape));
            }
        _optimizer = optim.SGD(_model.parameters(), 0.01);
        _loss = nn.CrossEntropyLoss();
        _x = tensor(_inputs, [Batch, 1, 28, 28]);
        _t = tensor(_targets, [Batch, LeNet.OutputSize]);
        _one = _x.slice(0, 0, 1, 1);
    }

    private static readonly (string Torch, string NetGen)[] TorchNames =
    [
        ("0.weight", "C1.weight"), ("0.bias", "C1.bias"), ("3.weight", "C3.weight"), ("3.bias", "C3.bias"), ("7.weight", "F5.weight"),
        ("7.bias", "F5.bias"), ("9.weight", "F6.weight"), ("9.bias", "F6.bias"), ("11.weight", "Output.weight"), ("11.bias", "Output.bias"),
    ];

    private ParameterTensor FindTensor(string name)
    {
        foreach (ParameterTensor t in _network.ParameterTensors)
            if (t.Name == name)
                return t;
        throw new InvalidOperationException($"LeNet has no tensor {name}.");
    }

    /// <summary>One SGD step, B = 32.</summary>
    [Benchmark(Baseline = true)]
    public float NetGenTrainingStep()
    {
        float loss = _network.Backward(_inputs, _targets, Batch);
        _sgd.Step(_network);
        return loss;
    }

    [Benchmark]
    public float LibTorchTrainingStep()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        Tensor loss = _loss.forward(_model.forward(_x), _t);
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    [Benchmark]
    public float NetGenBatchedInference()
    {
        _network.Forward(_inputs, _outputs, Batch);
        return _outputs[0];
    }

    [Benchmark]
    public float LibTorchBatchedInference()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return _model.forward(_x)[0, 0].item<float>();
    }

    [Benchmark]
    public float NetGenSingleSampleInference()
    {
        _network.Forward(_inputs.AsSpan(0, LeNet.InputSize), _outputs.AsSpan(0, LeNet.OutputSize));
        return _outputs[0];
    }

    [Benchmark]
    public float LibTorchSingleSampleInference()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return _model.forward(_one)[0, 0].item<float>();
    }
}
