using System;

namespace NetGen;

/// <summary>Which value of a training step was not finite.</summary>
public enum DivergedValue
{
    /// <summary>The loss of a mini-batch (from <see cref="INetwork.Backward"/>), before the optimiser's step.</summary>
    Loss,

    /// <summary>A gradient of a mini-batch whose loss was finite, before the optimiser's step.</summary>
    Gradients,

    /// <summary>A parameter after the optimiser's step (the step was undone).</summary>
    Parameters,

    /// <summary>The validation loss after an epoch.</summary>
    ValidationLoss,
}

/// <summary>
/// Thrown by <c>Trainer.Train</c> when a step meets a NaN or an infinity: training stops there, never silently
/// carrying non-finite weights on. The network's parameters are the finite ones from before the failing step.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message, int epoch, int batch, DivergedValue value) : base(message)
    {
        Epoch = epoch;
        Batch = batch;
        Value = value;
    }

    /// <summary>The 1-based epoch of the failing step.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based mini-batch of that epoch (0 for <see cref="DivergedValue.ValidationLoss"/>).</summary>
    public int Batch { get; }

    /// <summary>What was not finite.</summary>
    public DivergedValue Value { get; }
}
