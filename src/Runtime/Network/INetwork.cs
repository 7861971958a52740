using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace NetGen;

/// <summary>
/// What every generated network offers to generic code: optimisers, initialisers,
/// the <see cref="Trainer"/>, weight files and the gradient check.
/// </summary>
public interface INetwork
{
    /// <summary>Values per input sample.</summary>
    int InputSize { get; }

    /// <summary>Values per output sample (and per target sample).</summary>
    int OutputSize { get; }

    /// <summary>Trainable parameters in <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// Multiply-adds of one sample's forward pass (each weight once per output position: a dense layer's once, a
    /// convolution's at every position of its output channel): how the <see cref="Trainer"/> weighs a batch's work when
    /// it decides whether to cut it into chunks. Generated networks give the exact count; a network written by hand
    /// gives <see cref="ParameterCount"/> unless it says better.
    /// </summary>
    long MultiplyAddsPerSample => ParameterCount;

    /// <summary>
    /// The fewest samples a training batch (<see cref="Backward"/>) must hold: 2 for a network with a batch
    /// normalisation of one value per statistic (a vector's), whose batch statistics need two values, else 1. The
    /// <see cref="Trainer"/> checks an epoch's last batch against it before the epoch starts.
    /// </summary>
    int MinTrainingBatchSize => 1;

    /// <summary>The largest batch the buffers allocated at construction hold.</summary>
    int MaxBatchSize { get; }

    /// <summary>Whether <see cref="ComputeLoss"/> averages or sums over samples.</summary>
    LossReduction LossReduction { get; }

    /// <summary>All parameters, one flat buffer in the fixed layout of <see cref="ParameterTensors"/>.</summary>
    Span<float> Parameters { get; }

    /// <summary>∂L/∂parameters from the latest <see cref="Backward"/>, same layout as <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>Where each weight matrix and bias vector lives in <see cref="Parameters"/>.</summary>
    IReadOnlyList<ParameterTensor> ParameterTensors { get; }

    /// <summary>
    /// The float state of the network's layers (batch normalisation's running means and variances), one flat buffer in
    /// the layout of <see cref="StateTensors"/>; empty for a network without state. Training (<see cref="Backward"/>)
    /// updates it; evaluation reads it; it is not a parameter, so no optimiser touches it.
    /// </summary>
    Span<float> State => default;

    /// <summary>The integer state (batch normalisation's <c>num_batches_tracked</c>), in the layout of <see cref="StateTensors"/>; empty without state.</summary>
    Span<long> StateCounts => default;

    /// <summary>Where each state tensor lives in <see cref="State"/> or <see cref="StateCounts"/>, named and shaped like PyTorch's buffers; empty without state.</summary>
    IReadOnlyList<StateTensor> StateTensors => [];

    /// <summary>
    /// The network's topology: its nodes, their kinds, shapes, settings and tensors, in computing order (what the
    /// <see cref="Onnx"/> exporter writes). Every generated network has one, built once per type; a network written by
    /// hand has none (null) unless it describes itself.
    /// </summary>
    NetworkGraph? Graph => null;

    /// <summary>Runs the network on <paramref name="batchSize"/> samples, row-major [batch, size].</summary>
    void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize);

    /// <summary>The loss of the batch, without touching <see cref="Gradients"/>.</summary>
    float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize);

    /// <summary>
    /// Forward and backward pass: overwrites <see cref="Gradients"/> with ∂L/∂parameters, writes ∂L/∂inputs
    /// when <paramref name="inputGradients"/> is not empty, and returns the loss.
    /// </summary>
    float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Span<float> inputGradients = default);

    /// <summary>
    /// A replica for chunk <paramref name="chunkIndex"/> of a batch split into chunks (the <see cref="Trainer"/>'s
    /// data-parallel steps): a new instance that shares this one's <see cref="Parameters"/> and <see cref="State"/>
    /// (the same arrays, not copies) and owns its arenas, scratch and <see cref="Gradients"/>, for batches of up to
    /// <paramref name="maxBatchSize"/> samples. Weighted by chunk size ÷ batch size (a mean loss) or by 1 (a sum), the
    /// chunks' losses and gradients add up to the batch's; dropout masks come from a stream of this instance's
    /// generator that depends on the chunk index only (seeding this instance again, even after the replica was made,
    /// restarts the replica's stream from the new seed). Every generated network implements it.
    /// </summary>
    /// <exception cref="NotSupportedException">A network written by hand that does not implement it.</exception>
    INetwork CreateReplica(int maxBatchSize, int chunkIndex) =>
        throw new NotSupportedException(
            $"{GetType().Name} does not implement INetwork.CreateReplica, which data-parallel training needs: " +
            "leave TrainerOptions.ChunkSize at 0 (the Trainer then trains it uncut) or implement CreateReplica.");

    /// <summary>
    /// Makes this replica (<see cref="CreateReplica"/>) one chunk of batches cut into chunks whose batch statistics
    /// (batch normalisation's) are the whole batch's: from now on its training passes compute their chunk's share,
    /// meet the other chunks' replicas at <paramref name="statistics"/> to combine them, and leave the running statistics
    /// to the combination (once per batch). The data-parallel <see cref="Trainer"/> and <see cref="Lbfgs"/> call it;
    /// every generated network with batch statistics implements it.
    /// </summary>
    /// <exception cref="NotSupportedException">A network written by hand that does not implement it.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void ShareBatchStatistics(Kernels.ChunkedBatchStatistics statistics) =>
        throw new NotSupportedException(
            $"{GetType().Name} has state (batch statistics) but does not implement INetwork.ShareBatchStatistics, which cutting its batches into chunks needs: " +
            "leave TrainerOptions.ChunkSize (or Lbfgs' chunkSize) at 0 (it then trains uncut) or implement ShareBatchStatistics.");

    /// <summary>
    /// Null when the network's loss can take every value of <paramref name="targets"/> (rows of <see cref="OutputSize"/>);
    /// otherwise what is wrong, naming the first bad value as "<paramref name="name"/>[index] (sample, value)". Binary
    /// cross-entropy takes values in [0, 1], softmax cross-entropy rows that are probability distributions; the squared
    /// errors take any finite value. <see cref="Dataset"/>s are checked with it before training and evaluation, as
    /// Backward and ComputeLoss check their own targets. Allocates nothing when the targets are fine.
    /// </summary>
    string? DescribeInvalidTargets(ReadOnlySpan<float> targets, string name) => null;
}

