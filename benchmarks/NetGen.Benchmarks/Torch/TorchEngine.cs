using System;
using System.IO;
using NetGen.Benchmarks.Comparison;
using NetGen.Benchmarks.Engines;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Torch;

/// <summary>
/// The same workloads in libtorch (PyTorch's C++ engine) through TorchSharp: nn.Linear layers, the activations as
/// modules, MSELoss or CrossEntropyLoss, torch.optim.SGD or Adam; each step in a dispose scope, as TorchSharp recommends.
/// </summary>
public sealed class TorchEngine : IEngine
{
    private readonly int _threads;

    internal TorchEngine(int threads, string name, EngineKind kind)
    {
        _threads = threads;
        Name = name;
        Kind = kind;
    }

    public EngineKind Kind { get; }

    public string Name { get; }

    public bool Native => true;

    public ITrainer CreateTrainer(Workload workload)
    {
        torch.set_num_threads(_threads);
        return new Trainer(workload);
    }

    public IPredictor CreatePredictor(Workload workload, int batch)
    {
        torch.set_num_threads(_threads);
        return new Predictor(workload, batch);
    }

    private sealed class Trainer : ITrainer
    {
        private readonly Model _model;
        private readonly Tensor[] _inputs, _targets;

        public Trainer(Workload workload)
        {
            _model = new Model(workload);
            (_inputs, _targets) = Batches(workload);
        }

        public float Run(int firstStep, int count)
        {
            var cursor = new BatchCursor(_inputs.Length, firstStep);
            float loss = 0;
            for (int s = 0; s < count; s++)
            {
                loss = _model.Step(_inputs[cursor.Index], _targets[cursor.Index]);
                cursor.Advance();
            }
            return loss;
        }

        public void Dispose()
        {
            foreach (Tensor t in _inputs) t.Dispose();
            foreach (Tensor t in _targets) t.Dispose();
            _model.Dispose();
        }
    }

    private sealed class Predictor : IPredictor
    {
        private readonly Model _model;
        private readonly Tensor[] _inputs;
        private readonly float[] _outputs;

        public Predictor(Workload workload, int batch)
        {
            _model = new Model(workload);
            _inputs = new Tensor[workload.Samples / batch];
            for (int k = 0; k < _inputs.Length; k++)
                _inputs[k] = torch.tensor(workload.Inputs.AsSpan(k * batch * workload.InputSize, batch * workload.InputSize).ToArray(), [batch, workload.InputSize]);
            _outputs = new float[batch * workload.OutputSize];
        }

        public ReadOnlySpan<float> Outputs => _outputs;

        public void Run(int firstCall, int count)
        {
            var cursor = new BatchCursor(_inputs.Length, firstCall);
            for (int c = 0; c < count; c++)
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                _model.Predict(_inputs[cursor.Index]).data<float>().CopyTo(_outputs);
                cursor.Advance();
            }
        }

