using System;
using System.Diagnostics;

namespace NetGen.Benchmarks.Engines;

/// <summary>The plain scalar C# reference (<see cref="ScalarMlp"/>).</summary>
public sealed class ScalarEngine : IEngine
{
    public string Name => "scalar C# reference";

    public TrainingRun Train(Workload workload, int steps)
    {
        var warm = new ScalarMlp(workload.Layers, workload.Loss, workload.BatchSize, workload.InitialParameters);
        int warmStep = 0;
        Timing.RunFor(Timing.WarmUp, () => Step(workload, warm, warmStep++), minimumCalls: 2);

        var network = new ScalarMlp(workload.Layers, workload.Loss, workload.BatchSize, workload.InitialParameters);
        float first = 0, last = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            last = Step(workload, network, s);
            if (s == 0)
                first = last;
        }
        stopwatch.Stop();
        return new TrainingRun(steps, stopwatch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before, first, last);
    }

    public InferenceRun Infer(Workload workload, int batch, TimeSpan budget)
    {
        var network = new ScalarMlp(workload.Layers, workload.Loss, batch, workload.InitialParameters);
        int batches = workload.Samples / batch;
        void Call(int i)
        {
            int start = i % batches * batch;
            network.Forward(workload.Inputs.AsSpan(start * workload.InputSize, batch * workload.InputSize), batch);
        }
        float[] firstOutputs = network.Forward(workload.Inputs.AsSpan(0, batch * workload.InputSize), batch).ToArray();
        Timing.RunFor(Timing.WarmUp, () => Call(1));
        var (calls, elapsed, allocated) = Timing.Measure(budget, Call);
        return new InferenceRun(calls, elapsed, allocated, firstOutputs);
    }

    private static float Step(Workload workload, ScalarMlp network, int step)
    {
        int start = step % workload.BatchesPerEpoch * workload.BatchSize;
        float loss = network.Backward(
            workload.Inputs.AsSpan(start * workload.InputSize, workload.BatchSize * workload.InputSize),
            workload.Targets.AsSpan(start * workload.OutputSize, workload.BatchSize * workload.OutputSize),
            workload.BatchSize);
        network.Step(workload.LearningRate);
        return loss;
    }
}
