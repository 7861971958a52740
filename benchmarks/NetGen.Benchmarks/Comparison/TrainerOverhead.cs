using System;
using System.Diagnostics;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The Trainer's own cost per step on the seed workload: <see cref="Trainer.Train"/> (4 batches an epoch, the divergence
/// checks of every step, a progress report and the validation loss of every epoch, as the README's main job trains)
/// next to the loop it wraps, Backward then <see cref="Sgd.Step"/> on the same batches. Three more loops take the cost
/// apart: the Trainer with neither a validation set nor a progress sink (its divergence checks and bookkeeping alone),
/// the same with a progress sink (the report of each epoch), and the bare loop with <see cref="Trainer.Evaluate(INetwork, Dataset)"/>
/// of the validation set after each epoch (the validation loss alone, the same forward passes the Trainer makes). Rounds
/// of each alternate, so that load from other processes falls on all of them; the best round of each is the figure.
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

        INetwork bare = workload.CreateNetGen(batch), evaluated = workload.CreateNetGen(batch), trained = workload.CreateNetGen(batch),
            unvalidated = workload.CreateNetGen(batch), silent = workload.CreateNetGen(batch);
        foreach (INetwork network in new[] { bare, evaluated, trained, unvalidated, silent })
            workload.InitialParameters.CopyTo(network.Parameters);
        var bareSgd = new Sgd(workload.LearningRate);
        var evaluatedSgd = new Sgd(workload.LearningRate);
        var trainer = new Trainer(trained, new Sgd(workload.LearningRate), new TrainerOptions { BatchSize = batch });
        var trainerWithoutValidation = new Trainer(unvalidated, new Sgd(workload.LearningRate), new TrainerOptions { BatchSize = batch });
        var trainerAlone = new Trainer(silent, new Sgd(workload.LearningRate), new TrainerOptions { BatchSize = batch });
        var progress = new NoProgress();

        const int Epochs = 16;   // 64 steps a round: about 2 ms
        void Epoch(INetwork network, Sgd sgd)
        {
            for (int b = 0; b < batches; b++)
            {
                network.Backward(workload.Inputs.AsSpan(b * batch * workload.InputSize, batch * workload.InputSize),
                    workload.Targets.AsSpan(b * batch * workload.OutputSize, batch * workload.OutputSize), batch);
                sgd.Step(network);
            }
        }
        void Bare()
        {
            for (int e = 0; e < Epochs; e++)
                Epoch(bare, bareSgd);
        }
        void BareEvaluated()
        {
            for (int e = 0; e < Epochs; e++)
            {
                Epoch(evaluated, evaluatedSgd);
                Trainer.Evaluate(evaluated, validation);
            }
        }
        void Trained() => trainer.Train(training, Epochs, validation, progress);
        void Unvalidated() => trainerWithoutValidation.Train(training, Epochs, progress: progress);
        void Alone() => trainerAlone.Train(training, Epochs);

        // The delegates are made once: a method group converted per round would allocate, and the rounds count bytes.
        Action[] loops = [Bare, BareEvaluated, Trained, Unvalidated, Alone];
        var best = new double[loops.Length];
        Array.Fill(best, double.MaxValue);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp)
            foreach (Action loop in loops)
                loop();
        long allocated = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int l = 0; l < loops.Length; l++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                best[l] = Math.Min(best[l], Time(loops[l]));
                if (l >= 2)   // the Trainer's loops
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        double steps = Epochs * batches;
        return new TrainerOverheadResult(best[0] / steps, best[2] / steps, best[3] / steps, allocated / (3.0 * rounds * steps),
            best[4] / steps, best[1] / steps);

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