        public void Dispose()
        {
            foreach (Tensor t in _inputs) t.Dispose();
            _model.Dispose();
        }
    }

    /// <summary>The batches of an epoch as tensors, made once before the clock starts (class indices for cross-entropy).</summary>
    private static (Tensor[] Inputs, Tensor[] Targets) Batches(Workload workload)
    {
        int b = workload.BatchSize, batches = workload.BatchesPerEpoch;
        var inputs = new Tensor[batches];
        var targets = new Tensor[batches];
        for (int k = 0; k < batches; k++)
        {
            inputs[k] = torch.tensor(workload.Inputs.AsSpan(k * b * workload.InputSize, b * workload.InputSize).ToArray(), [b, workload.InputSize]);
            float[] t = workload.Targets.AsSpan(k * b * workload.OutputSize, b * workload.OutputSize).ToArray();
            if (workload.Loss == LossFunction.MeanSquaredError)
            {
                targets[k] = torch.tensor(t, [b, workload.OutputSize]);
            }
            else
            {
                var classes = new long[b];
                for (int n = 0; n < b; n++)
                    classes[n] = Array.IndexOf(t, 1f, n * workload.OutputSize, workload.OutputSize) - n * workload.OutputSize;
                targets[k] = torch.tensor(classes, [b]);
            }
        }
        return (inputs, targets);
    }

    /// <summary>nn.Sequential of the workload's layers with its initial parameters, its loss and SGD.</summary>
    private sealed class Model : IDisposable
    {
        private readonly Sequential _network;
        private readonly Sequential _logits;
        private readonly Loss<Tensor, Tensor, Tensor> _loss;
        private readonly optim.Optimizer _sgd;

        public Model(Workload workload)
        {
            var modules = new System.Collections.Generic.List<(string, nn.Module<Tensor, Tensor>)>();
            int offset = 0;
            for (int l = 0; l < workload.Layers.Length; l++)
            {
                Layer layer = workload.Layers[l];
                var linear = nn.Linear(layer.Inputs, layer.Units);
                using (torch.no_grad())
                {
                    int weights = layer.Units * layer.Inputs;
                    linear.weight!.copy_(torch.tensor(workload.InitialParameters.AsSpan(offset, weights).ToArray(), [layer.Units, layer.Inputs]));
                    linear.bias!.copy_(torch.tensor(workload.InitialParameters.AsSpan(offset + weights, layer.Units).ToArray(), [layer.Units]));
                    offset += weights + layer.Units;
                }
                modules.Add(($"linear{l}", linear));
                // Softmax is folded into CrossEntropyLoss (as NetGen folds it into its loss): the network ends at the logits.
                if (layer.Activation == LayerActivation.Sigmoid)
                    modules.Add(($"sigmoid{l}", nn.Sigmoid()));
                else if (layer.Activation == LayerActivation.Tanh)
                    modules.Add(($"tanh{l}", nn.Tanh()));
                else if (layer.Activation == LayerActivation.ReLU)
                    modules.Add(($"relu{l}", nn.ReLU()));
            }
            _logits = nn.Sequential(modules);
            _network = workload.Loss == LossFunction.SoftmaxCrossEntropy ? nn.Sequential(("logits", _logits), ("softmax", nn.Softmax(1))) : _logits;
            _loss = workload.Loss == LossFunction.MeanSquaredError ? nn.MSELoss() : nn.CrossEntropyLoss();
            _sgd = workload.Optimizer == OptimizerKind.Adam
                ? optim.Adam(_logits.parameters(), workload.LearningRate)
                : optim.SGD(_logits.parameters(), workload.LearningRate);
        }

        public float Step(Tensor inputs, Tensor targets)
        {
            using var scope = torch.NewDisposeScope();
            _sgd.zero_grad();
            Tensor loss = _loss.forward(_logits.forward(inputs), targets);
            loss.backward();
            _sgd.step();
            return loss.item<float>();
        }

        public Tensor Predict(Tensor inputs) => _network.forward(inputs);

        public void Dispose()
        {
            _sgd.Dispose();
            _network.Dispose();
            _logits.Dispose();
        }
    }
}

/// <summary>Creates the libtorch engines once the native library loads (patching its bin/ copy first when needed).</summary>
public static class TorchEngines
{
    public const string OneThreadName = "libtorch, 1 thread";

    private static int? s_defaultThreads;

    /// <summary>One thread (<paramref name="threads"/> = 1) or libtorch's default count (0).</summary>
    public static IEngine? TryCreate(int threads, out string status)
    {
        try
        {
            string patch = EnsureLoadable();
            s_defaultThreads ??= torch.get_num_threads();
            int used = threads > 0 ? threads : s_defaultThreads.Value;
            status = $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, libtorch {torch.__version__}; default threads {s_defaultThreads}; {patch}";
            return threads == 1
                ? new TorchEngine(1, OneThreadName, EngineKind.LibTorch)
                : new TorchEngine(used, $"libtorch, default threads ({used})", EngineKind.LibTorchDefaultThreads);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidDataException or IOException or NotSupportedException)
        {
            status = $"not available: {e.GetBaseException().Message.Split('\n')[0]}";
            return null;
        }
    }

    /// <summary>
    /// TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (see <see cref="ElfVersionPatch"/>): on a system whose
    /// libstdc++ is older, mark that version need weak in the copy under bin/ before TorchSharp loads it.
    /// </summary>
    private static string EnsureLoadable()
    {
        if (!OperatingSystem.IsLinux())
            return "no patch needed on this OS";
        string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(library))
            throw new DllNotFoundException($"{library} is missing: build the benchmark project (it references TorchSharp-cpu) first.");
        return ElfVersionPatch.MarkWeak(library, "GLIBCXX_3.4.32") switch
        {
            ElfVersionPatch.Outcome.Patched => "GLIBCXX_3.4.32 need marked weak in bin/ now (first run)",
            ElfVersionPatch.Outcome.AlreadyWeak => "GLIBCXX_3.4.32 need already marked weak in bin/",
            _ => "the library does not need GLIBCXX_3.4.32",
        };
    }
}
