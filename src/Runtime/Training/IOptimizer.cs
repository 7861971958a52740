namespace NetGen;

/// <summary>Updates a network's parameters from the gradients of its latest backward pass.</summary>
public interface IOptimizer
{
    /// <summary>One update step. Allocation-free.</summary>
    void Step(INetwork network);
}
