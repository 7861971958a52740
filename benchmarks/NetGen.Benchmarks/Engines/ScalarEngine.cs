using System;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Engines;

/// <summary>The plain scalar C# reference (<see cref="ScalarMlp"/>); it trains with SGD only.</summary>
public sealed class ScalarEngine : IEngine
{
    public EngineKind Kind => EngineKind.ScalarReference;

    public string Name => "scalar C# reference";

    public bool Native => false;

    public ITrainer? CreateTrainer(Workload workload) => workload.Optimizer == OptimizerKind.Sgd
        ? new Trainer(workload, new ScalarMlp(workload.Layers, workload.Loss, workload.BatchSize, workload.InitialParameters))
        : null;

    public IPredictor CreatePredictor(Workload workload, int batch) =>
        new Predictor(workload, new ScalarMlp(workload.Layers, workload.Loss, batch, workload.InitialParameters), batch);

    private sealed class Trainer(Workload workload, ScalarMlp network) : ITrainer
    {
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
