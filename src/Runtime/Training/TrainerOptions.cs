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

    /// <summary>Stop when the validation loss stops improving (off when null; needs a validation set).</summary>
    public EarlyStopping? EarlyStopping { get; init; }
}
