using System;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, step for step as
/// PyTorch's <c>torch.optim.SGD</c> (dampening 0):
/// <code>
/// g ← ∂L/∂θ + λ·θ                           (weight decay λ, added to the gradient)
/// b ← μ·b + g                               (momentum μ; b starts at 0, so the first b is g)
/// θ ← θ − η·(Nesterov ? g + μ·b : b)        (μ = 0: θ ← θ − η·g)
/// </code>
/// </summary>
/// <remarks>
/// The momentum buffer is allocated by the first <see cref="Step"/> and belongs to that network from then on
/// (plain SGD keeps no state and works with any network); every step after the first allocates nothing.
/// </remarks>
public sealed class Sgd : IOptimizer, ISlicedOptimizer
{
    private readonly OptimizerBinding _binding = new(nameof(Sgd));
    private float _learningRate;
    private float[] _velocity = [];
    private float[] _scratch = [];

    /// <summary>Creates the optimiser.</summary>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 is plain SGD.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ ≥ 0, added to the gradient as λ·θ (L2 regularisation of every parameter, biases included, as in PyTorch).</param>
    public Sgd(float learningRate, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
    {
        LearningRate = learningRate;
        Momentum = OptimizerArguments.InUnitInterval(momentum, nameof(momentum));
        WeightDecay = OptimizerArguments.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0f)
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        Nesterov = nesterov;
    }

    /// <summary>η; may be changed between steps (a learning-rate schedule).</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerArguments.LearningRate(value);
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the step uses Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

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
        ArgumentNullException.ThrowIfNull(network);
        // Plain SGD keeps no state, so only momentum ties the optimiser to one network.
        if (Momentum != 0f && _binding.Bind(network))
            _velocity = new float[network.ParameterCount];
        if ((WeightDecay != 0f || Nesterov) && _scratch.Length < network.ParameterCount)
            _scratch = new float[network.ParameterCount];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void StepSlice(INetwork network, int start, int length)
    {
        Span<float> parameters = network.Parameters.Slice(start, length);
        ReadOnlySpan<float> direction = network.Gradients.Slice(start, length);
        if (WeightDecay != 0f || Momentum != 0f)
            direction = Direction(parameters, direction, start, length);
        NetGen.Kernels.SpanLoops.MultiplyAddInPlace(direction, -LearningRate, parameters); // θ = θ − η·direction
    }

    /// <summary>
    /// The step's direction with weight decay and momentum: out of <see cref="StepSlice"/>, so that plain SGD, the most
    /// common case, does not have the JIT compile these updates (inlined there, they took five sixths of its compilation).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining | System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<float> Direction(Span<float> parameters, ReadOnlySpan<float> gradient, int start, int length)
    {
        Span<float> scratch = (WeightDecay != 0f || Nesterov) ? _scratch.AsSpan(start, length) : default;
        if (WeightDecay != 0f)
        {
            TensorPrimitives.MultiplyAdd(parameters, WeightDecay, gradient, scratch); // g = ∂L/∂θ + λθ
            gradient = scratch;
        }
        ReadOnlySpan<float> direction = gradient;
        if (Momentum != 0f)
        {
            Span<float> velocity = _velocity.AsSpan(start, length);
            TensorPrimitives.MultiplyAdd(velocity, Momentum, gradient, velocity); // b = μb + g
            direction = velocity;
            if (Nesterov)
            {
                // g + μb; g may already live in scratch: each element is read before it is overwritten.
                TensorPrimitives.MultiplyAdd(velocity, Momentum, gradient, scratch);
                direction = scratch;
            }
        }
        return direction;
    }

    /// <summary>Forgets the momentum and the network: the next <see cref="Step"/> starts afresh.</summary>
    public void Reset()
    {
        _binding.Reset();
        _velocity = [];
        _scratch = [];
    }
}
