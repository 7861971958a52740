using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen.Benchmarks.Comparison;
using NetGen.Benchmarks.Engines;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime, the engine .NET developers pick for inference, on the model NetGen's exporter writes
/// (<see cref="NetGen.Onnx.Serialize"/>) of the workload's generated network with its initial weights, the graph NetGen
/// runs, so nothing but the engine differs, in a <see cref="BoundSession"/>: one thread, every graph optimisation, one
/// binding per batch of the data, so a call is one RunWithBinding and nothing is allocated on our side.
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
        private readonly BoundSession _session;

        public Predictor(Workload workload, int batch)
        {
            INetwork network = workload.CreateNetGen(batch);
            workload.InitialParameters.CopyTo(network.Parameters);
            int batches = workload.Samples / batch;
            _session = new BoundSession(NetGen.Onnx.Serialize(network), path: null, batch, batches);
            if (_session.InputSize != workload.InputSize || _session.OutputSize != workload.OutputSize)
                throw new InvalidOperationException($"{workload.Name}: the exported model reads {_session.InputSize} and answers {_session.OutputSize} values a sample");
            workload.Inputs.AsSpan(0, _session.Inputs.Length).CopyTo(_session.Inputs);
        }

        public ReadOnlySpan<float> Outputs => _session.Outputs;

        public void Run(int firstCall, int count)
        {
            var cursor = new BatchCursor(_session.Batches, firstCall);
            for (int c = 0; c < count; c++)
            {
                _session.Run(cursor.Index);
                cursor.Advance();
            }
        }

        public void Dispose() => _session.Dispose();
    }
}
