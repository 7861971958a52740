using System;

namespace NetGen;

/// <summary>
/// What the <see cref="Trainer"/> needs of a data set, whatever its targets are: <see cref="Dataset"/> (target rows,
/// through Backward) or <see cref="LabelDataset"/> (class labels, through BackwardOnLabels). One epoch loop serves both.
/// </summary>
internal interface ISampleSet
{
    int Count { get; }

    /// <summary>Throws an ArgumentException (parameter <paramref name="name"/>) when the set does not fit the network.</summary>
    void CheckFits(INetwork network, string name);

    /// <summary>The loss of samples [start, start + count), a batch the network holds.</summary>
    float ComputeLoss(INetwork network, int start, int count);

    /// <summary>Backward over samples [start, start + count).</summary>
    float Backward(INetwork network, int start, int count);

    /// <summary>Backward over the samples <paramref name="samples"/> lists, gathered into <paramref name="buffers"/>.</summary>
    float Backward(INetwork network, ReadOnlySpan<int> samples, BatchBuffers buffers);
}

/// <summary>A shuffled batch, gathered: allocated once per <see cref="Trainer"/>.</summary>
internal sealed class BatchBuffers(int batchSize, int inputSize, int outputSize)
{
    public float[] Inputs { get; } = new float[batchSize * inputSize];

    public float[] Targets { get; } = new float[batchSize * outputSize];

    public int[] Labels { get; } = new int[batchSize];
}
