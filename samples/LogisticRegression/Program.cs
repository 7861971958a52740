using System;
using NetGen.Samples.LogisticRegression;

// Problems H, I and L: logistic regression with an L2 term, the bipolar-sigmoid regression, and a logistic neuron's gradients.
Console.WriteLine($"Data: x ~ N(0, I) in R^{Problem.Features}, labels from a fixed direction with {Problem.FlipProbability:P0} flipped;");
Console.WriteLine($"      {Problem.TrainingCount} training and {Problem.TestCount} test samples; gradient descent, η = {Problem.LearningRate}, {Problem.Steps} full-batch steps.");

Console.WriteLine();
Console.WriteLine("Problem H: f(x; w) = σ(wᵀx), L(w) = Σ BCE + ‖w‖²,  ∇L = Σ (f(xᵢ; w) − yᵢ)·xᵢ + 2w");
(Fit withL2, Fit withoutL2) = Experiment.Regularization();
PrintGradients("∇L at the starting w", withL2);
Console.WriteLine();
Console.WriteLine($"{"",-18} {"‖w‖",8} {"loss",9} {"train acc.",11} {"test acc.",10}");
Console.WriteLine($"{"with ‖w‖² term",-18} {withL2.WeightNorm,8:F3} {withL2.TrainingLoss,9:F4} {withL2.TrainingAccuracy,11:P1} {withL2.TestAccuracy,10:P1}");
Console.WriteLine($"{"without it",-18} {withoutL2.WeightNorm,8:F3} {withoutL2.TrainingLoss,9:F4} {withoutL2.TrainingAccuracy,11:P1} {withoutL2.TestAccuracy,10:P1}");
Console.WriteLine("(the loss column of the first row includes ‖w‖²)");

Console.WriteLine();
Console.WriteLine("Problem I: f(x; w) = (1 − e^(−wᵀx))/(1 + e^(−wᵀx)), y ∈ {−1, 1}, L = ½ Σ (f − yᵢ)²,  ∇L = Σ (fᵢ − yᵢ)·½(1 − fᵢ²)·xᵢ");
Fit bipolar = Experiment.Bipolar();
PrintGradients("∇L at the starting w", bipolar);
Console.WriteLine($"trained: ‖w‖ = {bipolar.WeightNorm:F3}, L = {bipolar.TrainingLoss:F4}, training accuracy {bipolar.TrainingAccuracy:P1}, test accuracy {bipolar.TestAccuracy:P1}");

Console.WriteLine();
Console.WriteLine("Problem L: ŷ = σ(w₁x₁ + w₂x₂ + p₀), L = (ŷ − y)², x = (1, 1), w = (4/5, −7/5), p₀ = 3/5, y = 1");
NeuronGradients neuron = Experiment.Neuron();
Console.WriteLine($"z = {neuron.Z:G6}   ŷ = {neuron.Prediction:G6}   L = {neuron.Loss:G6}   (exact: 0, 1/2, 1/4)");
Console.WriteLine($"∂L/∂w₁ = {neuron.DLossDW1:G6}   ∂L/∂w₂ = {neuron.DLossDW2:G6}   ∂L/∂p₀ = {neuron.DLossDP0:G6}   (exact: −1/4 each)");
Console.WriteLine($"∂L/∂x₁ = {neuron.DLossDX1:G6}   ∂L/∂x₂ = {neuron.DLossDX2:G6}   (exact: −1/5, 7/20)");

static void PrintGradients(string title, Fit fit)
{
    Console.WriteLine($"{title}:  k   generated (NetGen)   closed form");
    for (int k = 0; k < fit.StartGradient.Length; k++)
        Console.WriteLine($"{"",-22}{k,2}   {fit.StartGradient[k],18:F6}   {fit.StartClosedForm[k],11:F6}");
    Console.WriteLine($"{"",-22}largest |difference| = {ClosedForms.MaxDifference(fit.StartGradient, fit.StartClosedForm):E2}");
}
