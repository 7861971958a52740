using System;
using System.Diagnostics;
using System.IO;
using NetGen.Benchmarks.Engines;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Torch;

/// <summary>
/// The same workloads in libtorch (PyTorch's C++ engine) through TorchSharp: nn.Linear layers, the activations as
/// modules, MSELoss or CrossEntropyLoss, torch.optim.SGD; each step in a dispose scope, as TorchSharp recommends.
/// </summary>
public sealed class TorchEngine : IEngine
{
    private readonly int _threads;

    internal TorchEngine(int threads, string name)
    {
        _threads = threads;
        Name = name;
    }

    public string Name { get; }

    public TrainingRun Train(Workload workload, int steps)
    {
        torch.set_num_threads(_threads);
        var (inputs, targets) = Batches(workload);
        using (var warm = new Model(workload))
        {
            int warmStep = 0;
            Timing.RunFor(Timing.WarmUp, () => warm.Step(inputs[warmStep % inputs.Length], targets[warmStep++ % inputs.Length]));
        }

        using var model = new Model(workload);
        float first = 0, last = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            last = model.Step(inputs[s % inputs.Length], targets[s % inputs.Length]);
            if (s == 0)
                first = last;
        }
        stopwatch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        foreach (Tensor t in inputs) t.Dispose();
        foreach (Tensor t in targets) t.Dispose();
        return new TrainingRun(steps, stopwatch.Elapsed, allocated, first, last);
    }

    public InferenceRun Infer(Workload workload, int batch, TimeSpan budget)
    {
        torch.set_num_threads(_threads);
        using var model = new Model(workload);
        int batches = workload.Samples / batch;
        var inputs = new Tensor[batches];
        for (int k = 0; k < batches; k++)
            inputs[k] = torch.tensor(workload.Inputs.AsSpan(k * batch * workload.InputSize, batch * workload.InputSize).ToArray(), [batch, workload.InputSize]);
        var outputs = new float[batch * workload.OutputSize];
        void Call(int i)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            model.Predict(inputs[i % batches]).data<float>().CopyTo(outputs);
        }
        Call(0);
        float[] firstOutputs = (float[])outputs.Clone();
        Timing.RunFor(Timing.WarmUp, () => Call(1));
        var (calls, elapsed, allocated) = Timing.Measure(budget, Call);
        foreach (Tensor t in inputs) t.Dispose();
        return new InferenceRun(calls, elapsed, allocated, firstOutputs);
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
                else if (layer.Activation == LayerActivation.ReLU)
                    modules.Add(($"relu{l}", nn.ReLU()));
            }
            _logits = nn.Sequential(modules);
            _network = workload.Loss == LossFunction.SoftmaxCrossEntropy ? nn.Sequential(("logits", _logits), ("softmax", nn.Softmax(1))) : _logits;
            _loss = workload.Loss == LossFunction.MeanSquaredError ? nn.MSELoss() : nn.CrossEntropyLoss();
            _sgd = optim.SGD(_logits.parameters(), workload.LearningRate);
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

    public static IEngine? TryCreate(int threads, out string status)
    {
        try
        {
            string patch = EnsureLoadable();
            s_defaultThreads ??= torch.get_num_threads();
            int used = threads > 0 ? threads : s_defaultThreads.Value;
            status = $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, libtorch {torch.__version__}; default threads {s_defaultThreads}; {patch}";
            return new TorchEngine(used, threads > 0 ? (threads == 1 ? OneThreadName : $"libtorch, {threads} threads") : $"libtorch, default threads ({used})");
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
