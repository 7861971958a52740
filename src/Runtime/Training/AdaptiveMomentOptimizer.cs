using System;
using System.Numerics.Tensors;

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
public abstract class AdaptiveMomentOptimizer : IOptimizer
{
    private readonly OptimizerBinding _binding;
    private float _learningRate;
    private float[] _m = [];
    private float[] _v = [];
    private float[] _gradient = [];
    private float[] _denominator = [];

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
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Step(INetwork network)
    {
        if (_binding.Bind(network))
        {
            int n = network.ParameterCount;
            _m = new float[n];
            _v = new float[n];
            _gradient = new float[n];
            _denominator = new float[n];
        }
        Span<float> parameters = network.Parameters;
        ReadOnlySpan<float> gradient = network.Gradients;
        if (WeightDecay != 0f && DecoupledDecay)
        {
            TensorPrimitives.Multiply(parameters, 1f - LearningRate * WeightDecay, parameters);   // θ = θ(1 − ηλ)
        }
        else if (WeightDecay != 0f)
        {
            TensorPrimitives.MultiplyAdd(parameters, WeightDecay, gradient, _gradient);          // g = ∂L/∂θ + λθ
            gradient = _gradient;
        }
        Steps++;

        TensorPrimitives.Multiply(_m, Beta1, _m);
        TensorPrimitives.MultiplyAdd(gradient, 1f - Beta1, _m, _m);                              // m = β₁m + (1 − β₁)g
        TensorPrimitives.Multiply(_v, Beta2, _v);
        TensorPrimitives.Multiply(gradient, gradient, _denominator);
        TensorPrimitives.MultiplyAdd(_denominator, 1f - Beta2, _v, _v);                          // v = β₂v + (1 − β₂)g²

        // Bias corrections in double, as PyTorch computes them in Python floats.
        double biasCorrection1 = 1 - Math.Pow(Beta1, Steps);
        double biasCorrection2 = 1 - Math.Pow(Beta2, Steps);
        TensorPrimitives.Sqrt(_v, _denominator);
        TensorPrimitives.Divide(_denominator, (float)Math.Sqrt(biasCorrection2), _denominator);
        TensorPrimitives.Add(_denominator, Epsilon, _denominator);                               // d = √v / √(1 − β₂ᵗ) + ε
        TensorPrimitives.Divide(_m, _denominator, _denominator);
        TensorPrimitives.MultiplyAdd(_denominator, (float)(-LearningRate / biasCorrection1), parameters, parameters); // θ = θ − η/(1 − β₁ᵗ)·m/d
    }

    /// <summary>Forgets the moments, the step count and the network: the next <see cref="Step"/> starts afresh.</summary>
    public void Reset()
    {
        _binding.Reset();
        Steps = 0;
        _m = _v = _gradient = _denominator = [];
    }
}
