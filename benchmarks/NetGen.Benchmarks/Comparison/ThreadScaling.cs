using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The Trainer on every core (issue "Every core"): for each training workload, epochs of its samples through a
/// <see cref="Trainer"/> with SGD, on 1, 2, … up to the machine's processors (at most 8) in chunks of
/// <see cref="ChunkSamples"/>, and on one thread uncut; the table also says whether the Trainer cuts the workload by
/// itself (its automatic chunking). Rounds alternate between the configurations, so that load from other processes
/// falls on all of them; the best round of each is the figure.
/// </summary>
public static class ThreadScaling
{
    /// <summary>The chunk size measured: the least the Trainer's automatic chunking uses (its MinChunkSamples).</summary>
    public const int ChunkSamples = 64;

    public static IReadOnlyList<int> ThreadCounts() => Enumerable.Range(1, Math.Clamp(Environment.ProcessorCount, 1, TrainerOptions.MaxDefaultThreads)).ToArray();

    public static ThreadScalingRow Measure(Workload workload, IReadOnlyList<int> threadCounts, TimeSpan warmUp, int rounds)
    {
        int batch = workload.BatchSize;
        var data = new Dataset(workload.Inputs, workload.Targets, workload.InputSize, workload.OutputSize);
        Trainer Create(int threads, int chunkSize)
        {
            INetwork network = workload.CreateNetGen(batch);
            workload.InitialParameters.CopyTo(network.Parameters);
            return new Trainer(network, new Sgd(workload.LearningRate), new TrainerOptions { BatchSize = batch, Threads = threads, ChunkSize = chunkSize });
        }

        int automatic;
        using (Trainer probe = Create(1, 0))
            automatic = probe.ChunkSize;
        var trainers = new List<Trainer> { Create(1, batch) };
        trainers.AddRange(threadCounts.Select(t => Create(t, Math.Min(ChunkSamples, batch))));
        double Round(int i)
        {
            long start = Stopwatch.GetTimestamp();
            trainers[i].Train(data, 1);
            return Stopwatch.GetElapsedTime(start).TotalSeconds / workload.BatchesPerEpoch;
        }
        try
        {
            double[] best = BestOfAlternatingRounds(trainers.Count, Round, warmUp, rounds);
            return new ThreadScalingRow(workload.Name, workload.Network, batch, trainers[1].ChunkSize, automatic, best[0],
                threadCounts.Select((t, i) => new ThreadTiming(t, best[i + 1])).ToArray());
        }
        finally
        {
            foreach (Trainer trainer in trainers)
                trainer.Dispose();
        }
    }

