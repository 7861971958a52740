using System;

namespace NetGen;

/// <summary>How the Trainer cuts an epoch into batches: the last partial batch, kept or dropped, and the checks made before an epoch starts.</summary>
public sealed partial class Trainer
{
    /// <summary>The samples an epoch trains on: all of them, or, when the last partial batch is dropped, whole batches only.</summary>
    private int EpochSamples(int count) => DropsLastPartialBatch ? count - count % BatchSize : count;

    /// <summary>
    /// Refuses, before the first epoch, a set whose batches the network cannot train on: a last batch smaller than
    /// <see cref="INetwork.MinTrainingBatchSize"/> (it would throw mid-epoch, after the earlier batches had stepped), or,
    /// when the last partial batch is dropped, a set smaller than one batch (an epoch with no batch at all).
    /// </summary>
    private void CheckBatches(int count)
    {
        int last = count % BatchSize;
        if (DropsLastPartialBatch)
        {
            if (count < BatchSize)
                throw new ArgumentException(
                    $"The training set has {count} samples, fewer than one batch of {BatchSize}, and TrainerOptions.DropLastPartialBatch drops a partial batch: " +
                    $"no batch would be left. Use a BatchSize of {count} or less, or keep the partial batch.", "training");
            return;
        }
        int least = _network.MinTrainingBatchSize;
        if (last != 0 && last < least)
            throw new ArgumentException(
                $"The training set's {count} samples in batches of {BatchSize} leave a last batch of {last}, but this network cannot train on fewer than {least} samples " +
                "(it normalises a vector over the batch: one sample's variance is 0; PyTorch raises \"Expected more than 1 value per channel when training\"). " +
                $"Set TrainerOptions.DropLastPartialBatch = true to skip each epoch's last partial batch (PyTorch's drop_last), or choose a BatchSize that leaves a last batch of 0 or at least {least} samples.",
                "training");
    }
}
