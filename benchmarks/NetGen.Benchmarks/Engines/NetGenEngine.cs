using System;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Engines;

/// <summary>The generated code: <see cref="INetwork.Backward"/> then the optimiser's step, as the runtime's Trainer does.</summary>
public sealed class NetGenEngine : IEngine
{
    public EngineKind Kind => EngineKind.NetGen;

    public string Name => "NetGen (generated)";

    public bool Native => false;

    public ITrainer CreateTrainer(Workload workload) => new Trainer(workload, Create(workload, workload.BatchSize));

    public IPredictor CreatePredictor(Workload workload, int batch) => new Predictor(workload, Create(workload, batch), batch);

    private static INetwork Create(Workload workload, int batch)
    {
        INetwork network = workload.CreateNetGen(batch);
        workload.InitialParameters.CopyTo(network.Parameters);
        return network;
    }

    internal static IOptimizer Optimizer(Workload workload) => workload.Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(workload.LearningRate),
        OptimizerKind.Adam => new Adam(workload.LearningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload.Optimizer, "unknown optimiser"),
    };

    private sealed class Trainer(Workload workload, INetwork network) : ITrainer
    {
        private readonly IOptimizer _optimizer = Optimizer(workload);

        public float Run(int firstStep, int count)
        {
            int b = workload.BatchSize, inputs = b * workload.InputSize, targets = b * workload.OutputSize;
            var cursor = new BatchCursor(workload.BatchesPerEpoch, firstStep);
            float loss = 0;
            for (int s = 0; s < count; s++)
            {
                loss = network.Backward(workload.Inputs.AsSpan(cursor.Index * inputs, inputs), workload.Targets.AsSpan(cursor.Index * targets, targets), b);
                _optimizer.Step(network);
                cursor.Advance();
            }
            return loss;
        }

        public void Dispose() { }
    }

    private sealed class Predictor(Workload workload, INetwork network, int batch) : IPredictor
    {
        private readonly float[] _outputs = new float[batch * workload.OutputSize];

        public ReadOnlySpan<float> Outputs => _outputs;

        public void Run(int firstCall, int count)
        {
            int inputs = batch * workload.InputSize;
            float[] data = workload.Inputs, outputs = _outputs;
            var cursor = new BatchCursor(workload.Samples / batch, firstCall);
            for (int c = 0; c < count; c++)
            {
                network.Forward(data.AsSpan(cursor.Index * inputs, inputs), outputs, batch);
                cursor.Advance();
            }
        }

        public void Dispose() { }
    }
}
