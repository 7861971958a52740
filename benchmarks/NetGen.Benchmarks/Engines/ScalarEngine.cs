using System;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Engines;

/// <summary>The plain scalar C# reference (<see cref="ScalarMlp"/>): stacks of dense layers only; it trains with SGD only.</summary>
public sealed class ScalarEngine : IEngine
{
    public EngineKind Kind => EngineKind.ScalarReference;

    public string Name => "scalar C# reference";

    public bool Native => false;

    public ITrainer? CreateTrainer(Workload workload) => workload.Optimizer == OptimizerKind.Sgd && DenseLayers(workload) is { } layers
        ? new Trainer(workload, new ScalarMlp(layers, workload.Loss, workload.BatchSize, workload.InitialParameters))
        : null;

    public IPredictor? CreatePredictor(Workload workload, int batch) => DenseLayers(workload) is { } layers
        ? new Predictor(workload, new ScalarMlp(layers, workload.Loss, batch, workload.InitialParameters), batch)
        : null;

    /// <summary>The workload's layers when every one is dense; null for a convolutional network.</summary>
    private static DenseLayer[]? DenseLayers(Workload workload) =>
        Array.TrueForAll(workload.Layers, l => l is DenseLayer) ? Array.ConvertAll(workload.Layers, l => (DenseLayer)l) : null;

    private sealed class Trainer(Workload workload, ScalarMlp network) : ITrainer
    {
        public bool TryCopyParameters(Span<float> destination)
        {
            network.Parameters.CopyTo(destination);
            return true;
        }

        public float Run(int firstStep, int count)
        {
            int b = workload.BatchSize, inputs = b * workload.InputSize, targets = b * workload.OutputSize;
            var cursor = new BatchCursor(workload.BatchesPerEpoch, firstStep);
            float loss = 0;
            for (int s = 0; s < count; s++)
            {
                loss = network.Backward(workload.Inputs.AsSpan(cursor.Index * inputs, inputs), workload.Targets.AsSpan(cursor.Index * targets, targets), b);
                network.Step(workload.LearningRate);
                cursor.Advance();
            }
            return loss;
        }

        public void Dispose() { }
    }

    private sealed class Predictor(Workload workload, ScalarMlp network, int batch) : IPredictor
    {
        private readonly float[] _outputs = new float[batch * workload.OutputSize];

        public ReadOnlySpan<float> Outputs => _outputs;

        public void Run(int firstCall, int count)
        {
            int inputs = batch * workload.InputSize;
            var cursor = new BatchCursor(workload.Samples / batch, firstCall);
            ReadOnlySpan<float> outputs = default;
            for (int c = 0; c < count; c++)
            {
                outputs = network.Forward(workload.Inputs.AsSpan(cursor.Index * inputs, inputs), batch);
                cursor.Advance();
            }
            outputs.CopyTo(_outputs);
        }

        public void Dispose() { }
    }
}
