using System;
using System.Numerics.Tensors;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Limited-memory BFGS for full-batch problems, iteration for iteration as PyTorch's <c>torch.optim.LBFGS</c>:
/// one <see cref="Step(Span{float}, ReadOnlySpan{float}, Func{float}, IProgress{LbfgsIteration})"/> runs up to <see cref="MaxIterations"/> iterations,
/// each re-evaluating the objective through a closure (for a network: a full-batch <see cref="INetwork.Backward"/>).
/// <code>
/// d ← −H·g        H from the last m pairs (s = θₖ₊₁ − θₖ, y = gₖ₊₁ − gₖ) with yᵀs &gt; 1e−10, by the two-loop recursion,
///                  scaled by yᵀs / yᵀy of the newest pair (the first iteration: d = −g)
/// t ← lr           (first iteration of all: min(1, 1/‖g‖₁)·lr), or a strong-Wolfe line search from that t
/// θ ← θ + t·d
/// </code>
/// An iteration ends the step when ‖g‖∞ ≤ <see cref="ToleranceGrad"/>, gᵀd &gt; −<see cref="ToleranceChange"/>,
/// ‖t·d‖∞ ≤ <see cref="ToleranceChange"/>, |Δloss| &lt; <see cref="ToleranceChange"/>, or the iteration or evaluation
/// budget is spent. The history (d, t, the pairs, the previous gradient and loss) carries over to the next step, as in
/// PyTorch; <see cref="Reset"/> forgets it.
/// </summary>
/// <remarks>
/// Every buffer (2·m·n floats of history and a few vectors of n floats) is allocated by the constructor: steps allocate nothing.
/// On a network, a full-batch evaluation large enough to pay for it is cut into chunks (<see cref="ChunkSize"/>, as the
/// <see cref="Trainer"/> cuts its batches) whose gradients are computed on replicas of the network by up to
/// <see cref="Threads"/> threads and added in one fixed order: the result is bitwise the same for any thread count. The
/// replicas and workers are made by the first step on a network and data set of that size (later steps allocate
/// nothing); dispose the optimiser to end the workers.
/// Vectors are float, as PyTorch's parameters; dot products and step lengths are accumulated in double. A NaN loss, or
/// an infinite one without a line search, stops with an error instead of a silently broken state.
/// </remarks>
public sealed class Lbfgs : IDisposable
{
    private const double CurvatureThreshold = 1e-10;   // pairs with yᵀs ≤ this are skipped (PyTorch's constant)

    private readonly OptimizerBinding _binding = new(nameof(Lbfgs));
    private readonly int _n;
    private readonly float[][] _steps;        // s pairs, oldest first from _historyStart, a ring of HistorySize
    private readonly float[][] _differences;  // y pairs
    private readonly double[] _rho;           // 1 / yᵀs
    private float[] _spareStep;               // where the next pair is built before it is accepted
    private float[] _spareDifference;
    private readonly double[] _alpha;
    private readonly float[] _direction;
    private readonly float[] _gradient;       // the gradient at the current parameters, as the algorithm sees it
    private readonly float[] _previousGradient;
    private readonly StrongWolfeLineSearch? _lineSearch;
    private readonly Func<float> _networkClosure;

    private int _historyStart;
    private int _historyCount;
    private double _hessianDiagonal = 1;
    private double _stepLength;
    private double _previousLoss;
    private bool _hasPreviousGradient;
    private INetwork? _network;
    private Dataset? _data;

    // The chunked evaluation of the latest network and set size, or null when evaluations are not cut.
    private DataParallelStep? _parallel;
    private INetwork? _parallelNetwork;
    private int _parallelCount;
    private bool _disposed;

