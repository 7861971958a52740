using System;
using System.IO;
using NetGen.Samples.Digits;

// A softmax MLP on the 8 × 8 handwritten digits. `--out <folder>` moves the two pictures (default: out/).
string folder = args.Length == 2 && args[0] == "--out" ? args[1] : "out";

Split split = Problem.Load();
Console.WriteLine($"Optical Recognition of Handwritten Digits: {split.Learning.Count + split.Validation.Count + split.Test.Count} images of 8 × 8 pixels (0–16), digits 0–9;");
Console.WriteLine($"test = rows with index % 5 == 4 ({split.Test.Count}); of the others, index % 10 == 3 is validation ({split.Validation.Count}), the rest is learned from ({split.Learning.Count}).");
Console.WriteLine($"Pixels standardised with the learning rows' mean and population σ ({split.Standardizer.ConstantColumnIndices.Length} pixels are 0 in all of them: centred only).");
Console.WriteLine($"Model: {Problem.Pixels} → {Problem.Hidden} ReLU → {Problem.Classes} softmax, mean cross-entropy; He-normal weights (seed {Problem.Seed}), Adam η = {Problem.LearningRate},");
Console.WriteLine($"shuffled batches of {Problem.BatchSize}, early stopping after {Problem.Patience} epochs without a lower validation loss (best epoch restored).");

Result result = Experiment.Run(split);
Console.WriteLine();
Console.WriteLine($"epochs: {result.Epochs} (best {result.BestEpoch}, validation loss {result.BestValidationLoss:F4}), {result.Time.TotalMilliseconds:F0} ms");
Console.WriteLine($"validation accuracy: {result.ValidationAccuracy:P2}");
Console.WriteLine($"test accuracy: {result.TestAccuracy:P2} ({result.Confusion.Total - Misclassified(result)} of {result.Confusion.Total}), test log loss {result.TestLogLoss:F4}");
Console.WriteLine();
Console.WriteLine($"{"digit",5} {"precision",9} {"recall",7} {"F1",6} {"support",7}");
for (int c = 0; c < Problem.Classes; c++)
{
    int label = split.Encoder.LabelAt(c);
    Console.WriteLine($"{label,5} {result.Confusion.Precision(c),9:F4} {result.Confusion.Recall(c),7:F4} {result.Confusion.F1(c),6:F4} {result.Confusion.Support(c),7}");
}
Console.WriteLine($"{"macro",5} {"",9} {"",7} {result.Confusion.MacroF1,6:F4}");

string confusion = Path.Combine(folder, "Digits.confusion.png");
string mistakes = Path.Combine(folder, "Digits.misclassified.png");
Plot.SaveConfusionMatrix(result.Confusion, confusion);
Plot.SaveMisclassified(split, result, mistakes);
Console.WriteLine();
Console.WriteLine($"plots: {Path.GetFullPath(confusion)}, {Path.GetFullPath(mistakes)}");

static long Misclassified(Result result)
{
    long wrong = 0;
    for (int i = 0; i < Problem.Classes; i++)
        for (int j = 0; j < Problem.Classes; j++)
            if (i != j)
                wrong += result.Confusion[i, j];
    return wrong;
}
