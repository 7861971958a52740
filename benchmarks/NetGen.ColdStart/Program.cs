using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using NetGen;

// One cold run of problem A (see the project file). Each line is "key: value"; times are Stopwatch timestamps
// (CLOCK_MONOTONIC on Linux, nanoseconds, the same clock in every process), so the parent that started this process
// can measure from just before it did. The JIT's own counters (0 under NativeAOT, which has no JIT) say how much of
// each stretch was compilation: the mechanism behind the first second, not only its length.
long main = Stopwatch.GetTimestamp();

const int Training = 512, Validation = 102, Epochs = 1000;
var random = new SeededRandom(1);
Dataset training = MakeData(Training, random);
Dataset validation = MakeData(Validation, random);
var network = new ColdMlp(maxBatchSize: 128);
Initializers.NormalWeightsConstantBias(network, 2, weightStd: 1f, bias: 0.03f);

float[] output = new float[ColdMlp.OutputSize];
network.Forward([0.5f], output);
long firstForward = Stopwatch.GetTimestamp();
TimeSpan jitAtFirstForward = JitInfo.GetCompilationTime();
long methodsAtFirstForward = JitInfo.GetCompiledMethodCount();

var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { BatchSize = 128 });
var marks = new Marks();
long trainingStart = Stopwatch.GetTimestamp();
TimeSpan jitAtTrainingStart = JitInfo.GetCompilationTime();
EpochReport last = trainer.Train(training, Epochs, validation, marks);
long trainingEnd = Stopwatch.GetTimestamp();
TimeSpan jitAtEnd = JitInfo.GetCompilationTime();

Console.WriteLine($"frequency: {Stopwatch.Frequency}");
Console.WriteLine($"main: {main}");
Console.WriteLine($"first-forward: {firstForward}");
Console.WriteLine($"first-output: {output[0].ToString("R", CultureInfo.InvariantCulture)}");
Console.WriteLine($"training-start: {trainingStart}");
Console.WriteLine($"step-100: {marks.Step100}");
Console.WriteLine($"step-4000: {marks.Step4000}");
Console.WriteLine($"training-end: {trainingEnd}");
Console.WriteLine($"validation-loss: {last.ValidationLoss.GetValueOrDefault().ToString("R", CultureInfo.InvariantCulture)}");
Console.WriteLine($"jit-ms-to-first-forward: {Milliseconds(jitAtFirstForward)}");
Console.WriteLine($"jit-methods-to-first-forward: {methodsAtFirstForward}");
Console.WriteLine($"jit-ms-in-training: {Milliseconds(jitAtEnd - jitAtTrainingStart)}");
Console.WriteLine($"jit-methods: {JitInfo.GetCompiledMethodCount()}");
return 0;

static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture);

static Dataset MakeData(int count, SeededRandom random)
{
    var x = new float[count];
    var y = new float[count];
    for (int i = 0; i < count; i++)
    {
        x[i] = (float)random.NextNormal();
        y[i] = (x[i] - 2f) * MathF.Cos(4f * x[i]);
    }
    return new Dataset(x, y, 1, 1);
}

/// <summary>Notes the time of the 100th step (end of epoch 25: 4 steps an epoch) and of the 4000th (epoch 1000).</summary>
internal sealed class Marks : IProgress<EpochReport>
{
    public long Step100, Step4000;

    public void Report(EpochReport value)
    {
        if (value.Epoch == 25)
            Step100 = Stopwatch.GetTimestamp();
        else if (value.Epoch == 1000)
            Step4000 = Stopwatch.GetTimestamp();
    }
}

/// <summary>Problem A's network, as samples/ThreeLayerMlp declares it.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class ColdMlp
{
    [Input(1)]                      public partial Node X { get; }
    [Dense(64, Activation.Sigmoid)] public partial Node Hidden1 { get; }
    [Dense(64, Activation.Sigmoid)] public partial Node Hidden2 { get; }
    [Dense(1)]                      public partial Node Output { get; }
}
