using System;

namespace NetGen.Samples.VanishingGradients;

/// <summary>How the chain's weights are drawn.</summary>
public enum Initialization
{
    /// <summary>W ~ N(0, 1), as in problem A.</summary>
    StandardNormal,
    /// <summary>Xavier/LeCun: W ~ N(0, 1/n_in).</summary>
    Xavier,
    /// <summary>Glorot: W ~ N(0, 2/(n_in + n_out)).</summary>
    Glorot,
}

/// <summary>What the deep chain's backward pass shows under one initialisation.</summary>
/// <param name="GradientNorms">‖∂L/∂W_i‖ for layers 1 (next to the input) to 11 (the output layer).</param>
/// <param name="MeanSlope">The mean derivative f′ of the hidden units, over units, samples and draws.</param>
public sealed record ChainMeasurement(double[] GradientNorms, double MeanSlope)
{
    /// <summary>The geometric mean of ‖∂L/∂W_(i+1)‖ / ‖∂L/∂W_i‖: how much the gradient shrinks per layer on its way to the input.</summary>
    public double ShrinkPerLayer => Math.Pow(GradientNorms[^1] / GradientNorms[0], 1.0 / (GradientNorms.Length - 1));
}

/// <summary>The scalar chain's input gradient from the generated code next to problem M's product formula.</summary>
public sealed record ScalarChainResult(float[] Weights, float X, float Generated, double Product, double Bound);

/// <summary>Problem M: gradient norms layer by layer under three initialisations, and the scalar chain's product formula.</summary>
public static class Experiment
{
    public static readonly Initialization[] Initializations = [Initialization.StandardNormal, Initialization.Xavier, Initialization.Glorot];

    /// <summary>
    /// ‖∂L/∂W_i‖ (Frobenius) for each layer i = 1..11, and the mean slope f′ of the hidden units the gradient passes through
    /// (σ′ = y(1 − y), tanh′ = 1 − y²), averaged over <see cref="Problem.Draws"/> draws of weights and of a batch
    /// x ~ N(0, I), t ∈ {0, 1}.
    /// </summary>
    public static ChainMeasurement Measure(Initialization initialization, bool tanh = false, ulong seed = 1)
    {
        var sigmoidChain = new DeepSigmoidChain(Problem.Batch);
        var tanhChain = new DeepTanhChain(Problem.Batch);
        INetwork network = tanh ? tanhChain : sigmoidChain;
        var norms = new double[network.ParameterTensors.Count];
        double slope = 0;
        var inputs = new float[Problem.Batch * Problem.Width];
        var targets = new float[Problem.Batch];
        for (int draw = 0; draw < Problem.Draws; draw++)
        {
            ulong drawSeed = seed + (ulong)draw * 1000;
            Initialize(network, initialization, drawSeed);
            var random = new SeededRandom(drawSeed + 1);
            random.FillNormal(inputs);
            for (int n = 0; n < Problem.Batch; n++)
                targets[n] = random.NextInt(2);

            network.Backward(inputs, targets, Problem.Batch);
            for (int layer = 0; layer < norms.Length; layer++)
            {
                ParameterTensor tensor = network.ParameterTensors[layer];
                double sum = 0;
                foreach (float g in network.Gradients.Slice(tensor.Offset, tensor.Length))
                    sum += (double)g * g;
                norms[layer] += Math.Sqrt(sum) / Problem.Draws;
            }
            Node[] hidden = tanh ? Hidden(tanhChain) : Hidden(sigmoidChain);
            slope += MeanSlope(hidden, tanh) / Problem.Draws;
        }
        return new ChainMeasurement(norms, slope);
    }

    private static Node[] Hidden(DeepSigmoidChain c) => [c.A1, c.A2, c.A3, c.A4, c.A5, c.A6, c.A7, c.A8, c.A9, c.A10];

    private static Node[] Hidden(DeepTanhChain c) => [c.A1, c.A2, c.A3, c.A4, c.A5, c.A6, c.A7, c.A8, c.A9, c.A10];

    private static double MeanSlope(Node[] hidden, bool tanh)
    {
        double sum = 0;
        int count = 0;
        foreach (Node node in hidden)
        {
            foreach (float y in node.Values)
                sum += tanh ? 1 - (double)y * y : y * (1 - (double)y);
            count += node.Values.Length;
        }
        return sum / count;
    }

    public static void Initialize(INetwork network, Initialization initialization, ulong seed)
    {
        switch (initialization)
        {
            case Initialization.StandardNormal:
                Initializers.NormalWeightsConstantBias(network, seed, weightStd: 1f, bias: 0f);
                break;
            case Initialization.Xavier:
                Initializers.XavierNormal(network, seed);
                break;
            default:
                Initializers.GlorotNormal(network, seed);
                break;
        }
    }

    /// <summary>
    /// The scalar chain with the given weights at input x: ∂y/∂x from the generated backward pass (target t = y − 1 makes
    /// ∂L/∂y = 1), the product Π w_i σ′(w_i a_(i−1)), and the bound Π |w_i| / 4.
    /// </summary>
    public static ScalarChainResult ScalarChain(float[] weights, float x)
    {
        var chain = new ScalarSigmoidChain();
        if (weights.Length != ScalarSigmoidChain.ParameterCount)
            throw new ArgumentException($"The chain has {ScalarSigmoidChain.ParameterCount} weights.", nameof(weights));
        weights.CopyTo(chain.Parameters);
        Span<float> y = stackalloc float[1];
        chain.Forward([x], y);
        Span<float> dx = stackalloc float[1];
        chain.Backward([x], [y[0] - 1f], 1, dx);

        double a = x, product = 1, bound = 1;
        foreach (float w in weights)
        {
            double next = 1 / (1 + Math.Exp(-w * a));
            product *= w * next * (1 - next); // w_i·σ′(w_i·a_(i−1)), σ′ = σ(1 − σ)
            bound *= Math.Abs(w) / 4;
            a = next;
        }
        return new ScalarChainResult(weights, x, dx[0], product, bound);
    }
}
