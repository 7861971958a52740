using System;

namespace NetGen.Samples.ResidualNetwork;

/// <summary>The generated gradients of one sample next to problem K's closed forms.</summary>
public sealed record GradientComparison(float[] Input, float Target, float[] GeneratedDLossDH, double[] ClosedFormDLossDH, float[] GeneratedDLossDW1, double[] ClosedFormDLossDW1);

/// <summary>What one run of problem K produced.</summary>
public sealed record ExperimentResult(
    float LossBefore, float LossAfter, double AccuracyBefore, double TrainingAccuracy, double TestAccuracy, GradientComparison Gradients);

/// <summary>Problem K end to end: train on the two-class data by gradient descent, then compare gradients for one sample.</summary>
public static class Experiment
{
    public static ExperimentResult Run(ulong seed = 1, int epochs = Problem.Epochs)
    {
        var random = new SeededRandom(seed);
        Dataset training = Problem.MakeData(Problem.TrainingCount, random);
        Dataset test = Problem.MakeData(Problem.TestCount, random);

        var network = new ResidualNetwork(maxBatchSize: Problem.TestCount);
        Initializers.XavierNormal(network, seed + 1);
        float lossBefore = Trainer.Evaluate(network, training);
        double accuracyBefore = Accuracy(network, training);

        // Full-batch gradient descent on L = ½ Σ (g − y)².
        var trainer = new Trainer(network, new Sgd(Problem.LearningRate), new TrainerOptions { BatchSize = Problem.TrainingCount });
        trainer.Train(training, epochs);

        return new ExperimentResult(lossBefore, trainer.Evaluate(training), accuracyBefore,
            Accuracy(network, training), Accuracy(network, test), CompareGradients(network, test, sample: 0));
    }

    /// <summary>Backward on one sample: ∂L/∂W1 is the S layer's weight gradient; ∂L/∂h is the head's input gradient at the same h and w2.</summary>
    public static GradientComparison CompareGradients(ResidualNetwork network, Dataset data, int sample)
    {
        float[] x = data.InputRows(sample, 1).ToArray();
        float y = data.Targets[sample];
        network.Backward(x, [y], 1);
        float[] dw1 = network.SWeightGradients.ToArray();

        var head = new ResidualHead();
        network.GWeights.CopyTo(head.GWeights);
        var dh = new float[Problem.D];
        head.Backward(network.H[0], [y], 1, dh);

        (double[] closedDh, double[] closedDw1) = ClosedForms.Gradients(network.ZWeights, network.SWeights, network.GWeights, x, y);
        return new GradientComparison(x, y, dh, closedDh, dw1, closedDw1);
    }

    /// <summary>The fraction of samples with g &gt; ½ exactly when y = 1.</summary>
    public static double Accuracy(INetwork network, Dataset data)
    {
        var outputs = new float[data.Count];
        network.Forward(data.Inputs, outputs, data.Count);
        int correct = 0;
        for (int n = 0; n < data.Count; n++)
            if (outputs[n] > 0.5f == data.Targets[n] > 0.5f)
                correct++;
        return (double)correct / data.Count;
    }

    /// <summary>The largest |generated − closed form|.</summary>
    public static double MaxDifference(ReadOnlySpan<float> generated, double[] closedForm)
    {
        double worst = 0;
        for (int i = 0; i < closedForm.Length; i++)
            worst = Math.Max(worst, Math.Abs(generated[i] - closedForm[i]));
        return worst;
    }
}
