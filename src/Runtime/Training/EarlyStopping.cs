using System;

namespace NetGen;

/// <summary>
/// Stops training once the validation loss has not improved for <see cref="Patience"/> epochs in a row
/// (an improvement is a loss below the best so far by more than <see cref="MinDelta"/>).
/// </summary>
public sealed record EarlyStopping
{
    private readonly int _patience = 10;
    private readonly float _minDelta;

    /// <summary>Epochs without improvement before training stops (≥ 1; default 10).</summary>
    public int Patience
    {
        get => _patience;
        init => _patience = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Patience), value, "Patience must be at least one epoch.");
    }

    /// <summary>How much lower than the best so far a validation loss must be to count as an improvement (≥ 0; default 0).</summary>
    public float MinDelta
    {
        get => _minDelta;
        init => _minDelta = value >= 0 && float.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(MinDelta), value, "MinDelta must be a finite number ≥ 0.");
    }

    /// <summary>
    /// When training ends (stopped early or not), put back the parameters of the epoch with the best validation loss
    /// (default true). The trainer keeps one copy of the parameters for this, allocated in its constructor.
    /// </summary>
    public bool RestoreBestParameters { get; init; } = true;
}
