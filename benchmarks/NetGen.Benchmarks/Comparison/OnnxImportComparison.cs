using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NetGen.Benchmarks.Engines;
using NetGen.Benchmarks.Onnx;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// Issue "ONNX both ways": the models NetGen compiles from ONNX files at build time (<see cref="ImportedModel"/>), each
/// answering one sample and a batch of 128 next to ONNX Runtime with one thread on the same file. ONNX Runtime runs as
/// the dense workloads run it (<see cref="BoundSession"/>: one thread, every graph optimisation, inputs and outputs
/// bound once over memory allocated once); the generated class's <c>Forward</c> writes into a buffer
/// allocated once. Both first answer the same batches and must agree; then rounds of each alternate, so that load from
/// other processes falls on both, and the best round of each is the figure.
/// </summary>
public static class OnnxImportComparison
{
    /// <summary>The largest difference allowed, relative to the largest |output| (and at least this much absolutely).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The batch sizes measured: one sample, and the batch of the other inference workloads.</summary>
    public static readonly int[] Batches = [1, 128];

    /// <summary>Distinct input batches each engine cycles through, so that no call answers the inputs of the call before.</summary>
    private const int InputBatches = 8;

    /// <summary>Measures every model at every batch size and prints a line per measurement as it goes.</summary>
    public static IReadOnlyList<OnnxImportRow> Run(CompareOptions options)
    {
        Console.WriteLine($"--- imported ONNX models: the class [OnnxNetwork] compiled from each file next to ONNX Runtime, 1 thread, on the same file");
        TimeSpan warmUp = options.Quick ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromSeconds(1);
        int rounds = options.Quick ? 5 : 40;
        var rows = new List<OnnxImportRow>();
        foreach (ImportedModel model in ImportedModel.All)
        {
            foreach (int batch in Batches)
            {
                OnnxImportRow row = Measure(model, batch, warmUp, rounds);
                Console.WriteLine($"  {model.Name}, B = {batch}: NetGen {Format.Time(row.NetGenSeconds)}, ONNX Runtime {Format.Time(row.OnnxRuntimeSeconds)} ({Format.Ratio(row.Speedup)}); "
                    + $"largest difference {row.LargestDifference:0.##E+0}{(row.Agree ? "" : " — FAIL: the outputs differ")}");
                rows.Add(row);
            }
        }
        return rows;
    }

    public static OnnxImportRow Measure(ImportedModel model, int batch, TimeSpan warmUp, int rounds)
    {
        INetwork network = model.Create(batch);
        using var ort = new BoundSession(model: null, model.FilePath, batch, InputBatches);
        if (ort.InputSize != network.InputSize || ort.OutputSize != network.OutputSize)
            throw new InvalidOperationException($"{model.FileName}: ONNX Runtime reads {ort.InputSize} inputs and answers {ort.OutputSize} outputs a sample, "
                + $"the generated class {network.InputSize} and {network.OutputSize}");

        // The same inputs for both, uniform in [-1, 1) from a fixed seed.
        var random = new Random(19);
        float[] inputs = ort.Inputs;
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = (float)(random.NextDouble() * 2 - 1);
        var outputs = new float[batch * network.OutputSize];
        int inputLength = batch * network.InputSize;

        // The check: every input batch through both.
        double largest = 0, scale = 0;
        for (int k = 0; k < InputBatches; k++)
        {
            network.Forward(inputs.AsSpan(k * inputLength, inputLength), outputs, batch);
            ort.Run(k);
            for (int i = 0; i < outputs.Length; i++)
            {
                largest = Math.Max(largest, Math.Abs(outputs[i] - ort.Outputs[i]));
                scale = Math.Max(scale, Math.Abs(ort.Outputs[i]));
            }
        }
        bool agree = largest <= Tolerance * Math.Max(1, scale);

        int call = 0;
        void NetGenCalls(int count)
        {
            for (int c = 0; c < count; c++, call = (call + 1) % InputBatches)
                network.Forward(inputs.AsSpan(call * inputLength, inputLength), outputs, batch);
        }
        void OnnxRuntimeCalls(int count)
        {
            for (int c = 0; c < count; c++, call = (call + 1) % InputBatches)
                ort.Run(call);
        }

        // The delegates are made once: a local function converted per round would allocate, and the rounds count bytes.
        Action<int> netgen = NetGenCalls, onnxRuntime = OnnxRuntimeCalls;

        // Calls a round: enough for about 2 ms of the slower engine, measured after the warm-up.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp)
        {
            netgen(16);
            onnxRuntime(16);
        }
        double slower = Math.Max(Time(netgen, 16), Time(onnxRuntime, 16)) / 16;
        int perRound = (int)Math.Clamp(Timing.RoundTarget.TotalSeconds / slower, 1, 100_000);

        double bestNetGen = double.MaxValue, bestOrt = double.MaxValue;
        long allocated = 0;
        for (int r = 0; r < rounds; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            bestNetGen = Math.Min(bestNetGen, Time(netgen, perRound) / perRound);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            bestOrt = Math.Min(bestOrt, Time(onnxRuntime, perRound) / perRound);
        }
        return new OnnxImportRow(model.Name, model.Description, batch, bestNetGen, bestOrt, allocated / ((double)rounds * perRound), largest, agree);

        static double Time(Action<int> calls, int count)
        {
            long start = Stopwatch.GetTimestamp();
            calls(count);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }
}
