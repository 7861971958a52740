namespace NetGen;

/// <summary>What the <see cref="Trainer"/> reports after each epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Epochs">Epochs requested.</param>
/// <param name="TrainingLoss">The loss over the epoch's mini-batches, as they were trained.</param>
/// <param name="ValidationLoss">The loss on the validation set after the epoch, when one was given.</param>
public readonly record struct EpochReport(int Epoch, int Epochs, float TrainingLoss, float? ValidationLoss);