    /// <summary>
    /// The least of <paramref name="rounds"/> rounds of each of <paramref name="configurations"/>, as
    /// <paramref name="round"/> times them, after <paramref name="warmUp"/> of rounds of them all; the configurations
    /// alternate, so that load from other processes falls on all of them.
    /// </summary>
    private static double[] BestOfAlternatingRounds(int configurations, Func<int, double> round, TimeSpan warmUp, int rounds)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp)
            for (int i = 0; i < configurations; i++)
                round(i);
        var best = Enumerable.Repeat(double.MaxValue, configurations).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < configurations; i++)
                best[i] = Math.Min(best[i], round(i));
        return best;
    }

    /// <summary>
    /// L-BFGS (no line search, history 10) on a full batch, on one thread uncut and in chunks of <paramref name="chunkSize"/>
    /// on each thread count: a round is one <see cref="Lbfgs.Step(INetwork, Dataset, IProgress{LbfgsIteration})"/> of
    /// <see cref="LbfgsIterations"/> iterations from the same start, and the figure is the best round's time per evaluation
    /// (the evaluation and its share of the two-loop update).
    /// </summary>
    public static ThreadScalingRow MeasureLbfgs(string name, string networkName, Func<int, INetwork> create, float[] initial, Dataset data,
        int chunkSize, IReadOnlyList<int> threadCounts, TimeSpan warmUp, int rounds)
    {
        INetwork[] networks = new INetwork[threadCounts.Count + 1];
        Lbfgs[] optimizers = new Lbfgs[networks.Length];
        for (int i = 0; i < networks.Length; i++)
        {
            networks[i] = create(data.Count);
            optimizers[i] = new Lbfgs(networks[i].ParameterCount, maxIterations: LbfgsIterations, toleranceGrad: 0f, toleranceChange: 0f, historySize: 10,
                threads: i == 0 ? 1 : threadCounts[i - 1], chunkSize: i == 0 ? data.Count : chunkSize);
        }
        int automatic = ChunkPlan.ChunkSize(networks[0], data.Count, 0);
        double Round(int i)
        {
            initial.CopyTo(networks[i].Parameters);
            optimizers[i].Reset();
            long start = Stopwatch.GetTimestamp();
            LbfgsReport report = optimizers[i].Step(networks[i], data);
            return Stopwatch.GetElapsedTime(start).TotalSeconds / report.Evaluations;
        }
        try
        {
            double[] best = BestOfAlternatingRounds(networks.Length, Round, warmUp, rounds);
            return new ThreadScalingRow(name, networkName, data.Count, chunkSize, automatic, best[0],
                threadCounts.Select((t, i) => new ThreadTiming(t, best[i + 1])).ToArray(), Lbfgs: true);
        }
        finally
        {
            foreach (Lbfgs optimizer in optimizers)
                optimizer.Dispose();
        }
    }

    /// <summary>Chunk counts of the reduction measured alone: what batches of 128 to 1024 in chunks of 64 add.</summary>
    public static readonly int[] ReductionChunks = [2, 4, 8, 16];

    /// <summary>
    /// The reduction alone (the chunks' gradients added into the network's, checked and weighed) for the 784-wide
    /// network, for each of <see cref="ReductionChunks"/> on each thread count: the part of a cut step that grows with
    /// the chunk count while each chunk's own work shrinks. Best of the rounds, after a warm-up.
    /// </summary>
    public static IReadOnlyList<ReductionTiming> MeasureReduction(Workload workload, IReadOnlyList<int> threadCounts, int rounds)
    {
        var timings = new List<ReductionTiming>();
        foreach (int chunks in ReductionChunks)
            foreach (int threads in threadCounts)
            {
                int batch = chunks * ChunkSamples;
                using var step = new DataParallelStep(workload.CreateNetGen(batch), batch, ChunkSamples, threads, gathers: false);
                double best = double.MaxValue;
                for (int r = 0; r < rounds + 10; r++)
                {
                    long start = Stopwatch.GetTimestamp();
                    step.Reduce(batch);
                    if (r >= 10)
                        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
                }
                timings.Add(new ReductionTiming(chunks, threads, best));
            }
        return timings;
    }

    /// <summary>Iterations of an L-BFGS round (each one evaluation without a line search).</summary>
    public const int LbfgsIterations = 5;

    /// <summary>
    /// The L-BFGS rows, as the options select them: problem H's logistic regression on the breast-cancer training set
    /// (456 rows of 30 features, the BreastCancer sample's model) cut in two, and the 784-wide network's full batch of 512 in the Trainer's chunks of 64.
    /// </summary>
    private static IEnumerable<ThreadScalingRow> LbfgsRows(CompareOptions options, Workload mnist, IReadOnlyList<int> counts, TimeSpan warmUp, int rounds)
    {
        if (options.Selects(Workload.Dense, CompareOptions.BreastCancerLbfgs))
        {
            Dataset training = Samples.BreastCancer.Problem.Load().Training;
            yield return MeasureLbfgs("L-BFGS: breast cancer 30→1", CompareOptions.BreastCancerLbfgs, b => new Samples.BreastCancer.BreastCancerModel(b),
                new float[Samples.BreastCancer.BreastCancerModel.ParameterCount], training, (training.Count + 1) / 2, counts, warmUp, rounds);
        }
        if (options.Selects(mnist))
        {
            var data = new Dataset(mnist.Inputs, mnist.Targets, mnist.InputSize, mnist.OutputSize);
            yield return MeasureLbfgs("L-BFGS: MNIST-sized, full batch", mnist.Network, mnist.CreateNetGen, mnist.InitialParameters, data, ChunkSamples, counts, warmUp, rounds);
        }
    }

    /// <summary>The training workloads the table covers, as the options select them.</summary>
    public static IEnumerable<Workload> Workloads(CompareOptions options) =>
        new[] { Workload.SeedMlp(), Workload.WideMlp(0), Workload.MnistMlp(0), Workload.LeNet(OptimizerKind.Sgd, 0), Workload.LeNetBatchNorm(0), Workload.SignalCnn(0) }
            .Where(options.Selects);

    /// <summary>
    /// Measures what the machine's cores give FMA-bound work together (<see cref="Peak.ConcurrentSpeedup"/>) and how far
    /// apart two of them are (<see cref="CoreRoundTrip"/>), then the
    /// selected workloads, printing each as it goes; returns both for the table and the closing lines.
    /// </summary>
    public static ThreadScalingResult Run(CompareOptions options)
    {
        IReadOnlyList<int> counts = ThreadCounts();
        Console.WriteLine($"--- the Trainer on 1 to {counts[^1]} threads ({Environment.ProcessorCount} processors; chunks of {ChunkSamples}; SGD; an epoch of each workload's samples a round)");
        TimeSpan warmUp = options.Quick ? TimeSpan.FromSeconds(0.3) : TimeSpan.FromSeconds(1);
        int rounds = options.Quick ? 3 : 15;
        double peakSpeedup = Peak.ConcurrentSpeedup(counts[^1], rounds);
        Console.WriteLine($"  the FP32 peak's loop on {counts[^1]} threads at once ÷ on one: {Format.Ratio(peakSpeedup)} (what FMA-bound work can gain here)");
        double roundTrip = CoreRoundTrip.Nanoseconds(rounds);
        Console.WriteLine($"  a cache line from one core to another and back: {roundTrip:0} ns (what every cut step pays to share its gradients and parameters)");
        var rows = new List<ThreadScalingRow>();
        foreach (Workload workload in Workloads(options))
            rows.Add(Print(Measure(workload, counts, warmUp, rounds)));
        Workload mnist = Workload.MnistMlp(0);
        foreach (ThreadScalingRow row in LbfgsRows(options, mnist, counts, warmUp, rounds))
            rows.Add(Print(row));
        IReadOnlyList<ReductionTiming> reduction = options.Selects(mnist) ? MeasureReduction(mnist, counts, options.Quick ? 20 : 200) : [];
        return new ThreadScalingResult(rows, counts[^1], peakSpeedup, reduction, roundTrip);

        static ThreadScalingRow Print(ThreadScalingRow row)
        {
            Console.WriteLine($"  {row.Workload}: uncut {Format.Time(row.UncutSeconds)}; {string.Join(", ", row.ByThreads.Select(t => $"{t.Threads} → {Format.Time(t.Seconds)}"))}");
            return row;
        }
    }
}
