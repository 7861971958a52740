using System;

namespace NetGen;

/// <summary>
/// Samples for training or evaluation: inputs row-major [Count, InputSize], targets [Count, TargetSize]. For class
/// labels (one class index per sample) in place of target rows, see <see cref="LabelDataset"/>.
/// </summary>
public sealed class Dataset : ISampleSet
{
    /// <summary>Wraps the arrays (no copy), after checking that they hold at least one sample and only finite numbers.</summary>
    /// <remarks>
    /// Values changed in the arrays later are not checked again here; a NaN or an infinity that reaches training makes
    /// the <see cref="Trainer"/> stop with a <see cref="TrainingDivergedException"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The arrays are empty, do not form whole samples, or hold a NaN or an infinity (the message names its index).</exception>
    public Dataset(float[] inputs, float[] targets, int inputSize, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSize, 1);
        int count = CountSamples(inputs, inputSize);
        if (targets.Length != count * targetSize)
            throw new ArgumentException($"{count} samples need {count} × {targetSize} target values; {targets.Length} were given.", nameof(targets));
        CheckFinite(inputs, inputSize, nameof(inputs));
        CheckFinite(targets, targetSize, nameof(targets));
        Inputs = inputs;
        Targets = targets;
        InputSize = inputSize;
        TargetSize = targetSize;
        Count = count;
    }

    /// <summary>Inputs, row-major [Count, InputSize].</summary>
    public float[] Inputs { get; }

    /// <summary>Targets, row-major [Count, TargetSize].</summary>
    public float[] Targets { get; }

    /// <summary>Values per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Values per target sample.</summary>
    public int TargetSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>The inputs of samples [start, start + count).</summary>
    public ReadOnlySpan<float> InputRows(int start, int count) => Inputs.AsSpan(start * InputSize, count * InputSize);

    /// <summary>The targets of samples [start, start + count).</summary>
    public ReadOnlySpan<float> TargetRows(int start, int count) => Targets.AsSpan(start * TargetSize, count * TargetSize);

    /// <summary>The number of whole samples of <paramref name="inputSize"/> values; at least one.</summary>
    internal static int CountSamples(float[] inputs, int inputSize)
    {
        if (inputs.Length % inputSize != 0)
            throw new ArgumentException($"{inputs.Length} input values are not a whole number of samples of {inputSize}.", nameof(inputs));
        if (inputs.Length == 0)
            throw new ArgumentException("A data set needs at least one sample; 'inputs' is empty (a loss over no samples would read as a perfect 0).", nameof(inputs));
        return inputs.Length / inputSize;
    }

    internal static void CheckFinite(float[] values, int size, string name)
    {
        int index = Finite.IndexOfNonFinite(values);
        if (index >= 0)
            throw new ArgumentException(
                $"{name}[{index}] is {Finite.Describe(values[index])} (sample {index / size}, value {index % size}): a data set must hold finite numbers only. " +
                "Drop or impute that sample before training.", name);
    }

    /// <summary>
    /// The sizes against the network's, and the targets against its loss (BCE: in [0, 1]; softmax cross-entropy: rows
    /// that are distributions), as Backward checks a batch's: a set the loss cannot take is refused before training.
    /// </summary>
    internal void CheckFits(INetwork network, string name)
    {
        if (InputSize != network.InputSize || TargetSize != network.OutputSize)
            throw new ArgumentException(
                $"The {name} set has samples of {InputSize} → {TargetSize} values; the network maps {network.InputSize} → {network.OutputSize}.", name);
        if (network.DescribeInvalidTargets(Targets, "targets") is string problem)
            throw new ArgumentException($"The {name} set's {problem} Correct or drop that sample.", name);
    }

    void ISampleSet.CheckFits(INetwork network, string name) => CheckFits(network, name);

    float ISampleSet.ComputeLoss(INetwork network, int start, int count) =>
        network.ComputeLoss(InputRows(start, count), TargetRows(start, count), count);

    float ISampleSet.Backward(INetwork network, int start, int count) =>
        network.Backward(InputRows(start, count), TargetRows(start, count), count);

    float ISampleSet.Backward(INetwork network, ReadOnlySpan<int> samples, BatchBuffers buffers)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            InputRows(samples[i], 1).CopyTo(buffers.Inputs.AsSpan(i * InputSize));
            TargetRows(samples[i], 1).CopyTo(buffers.Targets.AsSpan(i * TargetSize));
        }
        return network.Backward(buffers.Inputs.AsSpan(0, samples.Length * InputSize), buffers.Targets.AsSpan(0, samples.Length * TargetSize), samples.Length);
    }
}
