using System;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// What <see cref="Adam"/> and <see cref="AdamW"/> share: the hyper-parameters, the moment buffers and the update,
/// in the order of operations of PyTorch's single-tensor implementation:
/// <code>
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
/// <remarks>The buffers are allocated by the first <see cref="Step"/> and belong to that network from then on; later steps allocate nothing.</remarks>
public abstract class AdaptiveMomentOptimizer : IOptimizer, ISlicedOptimizer
{
    private readonly OptimizerBinding _binding;
    private float _learningRate;
    private float[] _m = [];
    private float[] _v = [];
    private AdamCoefficients _coefficients;   // the latest step's, for its slices

    private protected AdaptiveMomentOptimizer(string name, float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
    {
        _binding = new OptimizerBinding(name);
        LearningRate = learningRate;
        Beta1 = OptimizerArguments.InUnitInterval(beta1, nameof(beta1));
        Beta2 = OptimizerArguments.InUnitInterval(beta2, nameof(beta2));
        Epsilon = OptimizerArguments.Positive(epsilon, nameof(epsilon));
        WeightDecay = OptimizerArguments.NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>η; may be changed between steps (a learning-rate schedule).</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerArguments.LearningRate(value);
    }

    /// <summary>β₁, the decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>β₂, the decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; }

    /// <summary>λ, the weight decay (how it is applied is what tells <see cref="Adam"/> and <see cref="AdamW"/> apart).</summary>
    public float WeightDecay { get; }

    /// <summary>Steps taken: t of the latest step.</summary>
    public long Steps { get; private set; }

    /// <summary>Whether λ shrinks θ directly (AdamW) rather than being added to the gradient (Adam).</summary>
    private protected abstract bool DecoupledDecay { get; }

    /// <inheritdoc />
    public void Step(INetwork network)
    {
        BeginStep(network);
        StepSlice(network, 0, network.ParameterCount);
    }

    void ISlicedOptimizer.BeginStep(INetwork network) => BeginStep(network);

    void ISlicedOptimizer.StepSlice(INetwork network, int start, int length) => StepSlice(network, start, length);

    private void BeginStep(INetwork network)
    {
        if (_binding.Bind(network))
        {
            _m = new float[network.ParameterCount];
            _v = new float[network.ParameterCount];
        }
        Steps++;
        // Bias corrections in double, as PyTorch computes them in Python floats.
        double biasCorrection1 = 1 - Math.Pow(Beta1, Steps);
        double biasCorrection2 = 1 - Math.Pow(Beta2, Steps);
        _coefficients = new AdamCoefficients(Beta1, Beta2, (float)Math.Sqrt(biasCorrection2), Epsilon,
            StepScale: (float)(-LearningRate / biasCorrection1),
            L2: DecoupledDecay ? 0f : WeightDecay,
            Shrink: DecoupledDecay && WeightDecay != 0f ? 1f - LearningRate * WeightDecay : 1f);
    }

    private void StepSlice(INetwork network, int start, int length) =>
        AdamUpdate.Apply(network.Parameters.Slice(start, length), network.Gradients.Slice(start, length),
            _m.AsSpan(start, length), _v.AsSpan(start, length), _coefficients);

    /// <summary>Forgets the moments, the step count and the network: the next <see cref="Step"/> starts afresh.</summary>
    public void Reset()
    {
        _binding.Reset();
        Steps = 0;
        _m = _v = [];
    }
}
