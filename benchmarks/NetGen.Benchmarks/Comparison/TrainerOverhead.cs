using System;
using System.Diagnostics;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The Trainer's own cost per step on the seed workload: <see cref="Trainer.Train"/> (4 batches an epoch, the divergence
/// checks of every step, a progress report and the validation loss of every epoch, as the README's main job trains)
/// next to the loop it wraps, Backward then <see cref="Sgd.Step"/> on the same batches. Rounds of each alternate, so
/// that load from other processes falls on both; the best round of each is the figure.
/// </summary>
public static class TrainerOverhead
{
    public static TrainerOverheadResult Measure(Workload workload, TimeSpan warmUp, int rounds)
    {
        int batch = workload.BatchSize, batches = workload.BatchesPerEpoch;
        var training = new Dataset(workload.Inputs, workload.Targets, workload.InputSize, workload.OutputSize);
        // Problem A validates on 102 further samples; the first 102 training samples cost the same.
        int validationCount = workload.Samples / 5;
        var validation = new Dataset(workload.Inputs[..(validationCount * workload.InputSize)], workload.Targets[..(validationCount * workload.OutputSize)],
            workload.InputSize, workload.OutputSize);

        INetwork bare = workload.CreateNetGen(batch), trained = workload.CreateNetGen(batch), unvalidated = workload.CreateNetGen(batch);
        foreach (INetwork network in new[] { bare, trained, unvalidated })
            workload.InitialParameters.CopyTo(network.Parameters);
        var bareSgd = new Sgd(workload.LearningRate);
        var trainer = new Trainer(trained, new Sgd(workload.LearningRate), new TrainerOptions { BatchSize = batch });
        var trainerWithoutValidation = new Trainer(unvalidated, new Sgd(workload.LearningRate), new TrainerOptions { BatchSize = batch });
        var progress = new NoProgress();

        const int Epochs = 16;   // 64 steps a round: about 2 ms
        void Bare()
        {
            for (int e = 0; e < Epochs; e++)
                for (int b = 0; b < batches; b++)
                {
                    bare.Backward(workload.Inputs.AsSpan(b * batch * workload.InputSize, batch * workload.InputSize),
                        workload.Targets.AsSpan(b * batch * workload.OutputSize, batch * workload.OutputSize), batch);
                    bareSgd.Step(bare);
                }
        }
        void Trained() => trainer.Train(training, Epochs, validation, progress);
        void Unvalidated() => trainerWithoutValidation.Train(training, Epochs, progress: progress);

        // The delegates are made once: a method group converted per round would allocate, and the rounds count bytes.
        Action bareRound = Bare, trainerRound = Trained, unvalidatedRound = Unvalidated;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp)
        {
            Bare();
            Trained();
            Unvalidated();
        }
        double bestBare = double.MaxValue, bestTrainer = double.MaxValue, bestUnvalidated = double.MaxValue;
        long allocated = 0;
        for (int r = 0; r < rounds; r++)
        {
            bestBare = Math.Min(bestBare, Time(bareRound));
            long before = GC.GetAllocatedBytesForCurrentThread();
            bestTrainer = Math.Min(bestTrainer, Time(trainerRound));
            bestUnvalidated = Math.Min(bestUnvalidated, Time(unvalidatedRound));
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        double steps = Epochs * batches;
        return new TrainerOverheadResult(bestBare / steps, bestTrainer / steps, bestUnvalidated / steps, allocated / (2.0 * rounds * steps));

        static double Time(Action action)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    private sealed class NoProgress : IProgress<EpochReport>
    {
        public void Report(EpochReport value) { }
    }
}
