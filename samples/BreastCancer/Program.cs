using System;
using System.IO;
using NetGen;
using NetGen.Samples.BreastCancer;

// Problem H on real data: L2-regularised logistic regression on the Wisconsin breast-cancer data, trained to its optimum
// by L-BFGS and by gradient descent. `--out <folder>` moves the weights and the plots (default: out/).
string folder = args.Length == 2 && args[0] == "--out" ? args[1] : "out";

(Dataset training, Dataset test, Standardizer standardizer) = Problem.Load();
Console.WriteLine($"Breast Cancer Wisconsin (Diagnostic): {training.Count + test.Count} rows of {Problem.Features} features, label 1 = benign;");
Console.WriteLine($"test = rows with index % 5 == 4 ({test.Count}), training = the others ({training.Count}), standardised with the training mean and population σ.");
Console.WriteLine($"Model: p = σ(wᵀx + b); L(w, b) = Σ_train BCE + λ‖w‖², λ = {Problem.Lambda}, b not penalised; from w = 0, b = 0 until ‖∇L‖ ≤ {Problem.GradientNormTarget:0e0}.");

Fit lbfgs = Experiment.Warmed(Experiment.TrainWithLbfgs, training, test);
Fit descent = Experiment.Warmed(Experiment.TrainWithGradientDescent, training, test);

Console.WriteLine();
Console.WriteLine($"{"optimiser",-18} {"iterations",10} {"evaluations",11} {"time (ms)",9} {"L",12} {"‖∇L‖",9} {"‖w‖",8} {"b",8} {"train acc.",10} {"test acc.",9} {"test AUC",8}");
foreach (Fit fit in new[] { lbfgs, descent })
{
    Console.WriteLine($"{fit.Optimizer,-18} {fit.Iterations,10} {fit.Evaluations,11} {fit.Time.TotalMilliseconds,9:F2} {fit.Loss,12:F6} {fit.GradientNorm,9:E2} " +
        $"{fit.WeightNorm,8:F5} {fit.Bias,8:F5} {fit.TrainingAccuracy,10:P2} {fit.TestAccuracy,9:P2} {fit.TestRocAuc,8:F4}");
}
Console.WriteLine($"(L-BFGS: lr = 1, history 100, no line search; gradient descent: fixed step η = {Problem.GradientDescentStep}; evaluation = one full-batch");
Console.WriteLine(" forward + backward pass; times: the second of two identical runs, on this machine)");
Console.WriteLine($"largest |L-BFGS − gradient descent| over w and b: {Experiment.MaxDifference(lbfgs, descent):E2}");

string weights = Path.Combine(folder, "BreastCancer.safetensors");
string roc = Path.Combine(folder, "BreastCancer.roc.png");
string loss = Path.Combine(folder, "BreastCancer.loss.png");
Directory.CreateDirectory(folder);
SafeTensors.Save(lbfgs.Model, weights);
Plot.SaveRoc(lbfgs, training, test, roc);
Plot.SaveLoss([lbfgs, descent], loss);
Console.WriteLine();
Console.WriteLine($"weights (L-BFGS): {Path.GetFullPath(weights)}");
Console.WriteLine($"plots: {Path.GetFullPath(roc)}, {Path.GetFullPath(loss)}");
