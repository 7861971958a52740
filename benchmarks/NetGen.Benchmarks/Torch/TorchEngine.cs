using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Benchmarks.Comparison;
using NetGen.Benchmarks.Engines;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Torch;

/// <summary>
/// The same workloads in libtorch (PyTorch's C++ engine) through TorchSharp: nn.Conv1d/Conv2d, nn.MaxPool1d/MaxPool2d,
/// nn.Flatten and nn.Linear layers, the activations as modules, MSELoss or CrossEntropyLoss, torch.optim.SGD or Adam;
/// each step in a dispose scope, as TorchSharp recommends. Inputs are tensors of shape [B, …the sample's shape].
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

        public bool TryCopyParameters(Span<float> destination)
        {
            _model.CopyParameters(destination);
            return true;
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
                _inputs[k] = torch.tensor(workload.Inputs.AsSpan(k * batch * workload.InputSize, batch * workload.InputSize).ToArray(), BatchShape(workload, batch));
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
            inputs[k] = torch.tensor(workload.Inputs.AsSpan(k * b * workload.InputSize, b * workload.InputSize).ToArray(), BatchShape(workload, b));
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

    /// <summary>[batch, …the sample's shape]: [B, features], [B, C, L] or [B, C, H, W].</summary>
    private static long[] BatchShape(Workload workload, int batch) => [batch, .. workload.InputShape.Dims.Select(d => (long)d)];

    /// <summary>nn.Sequential of the workload's layers with its initial parameters, its loss and optimiser.</summary>
    private sealed class Model : IDisposable
    {
        private readonly Sequential _network;
        private readonly Sequential _logits;
        private readonly Loss<Tensor, Tensor, Tensor> _loss;
        private readonly optim.Optimizer _optimizer;

        public Model(Workload workload)
        {
            var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
            int offset = 0;
            for (int l = 0; l < workload.Layers.Length; l++)
            {
                Layer layer = workload.Layers[l];
                nn.Module<Tensor, Tensor> module = Module(layer);
                // Weight, then bias: the order of NetGen's flat layout and of each module's parameters().
                Parameter[] parameters = module.parameters().ToArray();
                if (parameters.Length != layer.ParameterShapes.Count)
                    throw new InvalidOperationException($"{module.GetType().Name} has {parameters.Length} parameters; layer {l} has {layer.ParameterShapes.Count}");
                using (torch.no_grad())
                {
                    foreach ((int[] shape, Parameter parameter) in layer.ParameterShapes.Zip(parameters))
                    {
                        int length = shape.Aggregate(1, (a, b) => a * b);
                        parameter.copy_(torch.tensor(workload.InitialParameters.AsSpan(offset, length).ToArray(), shape.Select(d => (long)d).ToArray()));
                        offset += length;
                    }
                }
                modules.Add(($"{module.GetType().Name.ToLowerInvariant()}{l}", module));
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
            _optimizer = workload.Optimizer == OptimizerKind.Adam
                ? optim.Adam(_logits.parameters(), workload.LearningRate)
                : optim.SGD(_logits.parameters(), workload.LearningRate);
        }

        public float Step(Tensor inputs, Tensor targets)
        {
            using var scope = torch.NewDisposeScope();
            _optimizer.zero_grad();
            Tensor loss = _loss.forward(_logits.forward(inputs), targets);
            loss.backward();
            _optimizer.step();
            return loss.item<float>();
        }

        public Tensor Predict(Tensor inputs) => _network.forward(inputs);

        /// <summary>Every parameter, in order, back to back: NetGen's flat layout.</summary>
        public void CopyParameters(Span<float> destination)
        {
            int offset = 0;
            foreach (Parameter parameter in _logits.parameters())
            {
                float[] values = parameter.data<float>().ToArray();
                values.CopyTo(destination[offset..]);
                offset += values.Length;
            }
        }

        /// <summary>The libtorch module of one layer, without its activation.</summary>
        private static nn.Module<Tensor, Tensor> Module(Layer layer) => layer switch
        {
            DenseLayer dense => nn.Linear(dense.Inputs, dense.Units),
            ConvLayer { SpatialRank: 1 } conv => nn.Conv1d(conv.Input.Channels, conv.Channels, conv.Kernel, stride: conv.Stride, padding: conv.Padding),
            ConvLayer { SpatialRank: 2 } conv => nn.Conv2d(conv.Input.Channels, conv.Channels, conv.Kernel, stride: conv.Stride, padding: conv.Padding),
            MaxPoolLayer { Input.Rank: 2 } pool => nn.MaxPool1d(pool.Size),
            MaxPoolLayer { Input.Rank: 3 } pool => nn.MaxPool2d(pool.Size),
            FlattenLayer => nn.Flatten(),
            _ => throw new NotSupportedException($"no libtorch module for {layer}"),
        };

        public void Dispose()
        {
            _optimizer.Dispose();
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
