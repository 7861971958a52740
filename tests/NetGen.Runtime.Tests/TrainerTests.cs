using System;
using System.Collections.Generic;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>Early stopping, progress reports and seeded shuffling of the <see cref="Trainer"/>.</summary>
public class TrainerTests
{
    private const int Samples = 32;

    /// <summary>Inputs ~ N(0, 1) with every target equal to <paramref name="target"/>.</summary>
    private static Dataset Constant(float target, ulong seed)
    {
        var inputs = new float[Samples * 2];
        new SeededRandom(seed).FillNormal(inputs);
        var targets = new float[Samples];
        Array.Fill(targets, target);
        return new Dataset(inputs, targets, 2, 1);
    }

    private static TinyNetwork Network()
    {
        var network = new TinyNetwork(maxBatchSize: 8);
        Initializers.GlorotUniform(network, 3);
        return network;
    }

    /// <summary>Keeps every report and a copy of the parameters after each epoch.</summary>
    private sealed class Recorder(INetwork network) : IProgress<EpochReport>
    {
        public List<EpochReport> Reports { get; } = [];
        public List<float[]> Parameters { get; } = [];

        public void Report(EpochReport value)
        {
            Reports.Add(value);
            Parameters.Add(network.Parameters.ToArray());
        }
    }

    [Fact]
    public void EarlyStopping_StopsAfterPatience_AndRestoresTheBestEpoch()
    {
        // Training pulls the output towards +1 while the validation targets are −1: validation only gets worse
        // after the first epoch, so epoch 1 is the best and training stops 3 epochs later.
        TinyNetwork network = Network();
        var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = 8, EarlyStopping = new EarlyStopping { Patience = 3 } });
        var recorder = new Recorder(network);
        EpochReport last = trainer.Train(Constant(1f, 1), epochs: 100, Constant(-1f, 2), recorder);

        Assert.Equal(4, last.Epoch);
        Assert.Equal([1, 2, 3, 4], recorder.Reports.ConvertAll(r => r.Epoch));
        Assert.True(trainer.StoppedEarly);
        Assert.Equal(1, trainer.BestEpoch);
        Assert.Equal(recorder.Reports[0].ValidationLoss, trainer.BestValidationLoss);
        for (int i = 1; i < 4; i++)
            Assert.True(recorder.Reports[i].ValidationLoss > recorder.Reports[i - 1].ValidationLoss);
        Assert.Equal(recorder.Parameters[0], network.Parameters.ToArray());          // epoch 1's parameters are back
        Assert.Equal(trainer.BestValidationLoss, trainer.Evaluate(Constant(-1f, 2)));
    }

    [Fact]
    public void EarlyStopping_WithoutRestore_KeepsTheLastParameters()
    {
        TinyNetwork network = Network();
        var options = new TrainerOptions { BatchSize = 8, EarlyStopping = new EarlyStopping { Patience = 2, RestoreBestParameters = false } };
        var recorder = new Recorder(network);
        new Trainer(network, new Sgd(0.05f), options).Train(Constant(1f, 1), 100, Constant(-1f, 2), recorder);
        Assert.Equal(3, recorder.Reports.Count);
        Assert.Equal(recorder.Parameters[^1], network.Parameters.ToArray());
    }

    [Fact]
    public void EarlyStopping_MinDelta_IgnoresSmallImprovements()
    {
        // Training and validation agree, so the validation loss falls every epoch, but by less than 10.
        TinyNetwork network = Network();
        var options = new TrainerOptions { BatchSize = 8, EarlyStopping = new EarlyStopping { Patience = 2, MinDelta = 10f } };
        var recorder = new Recorder(network);
        var trainer = new Trainer(network, new Sgd(0.05f), options);
        trainer.Train(Constant(1f, 1), 100, Constant(1f, 2), recorder);
        Assert.Equal(3, recorder.Reports.Count);
        Assert.True(recorder.Reports[2].ValidationLoss < recorder.Reports[0].ValidationLoss);
        Assert.Equal(1, trainer.BestEpoch);
    }

    [Fact]
    public void EarlyStopping_WhileImproving_RunsEveryEpoch()
    {
        TinyNetwork network = Network();
        var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = 8, EarlyStopping = new EarlyStopping { Patience = 2 } });
        EpochReport last = trainer.Train(Constant(1f, 1), 20, Constant(1f, 2));
        Assert.Equal(20, last.Epoch);
        Assert.False(trainer.StoppedEarly);
        Assert.Equal(20, trainer.BestEpoch);
    }

    [Fact]
    public void EarlyStopping_NeedsAValidationSet()
    {
        var trainer = new Trainer(Network(), new Sgd(0.05f), new TrainerOptions { BatchSize = 8, EarlyStopping = new EarlyStopping() });
        var error = Assert.Throws<ArgumentNullException>(() => trainer.Train(Constant(1f, 1), 10));
        Assert.Contains("pass a validation set", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping { Patience = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping { MinDelta = -1f });
    }

    [Fact]
    public void EarlyStoppingEpochs_AllocateNothing()
    {
        TinyNetwork network = Network();
        var options = new TrainerOptions { BatchSize = 8, Shuffle = true, ShuffleSeed = 4, EarlyStopping = new EarlyStopping { Patience = 1000 } };
        var trainer = new Trainer(network, new Adam(0.01f), options);
        Dataset training = Constant(1f, 1), validation = Constant(-1f, 2);
        var progress = new Counter();
        trainer.Train(training, 1, validation, progress);
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            progress.Count = 0;
            trainer.Train(training, 50, validation, progress);
        }));
        Assert.Equal(50, progress.Count);
    }

    private sealed class Counter : IProgress<EpochReport>
    {
        public int Count;
        public void Report(EpochReport value) => Count++;
    }

    [Fact]
    public void Shuffling_IsSeeded()
    {
        float[] Train(bool shuffle, ulong seed)
        {
            TinyNetwork network = Network();
            var dataInputs = new float[Samples * 2];
            new SeededRandom(7).FillNormal(dataInputs);
            var targets = new float[Samples];
            new SeededRandom(8).FillNormal(targets);
            var trainer = new Trainer(network, new Sgd(0.05f), new TrainerOptions { BatchSize = 8, Shuffle = shuffle, ShuffleSeed = seed });
            trainer.Train(new Dataset(dataInputs, targets, 2, 1), 3);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Train(true, 1), Train(true, 1));
        Assert.NotEqual(Train(true, 1), Train(true, 2));
        Assert.NotEqual(Train(false, 1), Train(true, 1));
    }
}

