using System;

namespace NetGen.Samples.LogisticRegression;

/// <summary>One model trained by gradient descent, and its gradient at the start compared with the closed form.</summary>
/// <param name="StartGradient">∂L/∂w at the starting weights, from the generated backward pass.</param>
/// <param name="StartClosedForm">The problem's closed-form gradient at the same weights.</param>
public sealed record Fit(
    float[] Weights,
    double WeightNorm,
    float TrainingLoss,
    double TrainingAccuracy,
    double TestAccuracy,
    float[] StartGradient,
    double[] StartClosedForm);

/// <summary>Problem L's numbers: the forward values and every gradient of the logistic neuron.</summary>
public sealed record NeuronGradients(float Z, float Prediction, float Loss, float DLossDW1, float DLossDW2, float DLossDP0, float DLossDX1, float DLossDX2);

/// <summary>A closed-form gradient ∇L(w) over a data set.</summary>
public delegate double[] GradientFormula(ReadOnlySpan<float> w, Dataset data);

/// <summary>Problems H, I and L end to end.</summary>
public static class Experiment
{
    /// <summary>Problem H: the L2-regularised logistic regression and the same model without the L2 term.</summary>
    public static (Fit WithL2, Fit WithoutL2) Regularization(ulong seed = 1, int steps = Problem.Steps)
    {
        (Dataset training, Dataset test) = Problem.MakeData(seed);
        Fit withL2 = Train(new RegularizedLogisticRegression(Problem.TestCount), training, test, seed, steps, threshold: 0.5f, ClosedForms.LogisticGradient);
        Fit withoutL2 = Train(new PlainLogisticRegression(Problem.TestCount), training, test, seed, steps, threshold: 0.5f,
            (w, data) => WithoutL2Term(ClosedForms.LogisticGradient(w, data), w));
        return (withL2, withoutL2);
    }

    /// <summary>Problem I: the bipolar-sigmoid regression on the same samples with labels in {−1, 1}.</summary>
    public static Fit Bipolar(ulong seed = 1, int steps = Problem.Steps)
    {
        (Dataset training, Dataset test) = Problem.MakeData(seed);
        return Train(new BipolarSigmoidRegression(Problem.TestCount), Problem.ToBipolar(training), Problem.ToBipolar(test), seed, steps,
            threshold: 0f, ClosedForms.BipolarGradient);
    }

    /// <summary>Problem L: x = (1, 1), w = (4/5, −7/5), p₀ = 3/5, y = 1.</summary>
    public static NeuronGradients Neuron()
    {
        var neuron = new LogisticNeuron();
        neuron.YWeights[0] = 4f / 5f;
        neuron.YWeights[1] = -7f / 5f;
        neuron.YBias[0] = 3f / 5f;
        Span<float> dx = stackalloc float[2];
        float loss = neuron.Backward([1f, 1f], [1f], 1, dx);
        float prediction = neuron.Y[0, 0];
        float z = MathF.Log(prediction / (1 - prediction));
        return new NeuronGradients(z, prediction, loss,
            neuron.YWeightGradients[0], neuron.YWeightGradients[1], neuron.YBiasGradients[0], dx[0], dx[1]);
    }

    private static Fit Train(INetwork network, Dataset training, Dataset test, ulong seed, int steps, float threshold,
        GradientFormula closedForm)
    {
        // Start from small random weights, so that the comparison with the closed form exercises every term.
        new SeededRandom(seed + 1).FillNormal(network.Parameters, 0, 0.5);
        float[] start = network.Parameters.ToArray();
        network.Backward(training.Inputs, training.Targets, training.Count);
        float[] startGradient = network.Gradients.ToArray();

        // Gradient descent: every step is one backward pass over the whole training set, then w ← w − η·∇L.
        var trainer = new Trainer(network, new Sgd(Problem.LearningRate), new TrainerOptions { BatchSize = training.Count });
        trainer.Train(training, steps);

        float[] weights = network.Parameters.ToArray();
        double norm = 0;
        foreach (float w in weights)
            norm += (double)w * w;
        return new Fit(weights, Math.Sqrt(norm), trainer.Evaluate(training),
            Accuracy(network, training, threshold), Accuracy(network, test, threshold), startGradient, closedForm(start, training));
    }

    /// <summary>The fraction of samples on the right side of the threshold.</summary>
    public static double Accuracy(INetwork network, Dataset data, float threshold)
    {
        var outputs = new float[data.Count];
        network.Forward(data.Inputs, outputs, data.Count);
        int correct = 0;
        for (int n = 0; n < data.Count; n++)
            if (outputs[n] > threshold == data.Targets[n] > threshold)
                correct++;
        return (double)correct / data.Count;
    }

    private static double[] WithoutL2Term(double[] gradient, ReadOnlySpan<float> w)
    {
        for (int k = 0; k < w.Length; k++)
            gradient[k] -= 2 * w[k];
        return gradient;
    }
}
