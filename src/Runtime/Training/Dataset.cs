using System;

namespace NetGen;

/// <summary>Samples for training or evaluation: inputs row-major [Count, InputSize], targets [Count, TargetSize].</summary>
public sealed class Dataset
{
    /// <summary>Wraps the arrays (no copy).</summary>
    public Dataset(float[] inputs, float[] targets, int inputSize, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSize, 1);
        if (inputs.Length % inputSize != 0)
            throw new ArgumentException($"{inputs.Length} input values are not a whole number of samples of {inputSize}.", nameof(inputs));
        int count = inputs.Length / inputSize;
        if (targets.Length != count * targetSize)
            throw new ArgumentException($"{count} samples need {count} × {targetSize} target values; {targets.Length} were given.", nameof(targets));
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

    internal void CheckFits(INetwork network, string name)
    {
        if (InputSize != network.InputSize || TargetSize != network.OutputSize)
            throw new ArgumentException(
                $"The {name} set has samples of {InputSize} → {TargetSize} values; the network maps {network.InputSize} → {network.OutputSize}.", name);
    }
}