    /// <summary>Creates the optimiser for problems of <paramref name="parameterCount"/> parameters; the defaults are PyTorch's.</summary>
    /// <param name="parameterCount">n, the length of the parameter vector (a network's <see cref="INetwork.ParameterCount"/>).</param>
    /// <param name="learningRate">lr &gt; 0, the step length (scaled on the first iteration; the line search's first trial).</param>
    /// <param name="maxIterations">Iterations per step (≥ 1).</param>
    /// <param name="maxEvaluations">Evaluations per step; null means maxIterations·5/4, as PyTorch.</param>
    /// <param name="toleranceGrad">Stop when the largest |gradient component| is at most this (≥ 0).</param>
    /// <param name="toleranceChange">Stop on a smaller step or loss change (≥ 0).</param>
    /// <param name="historySize">m, the correction pairs kept (≥ 1).</param>
    /// <param name="lineSearch">A fixed step, or the strong-Wolfe line search.</param>
    /// <param name="threads">The most threads an evaluation on a network runs on (≥ 1); null means <see cref="TrainerOptions.DefaultThreads"/>.</param>
    /// <param name="chunkSize">Samples per chunk of a network's full-batch evaluation (≥ 0); 0 chooses from the set's size and the network's work, as the Trainer does.</param>
    public Lbfgs(int parameterCount, float learningRate = 1f, int maxIterations = 20, int? maxEvaluations = null,
        float toleranceGrad = 1e-7f, float toleranceChange = 1e-9f, int historySize = 100, LbfgsLineSearch lineSearch = LbfgsLineSearch.None,
        int? threads = null, int chunkSize = 0)
    {
        if (threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads,
                $"threads must be at least 1 (the calling thread); null means {TrainerOptions.DefaultThreads} on this machine.");
        if (chunkSize < 0)
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize,
                "chunkSize must be 0 (chosen from the data set and the network) or a number of samples.");
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(historySize, 1);
        if (maxEvaluations is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations, "maxEvaluations must be at least 1.");
        if (!Enum.IsDefined(lineSearch))
            throw new ArgumentOutOfRangeException(nameof(lineSearch), lineSearch, "Unknown line search.");
        LearningRate = OptimizerArguments.LearningRate(learningRate);
        ToleranceGrad = OptimizerArguments.NonNegative(toleranceGrad, nameof(toleranceGrad));
        ToleranceChange = OptimizerArguments.NonNegative(toleranceChange, nameof(toleranceChange));
        MaxIterations = maxIterations;
        MaxEvaluations = maxEvaluations ?? maxIterations * 5 / 4;
        HistorySize = historySize;
        LineSearch = lineSearch;
        Threads = threads ?? TrainerOptions.DefaultThreads;
        ChunkSize = chunkSize;

