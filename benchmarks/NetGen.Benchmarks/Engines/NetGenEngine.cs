using System;
using System.Diagnostics;

namespace NetGen.Benchmarks.Engines;

/// <summary>The generated code: <see cref="INetwork.Backward"/> then <see cref="Sgd.Step"/>, as the runtime's Trainer does.</summary>
public sealed class NetGenEngine : IEngine
{
    public string Name => "NetGen (generated)";

    public TrainingRun Train(Workload workload, int steps)
    {
        INetwork warm = Create(workload, workload.BatchSize);
        var warmSgd = new Sgd(workload.LearningRate);
        int warmStep = 0;
        Timing.RunFor(Timing.WarmUp, () => { Step(workload, warm, warmSgd, warmStep++); });

        INetwork network = Create(workload, workload.BatchSize);
        var sgd = new Sgd(workload.LearningRate);
        float first = 0, last = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            last = Step(workload, network, sgd, s);
            if (s == 0)
                first = last;
        }
        stopwatch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new TrainingRun(steps, stopwatch.Elapsed, allocated, first, last);
    }

    public InferenceRun Infer(Workload workload, int batch, TimeSpan budget)
    {
        INetwork network = Create(workload, batch);
        var outputs = new float[batch * workload.OutputSize];
        int batches = workload.Samples / batch;
        void Call(int i)
        {
            int start = i % batches * batch;
            network.Forward(workload.Inputs.AsSpan(start * workload.InputSize, batch * workload.InputSize), outputs, batch);
        }
        Call(0);
        float[] firstOutputs = (float[])outputs.Clone();
        Timing.RunFor(Timing.WarmUp, () => Call(1));
        var (calls, elapsed, allocated) = Timing.Measure(budget, Call);
        return new InferenceRun(calls, elapsed, allocated, firstOutputs);
    }

    private static INetwork Create(Workload workload, int batch)
    {
        INetwork network = workload.CreateNetGen(batch);
        workload.InitialParameters.CopyTo(network.Parameters);
        return network;
    }

    private static float Step(Workload workload, INetwork network, Sgd sgd, int step)
    {
        int start = step % workload.BatchesPerEpoch * workload.BatchSize;
        float loss = network.Backward(
            workload.Inputs.AsSpan(start * workload.InputSize, workload.BatchSize * workload.InputSize),
            workload.Targets.AsSpan(start * workload.OutputSize, workload.BatchSize * workload.OutputSize),
            workload.BatchSize);
        sgd.Step(network);
        return loss;
    }
}
