using System;
using System.Collections.Generic;

namespace NetGen.Runtime.Tests;

/// <summary>
/// A stand-in network that is only a parameter vector with a gradient the test sets by hand: optimiser tests
/// then follow update rules on exact numbers, without a loss in between.
/// </summary>
public sealed class ParameterVector(params float[] parameters) : INetwork
{
    private readonly float[] _parameters = parameters;
    private readonly float[] _gradients = new float[parameters.Length];
    private readonly ParameterTensor[] _tensors = [new("theta.weight", "theta", ParameterKind.Weight, 0, new TensorShape(1, parameters.Length))];

    public int InputSize => 1;
    public int OutputSize => 1;
    public int ParameterCount => _parameters.Length;
    public int MaxBatchSize => 1;
    public LossReduction LossReduction => LossReduction.Mean;
    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;
    public IReadOnlyList<ParameterTensor> ParameterTensors => _tensors;

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize) => throw new NotSupportedException();
    public float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize) => throw new NotSupportedException();
    public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Span<float> inputGradients = default) =>
        throw new NotSupportedException();
}
