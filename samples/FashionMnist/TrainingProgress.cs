using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Spectre.Console;

namespace NetGen.Samples.FashionMnist;

/// <summary>
/// Shows training epoch by epoch: in a terminal, a live progress bar with the latest losses and the time left; when the
/// output is redirected (a file, a pipe, a test), one plain line per epoch instead, since a redrawn bar would leave its
/// control codes and every intermediate frame in the file.
/// </summary>
public static class TrainingProgress
{
    /// <summary>Whether a live bar can be drawn: standard output is a terminal that takes cursor movements.</summary>
    public static bool CanDrawBar => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="train"/>, which trains for at most <paramref name="maxEpochs"/> epochs and reports each to the progress it is given.</summary>
    public static T Show<T>(int maxEpochs, Func<IProgress<EpochReport>, T> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!CanDrawBar)
            return train(new LineWriter(Console.Out));

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("training", maxValue: maxEpochs);
                T result = train(new Reporter(report =>
                {
                    task.Value = report.Epoch;
                    task.Description = Markup.Escape($"epoch {report.Epoch}/{report.Epochs}  train {report.TrainingLoss:F4}  val {report.ValidationLoss:F4}");
                }));
                task.Value = maxEpochs;   // early stopping ends training before the last epoch: the bar still ends full
                return result;
            });
    }

    /// <summary>One line per epoch: its losses, its time, and whether it is the best so far.</summary>
    public sealed class LineWriter(TextWriter output) : IProgress<EpochReport>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private float _best = float.PositiveInfinity;

        public void Report(EpochReport value)
        {
            bool best = value.ValidationLoss is float loss && loss < _best;
            if (best)
                _best = value.ValidationLoss!.Value;
            int width = value.Epochs.ToString(CultureInfo.InvariantCulture).Length;
            output.WriteLine($"epoch {value.Epoch.ToString(CultureInfo.CurrentCulture).PadLeft(width)}/{value.Epochs}  training loss {value.TrainingLoss:F4}  " +
                $"validation loss {value.ValidationLoss:F4}  {_clock.Elapsed.TotalSeconds,6:F1} s{(best ? "  best so far" : "")}");
        }
    }

    /// <summary>Reports synchronously on the training thread.</summary>
    private sealed class Reporter(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
