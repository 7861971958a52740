using System;

namespace NetGen;

/// <summary>
/// Samples whose targets are class labels: inputs row-major [Count, InputSize] and one class index in
/// [0, ClassCount) per sample, for a network trained on labels (an <see cref="ILabelNetwork"/>: softmax cross-entropy).
/// The <see cref="Trainer"/> trains on it with BackwardOnLabels, without one-hot rows.
/// </summary>
public sealed class LabelDataset : ISampleSet
{
    /// <summary>Wraps the arrays (no copy), after checking that they hold at least one sample, finite inputs and labels in [0, <paramref name="classCount"/>).</summary>
    /// <exception cref="ArgumentException">The arrays are empty, do not form whole samples, or hold a NaN, an infinity or a label out of range (the message names its index).</exception>
    public LabelDataset(float[] inputs, int[] labels, int inputSize, int classCount)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        Count = Dataset.CountSamples(inputs, inputSize);
        if (labels.Length != Count)
            throw new ArgumentException($"{Count} samples need {Count} labels, one each; {labels.Length} were given.", nameof(labels));
        Dataset.CheckFinite(inputs, inputSize, nameof(inputs));
        if (TargetChecks.LabelProblem(labels, classCount, nameof(labels)) is string problem)
            throw new ArgumentException(problem, nameof(labels));
        Inputs = inputs;
        Labels = labels;
        InputSize = inputSize;
        ClassCount = classCount;
    }

    /// <summary>Inputs, row-major [Count, InputSize].</summary>
    public float[] Inputs { get; }

    /// <summary>One class index per sample, in [0, ClassCount).</summary>
    public int[] Labels { get; }

    /// <summary>Values per input sample.</summary>
    public int InputSize { get; }

    /// <summary>The number of classes: the network's OutputSize.</summary>
    public int ClassCount { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>The inputs of samples [start, start + count).</summary>
    public ReadOnlySpan<float> InputRows(int start, int count) => Inputs.AsSpan(start * InputSize, count * InputSize);

    /// <summary>The labels of samples [start, start + count).</summary>
    public ReadOnlySpan<int> LabelRows(int start, int count) => Labels.AsSpan(start, count);

    void ISampleSet.CheckFits(INetwork network, string name)
    {
        if (network is not ILabelNetwork)
            throw new ArgumentException(
                $"The {name} set holds class labels, but this network's loss does not take them (only Loss.SoftmaxCrossEntropy does): " +
                "give it a Dataset of target rows.", name);
        if (InputSize != network.InputSize || ClassCount != network.OutputSize)
            throw new ArgumentException(
                $"The {name} set has samples of {InputSize} values and {ClassCount} classes; the network maps {network.InputSize} values to {network.OutputSize} classes.", name);
    }

    float ISampleSet.ComputeLoss(INetwork network, int start, int count) =>
        ((ILabelNetwork)network).ComputeLossOnLabels(InputRows(start, count), LabelRows(start, count), count);

    float ISampleSet.Backward(INetwork network, int start, int count) =>
        ((ILabelNetwork)network).BackwardOnLabels(InputRows(start, count), LabelRows(start, count), count);

    float ISampleSet.Backward(INetwork network, ReadOnlySpan<int> samples, BatchBuffers buffers)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            InputRows(samples[i], 1).CopyTo(buffers.Inputs.AsSpan(i * InputSize));
            buffers.Labels[i] = Labels[samples[i]];
        }
        return ((ILabelNetwork)network).BackwardOnLabels(buffers.Inputs.AsSpan(0, samples.Length * InputSize), buffers.Labels.AsSpan(0, samples.Length), samples.Length);
    }
}
