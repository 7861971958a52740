using System;
using System.Collections.Generic;
using System.Linq;
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
        CheckLayout(workload, network);
        workload.InitialParameters.CopyTo(network.Parameters);
        return network;
    }

    /// <summary>
    /// The generated class's parameter tensors must be the workload's layers' weights and biases, in order, back to back
    /// and of the same shapes: every other engine builds its network from the layers and reads the same flat buffer.
    /// </summary>
    private static void CheckLayout(Workload workload, INetwork network)
    {
        var expected = new List<int[]>();
        foreach (Layer layer in workload.Layers)
            expected.AddRange(layer.ParameterShapes);
        var actual = network.ParameterTensors.OrderBy(t => t.Offset).ToList();
        string Describe(IEnumerable<int[]> shapes) => string.Join(", ", shapes.Select(s => $"[{string.Join(", ", s)}]"));
        List<int[]> actualShapes = actual.Select(t => t.Shape.ToArray()).ToList();
        int offset = 0;
        bool contiguous = true;
        foreach (ParameterTensor tensor in actual)
        {
            contiguous &= tensor.Offset == offset;
            offset += tensor.Length;
        }
        if (!contiguous || actualShapes.Count != expected.Count || !actualShapes.Zip(expected).All(p => p.First.AsSpan().SequenceEqual(p.Second))
            || network.Parameters.Length != workload.InitialParameters.Length)
        {
            throw new InvalidOperationException($"{workload.Network}'s parameter tensors ({Describe(actualShapes)}, {network.Parameters.Length} values) are not the "
                + $"workload's layers' ({Describe(expected)}, {workload.InitialParameters.Length} values): make the declaration in Networks.cs and the layers in Workloads.cs the same network.");
        }
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