/// <summary>The CSV loss log: exact numbers, invariant culture, no allocation per epoch.</summary>
public class CsvLossLogTests
{
    [Fact]
    public void WritesOneLinePerEpoch()
    {
        var text = new System.IO.StringWriter { NewLine = "\n" };
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE"); // decimal comma must not leak in
        try
        {
            using (var log = new CsvLossLog(text))
            {
                log.Report(new EpochReport(1, 2, 0.1f, 0.25f));
                log.Report(new EpochReport(2, 2, 1.0000001f, null));
                log.Report(new EpochReport(3, 3, float.NaN, 1e-20f));
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
        Assert.Equal("epoch,training_loss,validation_loss\n1,0.1,0.25\n2,1.0000001,\n3,NaN,1E-20\n", text.ToString());
    }

    [Fact]
    public void Create_OnADirectory_SaysItIsADirectory()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("netgen-csvlog-").FullName;
        try
        {
            var e = Assert.Throws<System.IO.IOException>(() => CsvLossLog.Create(directory));
            Assert.Equal($"Cannot write the loss log to '{directory}': it is a directory. Give the path of a file, such as '{System.IO.Path.Combine(directory, "loss.csv")}'.", e.Message);
            Assert.Empty(System.IO.Directory.GetFileSystemEntries(directory));
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Reports_AllocateNothing()
    {
        // A writer with room for every window's lines, so that only the log itself could allocate.
        using var writer = new System.IO.StringWriter(new System.Text.StringBuilder(1 << 18));
        using var log = new CsvLossLog(writer);
        log.Report(new EpochReport(1, 1000, 0.5f, 0.25f));
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int epoch = 2; epoch <= 1000; epoch++)
                log.Report(new EpochReport(epoch, 1000, 1f / epoch, 2f / epoch));
        }));
    }
}
