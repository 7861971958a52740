using System;
using System.Globalization;
using System.IO;
using NetGen;
using NetGen.Samples.FashionMnist;

// LeNet-5 on Fashion-MNIST. Options (README, "Fashion-MNIST"): --data <folder>, --epochs <n>, --seed <n>, --out <folder>.
string? dataOption = null;
int? epochsOption = null;
ulong seed = Problem.Seed;
string folder = "out";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data" when i + 1 < args.Length:
            dataOption = args[++i]; break;
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int e) && e >= 1:
            epochsOption = e; i++; break;
        case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong s):
            seed = s; i++; break;
        case "--out" when i + 1 < args.Length:
            folder = args[++i]; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: FashionMnist [--data <folder>] [--epochs <n ≥ 1>] [--seed <n>] [--out <folder>]");
            return 2;
    }
}

ImageSet training, test;
DataSource source;
try
{
    source = FashionMnistFiles.Locate(dataOption);
    (training, test) = FashionMnistData.Load(source.Folder);
}
catch (Exception error) when (error is FileNotFoundException or InvalidDataException)
{
    Console.Error.WriteLine(error.Message);
    return 1;
}

if (source.FellBackToSubset)
{
    Console.WriteLine($"The full Fashion-MNIST is not in {FashionMnistFiles.DebianFolder}: this run uses the repository's subset (samples/data/fashion-mnist-subset,");
    Console.WriteLine($"the first {training.Count:N0} training and {test.Count:N0} test images), which trains in seconds but reaches about 80 %, not LeNet's 89–91 %.");
    Console.WriteLine($"For the full set: {FashionMnistFiles.HowToGetTheFullSet}");
    Console.WriteLine();
}

Split split = Problem.Prepare(training, test);
int maxEpochs = epochsOption ?? Problem.DefaultMaxEpochs(split.Learning.Count);
Console.WriteLine($"Fashion-MNIST (Zalando Research, MIT licence) from {Path.GetFullPath(source.Folder)}: {training.Count:N0} training and {test.Count:N0} test images");
Console.WriteLine($"of 28 × 28 pixels, 10 classes. Of the training images, index % 10 == 9 is validation ({split.Validation.Count:N0}), the rest is learned from ({split.Learning.Count:N0});");
Console.WriteLine($"pixels scaled to [0, 1] and standardised with the learning images' mean {split.PixelMean:F4} and σ {split.PixelStd:F4}.");
Console.WriteLine($"Model: LeNet-5, {LeNet.ParameterCount:N0} parameters (PyTorch's default initialisation, seed {seed}); Adam η = {Problem.LearningRate}, shuffled batches of {Problem.BatchSize},");
Console.WriteLine($"at most {maxEpochs} epochs, early stopping after {Problem.Patience} epochs without a lower validation loss (best epoch restored).");
Console.WriteLine();

Result result = TrainingProgress.Show(maxEpochs, progress => Experiment.Run(split, maxEpochs, seed, progress));
Console.WriteLine();
Console.WriteLine($"epochs: {result.Epochs} (best {result.BestEpoch}, validation loss {result.BestValidationLoss:F4}; " +
    $"{(result.StoppedEarly ? "stopped early" : $"the limit, {maxEpochs}: --epochs raises it")}), {result.Time.TotalSeconds:F1} s");
Console.WriteLine($"validation accuracy: {result.ValidationAccuracy:P2}");
Console.WriteLine($"test accuracy: {result.TestAccuracy:P2} ({Correct(result):N0} of {result.Confusion.Total:N0}), test log loss {result.TestLogLoss:F4}");
Console.WriteLine();
Console.WriteLine($"{"class",-11} {"precision",9} {"recall",7} {"F1",6} {"support",7}");
for (int c = 0; c < Problem.Classes; c++)
    Console.WriteLine($"{FashionMnistData.ClassNames[c],-11} {result.Confusion.Precision(c),9:F4} {result.Confusion.Recall(c),7:F4} {result.Confusion.F1(c),6:F4} {result.Confusion.Support(c),7}");
Console.WriteLine($"{"macro",-11} {"",9} {"",7} {result.Confusion.MacroF1,6:F4}");

string confusion = Path.Combine(folder, "FashionMnist.confusion.png");
string mistakes = Path.Combine(folder, "FashionMnist.misclassified.png");
string weights = Path.Combine(folder, "FashionMnist.safetensors");
Plot.SaveConfusionMatrix(result.Confusion, confusion);
Plot.SaveMisclassified(split.RawTest, result.TestPredictions, mistakes);
SafeTensors.Save(result.Model, weights);
Console.WriteLine();
Console.WriteLine($"plots: {Path.GetFullPath(confusion)}, {Path.GetFullPath(mistakes)}");
Console.WriteLine($"weights: {Path.GetFullPath(weights)} (safetensors, PyTorch's names and shapes: C1.weight [6, 1, 5, 5], …, Output.bias [10])");
return 0;

static long Correct(Result result)
{
    long right = 0;
    for (int c = 0; c < Problem.Classes; c++)
        right += result.Confusion[c, c];
    return right;
}
