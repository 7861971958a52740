namespace NetGen;

/// <summary>How the <see cref="Trainer"/> forms mini-batches.</summary>
public sealed record TrainerOptions
{
    /// <summary>Samples per mini-batch; 0 means the network's <see cref="INetwork.MaxBatchSize"/>.</summary>
    public int BatchSize { get; init; }

    /// <summary>Reshuffle the samples before every epoch (off by default, like PyTorch's DataLoader).</summary>
    public bool Shuffle { get; init; }

    /// <summary>The seed of the shuffling.</summary>
    public ulong ShuffleSeed { get; init; }
}
