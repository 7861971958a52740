using System;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Engines;

/// <summary>
/// The logistic neuron as anyone would write it by hand, <c>1/(1+exp(-(w0*x0+w1*x1+b)))</c>, with the weights in
/// locals: the floor for single-sample latency that generated code for a 2 → 1 network should come close to.
/// </summary>
public sealed class HandWrittenNeuron : IEngine
{
    public EngineKind Kind => EngineKind.HandWritten;

    public string Name => "hand-written expression";

    public bool Native => false;

    public ITrainer? CreateTrainer(Workload workload) => null;

    public IPredictor? CreatePredictor(Workload workload, int batch) =>
        workload.Network == "LogisticNeuron" && batch == 1 ? new Predictor(workload) : null;

    private sealed class Predictor(Workload workload) : IPredictor
    {
        private readonly float[] _output = new float[1];

        public ReadOnlySpan<float> Outputs => _output;

        public void Run(int firstCall, int count)
        {
            // Parameters in NetGen's layout: W [1, 2], then b [1].
            float w0 = workload.InitialParameters[0], w1 = workload.InitialParameters[1], b = workload.InitialParameters[2];
            float[] x = workload.Inputs, output = _output;
            var cursor = new BatchCursor(workload.Samples, firstCall);
            for (int c = 0; c < count; c++)
            {
                int i = cursor.Index * 2;
                output[0] = 1f / (1f + MathF.Exp(-(w0 * x[i] + w1 * x[i + 1] + b)));
                cursor.Advance();
            }
        }

        public void Dispose() { }
    }
}
