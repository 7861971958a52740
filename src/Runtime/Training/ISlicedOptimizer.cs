namespace NetGen;

/// <summary>
/// An optimiser whose update is element-wise, so that the threads of a cut batch (<see cref="DataParallelStep"/>) can
/// each update a slice of the parameters while it is in their cache. Each element is updated by the same operations
/// whatever the slices, so a step cut into slices gives the same bits as <see cref="IOptimizer.Step"/> on the whole
/// buffer, on any number of threads.
/// </summary>
internal interface ISlicedOptimizer : IOptimizer
{
    /// <summary>
    /// The part of a step that is not per element, once per step before its slices: binds the network (allocating the
    /// state on the first step) and advances the step count.
    /// </summary>
    void BeginStep(INetwork network);

    /// <summary>The update of parameters [start, start + length); a step's slices may run at once on different threads, each element in exactly one.</summary>
    void StepSlice(INetwork network, int start, int length);
}
