using System;

namespace NetGen;

/// <summary>How the <see cref="Trainer"/> forms mini-batches and when it stops.</summary>
public sealed record TrainerOptions
{
    /// <summary>Samples per mini-batch; 0 means the network's <see cref="INetwork.MaxBatchSize"/>.</summary>
    public int BatchSize { get; init; }

    /// <summary>Reshuffle the samples before every epoch (off by default, like PyTorch's DataLoader).</summary>
    public bool Shuffle { get; init; }

    /// <summary>The seed of the shuffling.</summary>
    public ulong ShuffleSeed { get; init; }

    /// <summary>
    /// The most threads a training step runs on (the calling thread included); at least 1. The default is
    /// <see cref="DefaultThreads"/>. A step uses at most one thread per chunk (<see cref="ChunkSize"/>), so a network
    /// too small to cut trains on the calling thread whatever this says. The results do not depend on it: the chunks
    /// and the order their gradients are added in are the same for any thread count, so the parameters are bitwise the same.
    /// </summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>
    /// The machine's processors, at most <see cref="MaxDefaultThreads"/>: past that, the gradient reduction's cost (which
    /// grows with the chunk count) is expected to eat the gain. Read once per process.
    /// </summary>
    public static int DefaultThreads { get; } = Math.Min(Environment.ProcessorCount, MaxDefaultThreads);

    /// <summary>The most threads <see cref="DefaultThreads"/> chooses.</summary>
    public const int MaxDefaultThreads = 8;

    /// <summary>
    /// Samples per chunk of a batch, 0 (the default) to let the Trainer choose from the batch size and the network's
    /// parameter count: a network below a threshold of work per chunk is not cut. Each chunk's gradient is computed on a
    /// replica of the network and the chunks' gradients are added in a fixed order, so the results depend on the chunk
    /// size, not on <see cref="Threads"/>: a cut batch is cut on one thread too (on a one-processor machine, or with
    /// Threads = 1), so that its results match any other machine's. Cut results equal uncut ones within float rounding;
    /// set it to the batch size to train uncut. A network with batch statistics (batch normalisation) is cut too: its
    /// chunks meet at each normalisation to combine the whole batch's statistics, and each chunk then has a thread of its
    /// own, of which no more than <see cref="Threads"/> compute at once.
    /// </summary>
    public int ChunkSize { get; init; }

    /// <summary>
    /// Skip each epoch's last batch when it is smaller than <see cref="BatchSize"/> (PyTorch's DataLoader <c>drop_last</c>;
    /// off by default). With <see cref="Shuffle"/>, the samples left out change from epoch to epoch. The way out for a
    /// network with a batch normalisation of a vector (<see cref="INetwork.MinTrainingBatchSize"/> = 2) whose set would
    /// leave a last batch of one sample, which the Trainer refuses before the first epoch starts.
    /// </summary>
    public bool DropLastPartialBatch { get; init; }

    /// <summary>Stop when the validation loss stops improving (off when null; needs a validation set).</summary>
    public EarlyStopping? EarlyStopping { get; init; }
}
