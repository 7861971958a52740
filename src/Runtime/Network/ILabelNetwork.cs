using System;

namespace NetGen;

/// <summary>
/// A network whose loss also takes class labels (one class index per sample) in place of one-hot target rows: every
/// generated network with <see cref="Loss.SoftmaxCrossEntropy"/>. The methods have names of their own, not overloads of
/// <see cref="INetwork.Backward"/> and <see cref="INetwork.ComputeLoss"/>, so that a one-hot row written as a literal
/// (<c>[0, 0, 1]</c>) can never bind to them as three labels.
/// </summary>
public interface ILabelNetwork : INetwork
{
    /// <summary>The loss of a batch whose targets are class labels in [0, <see cref="INetwork.OutputSize"/>), one per sample.</summary>
    float ComputeLossOnLabels(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize);

    /// <summary>
    /// Forward and backward pass over a batch whose targets are class labels in [0, <see cref="INetwork.OutputSize"/>),
    /// one per sample: the same as <see cref="INetwork.Backward"/> with each label's one-hot row, without the rows.
    /// </summary>
    float BackwardOnLabels(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Span<float> inputGradients = default);
}
