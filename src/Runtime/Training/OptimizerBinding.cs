using System;

namespace NetGen;

/// <summary>
/// Ties an optimiser's state (momentum, moments) to the one network it was first used with: state built for one
/// network is meaningless for another, so using it there is an error rather than a silently wrong update.
/// </summary>
internal sealed class OptimizerBinding(string optimizer)
{
    private INetwork? _network;

    /// <summary>True on the first step for <paramref name="network"/>: the caller allocates its state then.</summary>
    public bool Bind(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (ReferenceEquals(_network, network))
            return false;
        if (_network is not null)
            throw new InvalidOperationException(
                $"This {optimizer} already holds state for another network. Create one optimiser per network, or call Reset() first.");
        _network = network;
        return true;
    }

    public void Reset() => _network = null;
}

/// <summary>Hyper-parameter checks shared by the optimisers.</summary>
internal static class OptimizerArguments
{
    public static float LearningRate(float value) =>
        value > 0 && float.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException("learningRate", value, "The learning rate must be a positive, finite number.");

    public static float InUnitInterval(float value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");

    public static float NonNegative(float value, string name) =>
        value >= 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");

    public static float Positive(float value, string name) =>
        value > 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive, finite number.");
}
