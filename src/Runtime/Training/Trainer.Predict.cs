using System;

namespace NetGen;

/// <summary>The Trainer's predict-all helpers: the network's outputs for every sample of a data set, in sample order.</summary>
public sealed partial class Trainer
{
    /// <summary>
    /// Writes the network's outputs for every sample of <paramref name="data"/> to <paramref name="outputs"/>
    /// (<c>data.Count × OutputSize</c> floats, row-major, in sample order): Forward in batches of at most
    /// <see cref="INetwork.MaxBatchSize"/>, or, when this Trainer cuts its batches, in pieces of <see cref="ChunkSize"/>
    /// on its threads. Each sample's output is the same on any number of threads. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The set's rows are not the network's input size, or <paramref name="outputs"/> is not data.Count × OutputSize long.</exception>
    public void Predict(Dataset data, Memory<float> outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckInputRows(_network, data.InputSize, nameof(data));
        Predict(data.Inputs, outputs);
    }

    /// <summary>
    /// Writes the network's outputs for every row of <paramref name="inputs"/> (rows of the network's input size) to
    /// <paramref name="outputs"/> (as many rows of its output size), as <see cref="Predict(Dataset, Memory{float})"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs are not whole rows, or <paramref name="outputs"/> does not hold one output row per input row.</exception>
    public void Predict(ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int count = CheckPrediction(_network, inputs.Length, outputs.Length);
        if (_parallel is null)
            PredictInBatches(_network, inputs.Span, outputs.Span, count);
        else
            _parallel.Predict(inputs, outputs, count);
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s outputs for every sample of <paramref name="data"/> to <paramref name="outputs"/>
    /// (<c>data.Count × OutputSize</c> floats, in sample order), Forward in batches of at most <see cref="INetwork.MaxBatchSize"/>
    /// on the calling thread. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The set's rows are not the network's input size, or <paramref name="outputs"/> is not data.Count × OutputSize long.</exception>
    public static void Predict(INetwork network, Dataset data, Span<float> outputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckInputRows(network, data.InputSize, nameof(data));
        Predict(network, data.Inputs, outputs);
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s outputs for every row of <paramref name="inputs"/> to <paramref name="outputs"/>,
    /// as <see cref="Predict(INetwork, Dataset, Span{float})"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs are not whole rows, or <paramref name="outputs"/> does not hold one output row per input row.</exception>
    public static void Predict(INetwork network, ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        int count = CheckPrediction(network, inputs.Length, outputs.Length);
        PredictInBatches(network, inputs, outputs, count);
    }

    private static void PredictInBatches(INetwork network, ReadOnlySpan<float> inputs, Span<float> outputs, int count)
    {
        for (int start = 0; start < count; start += network.MaxBatchSize)
        {
            int batch = Math.Min(network.MaxBatchSize, count - start);
            network.Forward(inputs.Slice(start * network.InputSize, batch * network.InputSize),
                outputs.Slice(start * network.OutputSize, batch * network.OutputSize), batch);
        }
    }

    private static void CheckInputRows(INetwork network, int inputSize, string name)
    {
        if (inputSize != network.InputSize)
            throw new ArgumentException(
                $"The data set's samples have {inputSize} inputs, the network takes {network.InputSize}: pass a set made for this network.", name);
    }

    /// <summary>The samples of a prediction, after checking that the inputs are whole rows and that the outputs hold one row for each.</summary>
    private static int CheckPrediction(INetwork network, int inputLength, int outputLength)
    {
        if (inputLength == 0 || inputLength % network.InputSize != 0)
            throw new ArgumentException(
                $"The inputs hold {inputLength} floats, which is not a whole number of samples (one or more) of the network's {network.InputSize} inputs each: " +
                "pass the samples' rows one after another, row-major.", "inputs");
        int count = inputLength / network.InputSize;
        long needed = (long)count * network.OutputSize;
        if (outputLength != needed)
            throw new ArgumentException(
                $"The outputs hold {outputLength} floats, but {count} samples of {network.OutputSize} outputs each need {needed}: " +
                $"pass a buffer of samples × OutputSize floats (new float[{needed}]).", "outputs");
        return count;
    }
}
