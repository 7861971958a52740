using System;
using System.Diagnostics;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// `-- profile`: NetGen alone on the seed workloads, reporting wall time and this process's CPU time per step. On a
/// shared machine the CPU time is the steadier figure (it leaves out the time the thread waited for a core), so this is
/// the quick loop for kernel work; `compare` is the measurement of record.
/// </summary>
public static class Profile
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "kernels")
            return Kernels();
        foreach (Workload workload in new[] { Workload.SeedMlp(), Workload.WideMlp(400), Workload.MnistMlp(100) })
        {
            INetwork network = workload.CreateNetGen(workload.BatchSize);
            workload.InitialParameters.CopyTo(network.Parameters);
            var sgd = new Sgd(workload.LearningRate);
            void Step(int s)
            {
                int start = s % workload.BatchesPerEpoch * workload.BatchSize;
                network.Backward(workload.Inputs.AsSpan(start * workload.InputSize, workload.BatchSize * workload.InputSize),
                    workload.Targets.AsSpan(start * workload.OutputSize, workload.BatchSize * workload.OutputSize), workload.BatchSize);
                sgd.Step(network);
            }
            Report(workload.Name + " training step", workload.FlopsPerStep, workload.Steps, Step);
            var one = new float[workload.OutputSize];
            Report(workload.Name + " single-sample inference", workload.ForwardFlops(1), 200_000,
                i => network.Forward(workload.Inputs.AsSpan(i % workload.Samples * workload.InputSize, workload.InputSize), one, 1));
        }
        return 0;
    }

    /// <summary>The seed's middle layer (64 × 64, B = 128), kernel by kernel.</summary>
    private static int Kernels()
    {
        const int b = 128, n = 64;
        var random = new SeededRandom(1);
        float[] x = new float[b * n], w = new float[n * n], wt = new float[n * n], bias = new float[n], y = new float[b * n], d = new float[b * n], g = new float[n * n];
        random.FillNormal(x); random.FillNormal(w); random.FillNormal(d);
        double gemm = 2.0 * b * n * n;
        Report("transpose 64×64", 0, 100_000, _ => NetGen.Kernels.Dense.Transpose(w, wt, n, n));
        Report("forward GEMM, identity", gemm, 20_000, _ => NetGen.Kernels.Dense.Forward<NetGen.Kernels.IdentityOperator>(x, wt, bias, default, y, b, n, n));
        Report("forward GEMM, sigmoid", gemm, 20_000, _ => NetGen.Kernels.Dense.Forward<NetGen.Kernels.SigmoidOperator>(x, wt, bias, default, y, b, n, n));
        Report("forward by rows, sigmoid", gemm, 5_000, _ => NetGen.Kernels.Dense.ForwardByRows<NetGen.Kernels.SigmoidOperator>(x, w, bias, default, y, b, n, n));
        Report("weight gradients", gemm, 20_000, _ => NetGen.Kernels.Dense.WeightGradients(d, x, g, b, n, n));
        Report("bias gradients", 0, 20_000, _ => NetGen.Kernels.Dense.BiasGradients(d, bias, b, n));
        Report("input gradients, identity", gemm, 20_000, _ => NetGen.Kernels.Dense.InputGradients<NetGen.Kernels.IdentityDerivativeOperator>(d, w, default, y, false, b, n, n));
        Report("input gradients, sigmoid'", gemm, 20_000, _ => NetGen.Kernels.Dense.InputGradients<NetGen.Kernels.SigmoidDerivativeOperator>(d, w, x, y, false, b, n, n));
        Report("sigmoid 128×64", 0, 20_000, _ => NetGen.Kernels.Activations.Sigmoid(x, y));
        Report("softplus 128×64", 0, 20_000, _ => NetGen.Kernels.Activations.Softplus(y, x));
        float[] x1 = new float[b], w1 = new float[n], g1 = new float[n], d1 = new float[b], y1 = new float[b];
        random.FillNormal(x1); random.FillNormal(w1); random.FillNormal(d1);
        Report("seed layer 1 forward (K = 1), sigmoid", 0, 50_000, _ => NetGen.Kernels.Dense.Forward<NetGen.Kernels.SigmoidOperator>(x1, w1, bias, default, y, b, 1, n));
        Report("seed layer 1 weight gradients (one input)", 0, 50_000, _ => NetGen.Kernels.Dense.WeightGradients(d, x1, g1, b, 1, n));
        Report("seed layer 3 forward (one unit, by rows)", 0, 50_000, _ => NetGen.Kernels.Dense.ForwardByRows<NetGen.Kernels.IdentityOperator>(x, w1, bias.AsSpan(0, 1), default, y1, b, n, 1));
        Report("seed layer 3 weight gradients (one unit)", 0, 50_000, _ => NetGen.Kernels.Dense.WeightGradients(d1, x, g1, b, n, 1));
        Report("seed layer 3 input gradients (K = 1), sigmoid'", 0, 50_000, _ => NetGen.Kernels.Dense.InputGradients<NetGen.Kernels.SigmoidDerivativeOperator>(d1, w1, x, y, false, b, n, 1));
        var seed = new SeedMlp(b);
        var sgd = new Sgd(0.1f);
        Report("SGD step over 4353 parameters", 0, 50_000, _ => sgd.Step(seed));
        float[] t1 = new float[b];
        Report("seed MLP ComputeLoss (forward + loss)", 0, 20_000, _ => seed.ComputeLoss(x1, t1, b));
        Report("seed MLP Backward (forward + loss + backward)", 0, 20_000, _ => seed.Backward(x1, t1, b));
        Report("one row by rows (single sample)", 2.0 * n * n, 200_000, _ => NetGen.Kernels.Dense.ForwardByRows<NetGen.Kernels.SigmoidOperator>(x, w, bias, default, y, 1, n, n));
        return 0;
    }

    /// <summary>Times 200 rounds of count/200 calls and reports the fastest round: preemption by other processes only slows rounds down.</summary>
    private static void Report(string name, double flops, int count, Action<int> call)
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 30 || warm.Elapsed < Engines.Timing.WarmUp; i++)
            call(0);
        int round = Math.Max(1, count / 200);
        double best = double.MaxValue;
        var stopwatch = new Stopwatch();
        for (int r = 0; r < 200; r++)
        {
            stopwatch.Restart();
            for (int i = 0; i < round; i++)
                call(r * round + i);
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds / round);
        }
        Console.WriteLine($"{name,-60} best round {Format.Time(best),10}  {flops / best / 1e9,6:0.0} GFLOP/s");
    }
}