        _n = parameterCount;
        _steps = new float[historySize][];
        _differences = new float[historySize][];
        for (int i = 0; i < historySize; i++)
        {
            _steps[i] = new float[parameterCount];
            _differences[i] = new float[parameterCount];
        }
        _spareStep = new float[parameterCount];
        _spareDifference = new float[parameterCount];
        _rho = new double[historySize];
        _alpha = new double[historySize];
        _direction = new float[parameterCount];
        _gradient = new float[parameterCount];
        _previousGradient = new float[parameterCount];
        _lineSearch = lineSearch == LbfgsLineSearch.StrongWolfe ? new StrongWolfeLineSearch(parameterCount) : null;
        _networkClosure = EvaluateNetwork;
    }

    /// <summary>lr.</summary>
    public float LearningRate { get; }

    /// <summary>Iterations per <see cref="Step(Span{float}, ReadOnlySpan{float}, Func{float}, IProgress{LbfgsIteration})"/>.</summary>
    public int MaxIterations { get; }

    /// <summary>Evaluations per step.</summary>
    public int MaxEvaluations { get; }

    /// <summary>The gradient tolerance, on the largest |component|.</summary>
    public float ToleranceGrad { get; }

    /// <summary>The tolerance on the step and on the change of the loss.</summary>
    public float ToleranceChange { get; }

    /// <summary>m.</summary>
    public int HistorySize { get; }

    /// <summary>The line search.</summary>
    public LbfgsLineSearch LineSearch { get; }

    /// <summary>
    /// The most threads a full-batch evaluation on a network runs on, the calling thread included. An evaluation uses at
    /// most one thread per chunk; the results do not depend on this number.
    /// </summary>
    public int Threads { get; }

    /// <summary>
    /// Samples per chunk of a network's full-batch evaluation, as asked (0: chosen per data set, as the
    /// <see cref="Trainer"/> chooses its chunks, batch statistics combined across chunks as it combines them). The results depend on
    /// the chunk size, never on <see cref="Threads"/>.
    /// </summary>
    public int ChunkSize { get; }

    /// <summary>Iterations over all steps since construction or <see cref="Reset"/> (PyTorch's <c>state["n_iter"]</c>).</summary>
    public int TotalIterations { get; private set; }

    /// <summary>Evaluations over all steps (PyTorch's <c>state["func_evals"]</c>).</summary>
    public int TotalEvaluations { get; private set; }

    /// <summary>
    /// One step on a network and its whole training set: the closure is <c>network.Backward(all samples)</c>, so the set
    /// must fit in one batch (<see cref="INetwork.MaxBatchSize"/>), unless the evaluation is cut into chunks
    /// (<see cref="ChunkSize"/>): the chunks' gradients are then computed on replicas of the network by up to
    /// <see cref="Threads"/> threads and added in a fixed order, and only a chunk must fit a replica. The optimiser then
    /// belongs to this network.
    /// </summary>
    /// <remarks>
    /// The network's <see cref="INetwork.Gradients"/> afterwards are those of the last evaluation, which a line search
    /// may have made at a trial point other than the one it accepted: call <see cref="INetwork.Backward"/> again for
    /// ∇L at the final parameters.
    /// </remarks>
    public LbfgsReport Step(INetwork network, Dataset data, IProgress<LbfgsIteration>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_binding.Bind(network) && network.ParameterCount != _n)
        {
            _binding.Reset();
            throw new ArgumentException($"This L-BFGS was built for {_n} parameters; the network has {network.ParameterCount}.", nameof(network));
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        data.CheckFits(network, nameof(data));
        PrepareChunks(network, data.Count);
        if (_parallel is null && data.Count > network.MaxBatchSize)
            throw new ArgumentException(
                $"L-BFGS evaluates the whole set in one Backward: {data.Count} samples, but the network's MaxBatchSize is {network.MaxBatchSize}. " +
                $"Construct the network with maxBatchSize: {data.Count} or more, or cut the evaluation into chunks (the chunkSize argument).", nameof(data));
        _network = network;
        _data = data;
        try
        {
            return Step(network.Parameters, network.Gradients, _networkClosure, progress);
        }
        finally
        {
            _network = null;
            _data = null;
        }
    }

    /// <summary>
    /// One step on any differentiable function of <paramref name="parameters"/>: <paramref name="closure"/> evaluates
    /// the function at the current <paramref name="parameters"/>, writes its gradient to <paramref name="gradient"/> and
    /// returns its value. The parameters are updated in place. <paramref name="progress"/> hears of every iteration.
    /// </summary>
    public LbfgsReport Step(Span<float> parameters, ReadOnlySpan<float> gradient, Func<float> closure, IProgress<LbfgsIteration>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(closure);
        if (parameters.Length != _n || gradient.Length != _n)
            throw new ArgumentException($"This L-BFGS was built for {_n} parameters; {parameters.Length} parameters and {gradient.Length} gradients were given.");

        float initialLoss = Evaluate(closure, gradient, _gradient, lineSearch: false);
        double loss = initialLoss;
        int evaluations = 1;
        TotalEvaluations++;
        if (MaxAbs(_gradient) <= ToleranceGrad)
            return new LbfgsReport(initialLoss, initialLoss, 0, evaluations, LbfgsStop.GradientTolerance);

        int iteration = 0;
        LbfgsStop stop;
        while (true)
        {
            iteration++;
            TotalIterations++;
            if (TotalIterations == 1)
            {
                Negate(_gradient, _direction);
                _historyStart = _historyCount = 0;
                _hessianDiagonal = 1;
            }
            else
            {
                UpdateHistory();
                ComputeDirection();
            }
            _gradient.CopyTo(_previousGradient);
            _hasPreviousGradient = true;
            _previousLoss = loss;

            _stepLength = TotalIterations == 1 ? Math.Min(1, 1 / SumAbs(_gradient)) * LearningRate : LearningRate;
            double directional = DoubleSums.Dot(_gradient, _direction);
            if (directional > -ToleranceChange)
            {
                stop = LbfgsStop.NoDescentDirection;
                break;
            }

            int lineEvaluations = 0;
            bool gradientConverged = false;
            if (_lineSearch is not null)
            {
                (loss, _stepLength, lineEvaluations) = _lineSearch.Search(parameters, gradient, closure, _direction, _stepLength, loss, _gradient, directional);
                Add(parameters, _stepLength, _direction);
                gradientConverged = MaxAbs(_gradient) <= ToleranceGrad;
            }
            else
            {
                Add(parameters, _stepLength, _direction);
                if (iteration != MaxIterations)
                {
                    loss = Evaluate(closure, gradient, _gradient, lineSearch: false);
                    gradientConverged = MaxAbs(_gradient) <= ToleranceGrad;
                    lineEvaluations = 1;
                }
            }
            evaluations += lineEvaluations;
            TotalEvaluations += lineEvaluations;
            progress?.Report(new LbfgsIteration(TotalIterations, (float)loss, TotalEvaluations, _stepLength, lineEvaluations != 0));

            if (iteration == MaxIterations) { stop = LbfgsStop.MaxIterations; break; }
            if (evaluations >= MaxEvaluations) { stop = LbfgsStop.MaxEvaluations; break; }
            if (gradientConverged) { stop = LbfgsStop.GradientTolerance; break; }
            if (Math.Abs(_stepLength) * MaxAbs(_direction) <= ToleranceChange) { stop = LbfgsStop.StepTolerance; break; }
            if (Math.Abs(loss - _previousLoss) < ToleranceChange) { stop = LbfgsStop.LossChangeTolerance; break; }
        }
        return new LbfgsReport(initialLoss, (float)loss, iteration, evaluations, stop);
    }

    /// <summary>Forgets the history, the counters and the network: the next step starts afresh.</summary>
    public void Reset()
    {
        _binding.Reset();
        TotalIterations = TotalEvaluations = 0;
        _historyStart = _historyCount = 0;
        _hessianDiagonal = 1;
        _hasPreviousGradient = false;
    }

    /// <summary>Adds the pair (s = t·d, y = g − g_prev) of the last iteration when its curvature yᵀs is positive.</summary>
    private void UpdateHistory()
    {
        if (!_hasPreviousGradient)
            return;
        // The pair is built in the spare vectors and joins the history only if yᵀs > 1e−10, so a rejected pair never
        // overwrites the oldest one of a full history.
        float[] y = _spareDifference, s = _spareStep;
        float t = (float)_stepLength;
        TensorPrimitives.Subtract(_gradient, _previousGradient, y);
        TensorPrimitives.Multiply(_direction, t, s);
        double ys = DoubleSums.Dot(y, s);
        if (ys <= CurvatureThreshold)
            return;
        int slot = (_historyStart + _historyCount) % HistorySize;
        if (_historyCount == HistorySize)
            _historyStart = (_historyStart + 1) % HistorySize;   // the slot is the oldest pair's: it is dropped
        else
            _historyCount++;
        (_differences[slot], _spareDifference) = (y, _differences[slot]);
        (_steps[slot], _spareStep) = (s, _steps[slot]);
        _rho[slot] = 1 / ys;
        _hessianDiagonal = ys / DoubleSums.Dot(y, y);
    }

    /// <summary>d = −H·g by the two-loop recursion over the history, oldest pair at index 0.</summary>
    private void ComputeDirection()
    {
        float[] q = _direction;
        Negate(_gradient, q);
        for (int k = _historyCount - 1; k >= 0; k--)
        {
            int slot = (_historyStart + k) % HistorySize;
            _alpha[k] = DoubleSums.Dot(_steps[slot], q) * _rho[slot];
            Add(q, -_alpha[k], _differences[slot]);
        }
        Scale(q, _hessianDiagonal);
        for (int k = 0; k < _historyCount; k++)
        {
            int slot = (_historyStart + k) % HistorySize;
            double beta = DoubleSums.Dot(_differences[slot], q) * _rho[slot];
            Add(q, _alpha[k] - beta, _steps[slot]);
        }
    }

    /// <summary>
    /// Makes the chunked evaluation for <paramref name="network"/> and sets of <paramref name="count"/> samples, unless
    /// the latest step's already fits them; leaves none when the evaluation is not cut (or a network written by hand
    /// makes no replicas and the chunk size was automatic).
    /// </summary>
    private void PrepareChunks(INetwork network, int count)
    {
        if (ReferenceEquals(network, _parallelNetwork) && count == _parallelCount)
            return;
        _parallel?.Dispose();
        _parallel = null;
        _parallelNetwork = null;   // until the chunking is settled: a refused one is refused again at the next step
        int chunkSize = ChunkPlan.ChunkSize(network, count, ChunkSize);
        if (chunkSize < count)
        {
            try
            {
                _parallel = new DataParallelStep(network, count, chunkSize, Threads, gathers: false);
            }
            catch (NotSupportedException) when (ChunkSize == 0)
            {
                // A network written by hand without replicas: evaluated whole, as before threads existed.
            }
        }
        _parallelNetwork = network;
        _parallelCount = count;
    }

    private float EvaluateNetwork() => _parallel is not null
        ? _parallel.Backward(_data!, null, 0, _data!.Count)
        : _network!.Backward(_data!.Inputs, _data.Targets, _data.Count);

    /// <summary>Stops and joins the worker threads of chunked evaluations (if any); the optimiser cannot step on a network after it.</summary>
    public void Dispose()
    {
        _disposed = true;
        _parallel?.Dispose();
        _parallel = null;
        _parallelNetwork = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>An optimiser dropped without Dispose still ends its idle workers (they hold no reference to it).</summary>
    ~Lbfgs() => _parallel?.StopWorkers();

    /// <summary>Runs the closure, copies its gradient and checks both.</summary>
    internal static float Evaluate(Func<float> closure, ReadOnlySpan<float> gradient, Span<float> copy, bool lineSearch)
    {
        float loss = closure();
        gradient.CopyTo(copy);
        if (float.IsNaN(loss) || (!lineSearch && float.IsInfinity(loss)))
            throw new InvalidOperationException(
                $"L-BFGS diverged: the loss is {loss}. Lower the learning rate, use LbfgsLineSearch.StrongWolfe, or check the data for extreme values.");
        if (float.IsFinite(loss) && !Finite.All(copy))
            throw new InvalidOperationException($"L-BFGS diverged: a gradient component is {copy[Finite.IndexOfNonFinite(copy)]} while the loss is {loss}.");
        return loss;
    }

    /// <summary>max |a_i| (NaN when one is NaN).</summary>
    internal static double MaxAbs(ReadOnlySpan<float> a) => a.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(a));

    private static double SumAbs(ReadOnlySpan<float> a)
    {
        double sum = 0;
        foreach (float v in a)
            sum += Math.Abs(v);
        return sum;
    }

    /// <summary>a ← a + α·b, in float as PyTorch's <c>add_(b, alpha=α)</c> (each product and sum rounded once).</summary>
    internal static void Add(Span<float> a, double alpha, ReadOnlySpan<float> b) => SpanLoops.MultiplyAddInPlace(b, (float)alpha, a);

    private static void Negate(ReadOnlySpan<float> source, Span<float> destination) => TensorPrimitives.Negate(source, destination);

    private static void Scale(Span<float> a, double factor) => TensorPrimitives.Multiply(a, (float)factor, a);
}
