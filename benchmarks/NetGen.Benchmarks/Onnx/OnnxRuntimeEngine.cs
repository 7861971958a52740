using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen.Benchmarks.Comparison;
using NetGen.Benchmarks.Engines;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime, the engine .NET developers pick for inference, on the model NetGen's exporter writes
/// (<see cref="NetGen.Onnx.Serialize"/>) of the workload's generated network with its initial weights, the graph NetGen
/// runs, so nothing but the engine differs: one thread (intra- and inter-op pools of one, sequential execution), all graph optimisations,
/// and every input and output an <see cref="OrtValue"/> over memory allocated once and bound once (one
/// <see cref="OrtIoBinding"/> per batch of the data), so a call is one RunWithBinding and nothing is allocated on our side.
/// </summary>
public sealed class OnnxRuntimeEngine : IEngine
{
    private OnnxRuntimeEngine(string version) => Name = $"ONNX Runtime {version}, 1 thread";

    public EngineKind Kind => EngineKind.OnnxRuntime;

    public string Name { get; }

    public bool Native => true;

    /// <summary>The engine when the native library loads; otherwise null and why.</summary>
    public static IEngine? TryCreate(out string status)
    {
        try
        {
            string version = OrtEnv.Instance().GetVersionString();
            status = $"ONNX Runtime {version} (Microsoft.ML.OnnxRuntime), CPU execution provider";
            return new OnnxRuntimeEngine(version);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or OnnxRuntimeException or BadImageFormatException)
        {
            status = $"not available: {e.GetBaseException().Message.Split('\n')[0]}";
            return null;
        }
    }

    public ITrainer? CreateTrainer(Workload workload) => null;

    public IPredictor CreatePredictor(Workload workload, int batch) => new Predictor(workload, batch);

    private sealed class Predictor : IPredictor
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly float[] _inputs, _outputs;
        private readonly OrtValue[] _inputValues;
        private readonly OrtValue _outputValue;
        private readonly OrtIoBinding[] _bindings;

        public Predictor(Workload workload, int batch)
        {
            _options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            INetwork network = workload.CreateNetGen(batch);
            workload.InitialParameters.CopyTo(network.Parameters);
            NetworkGraph graph = network.Graph ?? throw new InvalidOperationException($"{workload.Name}: the generated network describes no graph to export");
            _session = new InferenceSession(NetGen.Onnx.Serialize(network), _options);
            int batches = workload.Samples / batch, inputs = batch * workload.InputSize;
            _inputs = workload.Inputs.AsSpan(0, batches * inputs).ToArray();
            _outputs = new float[batch * workload.OutputSize];
            _outputValue = OrtValue.CreateTensorValueFromMemory(_outputs, [batch, workload.OutputSize]);
            _inputValues = new OrtValue[batches];
            _bindings = new OrtIoBinding[batches];
            long[] shape = [batch, .. workload.InputShape.Dims.Select(d => (long)d)];   // [B, …the sample's shape]
            for (int k = 0; k < batches; k++)
            {
                _inputValues[k] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(_inputs, k * inputs, inputs), shape);
                _bindings[k] = _session.CreateIoBinding();
                _bindings[k].BindInput(graph.Input.Name, _inputValues[k]);
                _bindings[k].BindOutput(graph.Output.Name, _outputValue);
            }
        }

        public ReadOnlySpan<float> Outputs => _outputs;

        public void Run(int firstCall, int count)
        {
            var cursor = new BatchCursor(_bindings.Length, firstCall);
            for (int c = 0; c < count; c++)
            {
                _session.RunWithBinding(_run, _bindings[cursor.Index]);
                cursor.Advance();
            }
        }

        public void Dispose()
        {
            foreach (OrtIoBinding binding in _bindings) binding.Dispose();
            foreach (OrtValue value in _inputValues) value.Dispose();
            _outputValue.Dispose();
            _run.Dispose();
            _session.Dispose();
            _options.Dispose();
        }
    }
}
