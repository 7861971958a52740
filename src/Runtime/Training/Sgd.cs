using System;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>Plain stochastic gradient descent: θ ← θ − η·∂L/∂θ.</summary>
public sealed class Sgd : IOptimizer
{
    /// <summary>Creates the optimiser with learning rate η.</summary>
    public Sgd(float learningRate)
    {
        if (!(learningRate > 0) || float.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive, finite number.");
        LearningRate = learningRate;
    }

    /// <summary>η.</summary>
    public float LearningRate { get; }

    /// <inheritdoc />
    public void Step(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Span<float> parameters = network.Parameters;
        TensorPrimitives.MultiplyAdd(network.Gradients, -LearningRate, parameters, parameters);
    }
}
