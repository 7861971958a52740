using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// Forward pass: z = sum + b, kept when asked, then y = f(z): bias and activation never take a pass over the layer of their
/// own. With no f or an f of one instruction (<see cref="IRegisterActivation"/>), the bias, z and f are applied to each
/// vector as it leaves the registers; any other f runs over each finished tile while it is still in L1, and the bias and
/// z go with it (<see cref="TileActivation"/>), so that the tile itself only stores its sums. Applied per vector inside the
/// tile, the 16 inlined copies of f overran the JIT's inlining budget and cost 4×; the bias and z, two tests per vector,
/// made the 512-bit 6 × 4 tile of a sigmoid layer take the JIT 9.5 ms to compile against 4.2 for the same tile storing
/// its sums (RuntimeHelpers.PrepareMethod, Zen 5).
/// </summary>
internal ref struct ForwardEpilogue<TActivation>(ref float bias, bool hasBias, ref float z, bool keepZ, ref float y, nint rowLength) : IEpilogue
    where TActivation : IUnaryOperator
{
    private readonly ref float _bias = ref bias;
    private readonly ref float _z = ref z;
    private readonly ref float _y = ref y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store<TOps, TV>(TV sum, nint row, nint column) where TOps : IVectorOps<TV> where TV : struct
    {
        nint at = row * rowLength + column;
        // The type tests are written out here, where the JIT folds them while importing (see IRegisterActivation).
        if (typeof(TActivation) != typeof(IdentityOperator) && default(TActivation) is not IRegisterActivation)
        {
            TOps.Store(sum, ref _y, at);   // Finish's pass adds the bias, keeps z and applies f
            return;
        }
        if (hasBias)
            sum = TOps.Add(sum, TOps.Load(ref _bias, column));
        if (keepZ)
            TOps.Store(sum, ref _z, at);
        TOps.Store(default(TActivation) is IRegisterActivation ? TOps.Apply<TActivation>(sum) : sum, ref _y, at);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Finish<TOps, TV>(nint row, int rows, nint column, int vectors) where TOps : IVectorOps<TV> where TV : struct
    {
        if (typeof(TActivation) != typeof(IdentityOperator) && default(TActivation) is not IRegisterActivation)
        {
            nint at = row * rowLength + column;
            TileActivation.Apply<TActivation, TOps, TV>(ref Unsafe.Add(ref _y, at), ref Unsafe.Add(ref _z, at), keepZ,
                ref Unsafe.Add(ref _bias, column), hasBias, biasPerRow: false, rows, vectors, rowLength);
        }
    }
}

/// <summary>
/// Marks the activations of one instruction (ReLU: a max), which the forward epilogues apply to each vector as it leaves
/// the registers, saving the pass over the finished tile that every other f takes (<see cref="TileActivation"/>).
/// Tested where it is used, as <c>default(TActivation) is IRegisterActivation</c>: the JIT folds that test while it
/// imports the method, so the f it rules out is never compiled. Behind a helper method the test was folded only after
/// the inliner had put f into the dropped branch, once for every vector of the tile: the 512-bit 6 × 4 tile of a sigmoid
/// layer took the JIT 14–15 ms to compile, and 4 ms since (RuntimeHelpers.PrepareMethod, Zen 5).
/// </summary>
internal interface IRegisterActivation;

/// <summary>
/// Marks the derivatives of a few instructions on the layer's y (σ′, tanh′, the bipolar sigmoid's, ReLU′), which the
/// input-gradient epilogue applies to each vector as it leaves the registers: one load of y beside the store, instead of
/// a pass over the finished tile that loads δ and y and stores δ again. The same operations on the same values, so the
/// same bits. Tested where it is used, as <see cref="IRegisterActivation"/> is.
/// </summary>
internal interface IRegisterDerivative;

/// <summary>
/// z = sum + b, kept when asked, and y = f(z) over a finished tile of a forward product whose sums the tile stored in y,
/// while it is in L1 (shared by the dense and convolution epilogues). The bias is a vector per column of the tile (from
/// the tile's first column: a dense layer's units) or, with biasPerRow, one value per row (from the tile's first row: a
/// convolution's channels).
/// </summary>
internal static class TileActivation
{
    /// <summary>Out of line, so that f is inlined here: compiled inside the tile, the inlined copies of f overran the JIT's budget.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TActivation, TOps, TV>(ref float y, ref float z, bool keepZ, ref float bias, bool hasBias, bool biasPerRow,
        int rows, int vectors, nint rowLength)
        where TActivation : IUnaryOperator where TOps : IVectorOps<TV> where TV : struct
    {
        // The usual case, a bias per column and no z kept, has a loop of its own without RowFinish's tests per vector: the
        // SimpleChains epoch (two tanh layers) took 740–785 µs with it against 792–807 without (best of four runs each,
        // alternating, pinned to one processor; a second such round was too noisy to tell).
        if (hasBias && !keepZ && !biasPerRow)
        {
            for (int r = 0; r < rows; r++)
            {
                ref float yr = ref Unsafe.Add(ref y, r * rowLength);
                for (int v = 0; v < vectors; v++)
                {
                    nint at = v * TOps.Count;
                    TOps.Store(TOps.Apply<TActivation>(TOps.Add(TOps.Load(ref yr, at), TOps.Load(ref bias, at))), ref yr, at);
                }
            }
            return;
        }
        // Otherwise each row as RowFinish finishes a run of sums in place (sums and y the same row), at this tile's width.
        for (int r = 0; r < rows; r++)
        {
            ref float yr = ref Unsafe.Add(ref y, r * rowLength);
            RowFinish.Run<TOps, TV, TActivation>(ref yr, ref biasPerRow ? ref Unsafe.Add(ref bias, r) : ref bias, hasBias, scalarBias: biasPerRow,
                ref Unsafe.Add(ref z, r * rowLength), keepZ, ref yr, vectors * TOps.Count);
        }
    }
}

/// <summary>C = sum: gradients are written, not accumulated, so nothing has to be cleared first.</summary>
internal ref struct StoreEpilogue(ref float c, nint rowLength) : IEpilogue
{
    private readonly ref float _c = ref c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store<TOps, TV>(TV sum, nint row, nint column) where TOps : IVectorOps<TV> where TV : struct =>
        TOps.Store(sum, ref _c, row * rowLength + column);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void Finish<TOps, TV>(nint row, int rows, nint column, int vectors) where TOps : IVectorOps<TV> where TV : struct { }
}

/// <summary>
/// C stored transposed: the vector C[row, column .. column + Count) goes down a column of c, to c[(column + l)·rowLength
/// + row]. For a product computed as Cᵀ because its own rows were too short for a vector
/// (<see cref="TransposedWeightGradientProduct{TSizes}"/>); a tile's few stores, so the lane-by-lane writes cost nothing
/// beside its sum over the batch.
/// </summary>
internal ref struct TransposedStoreEpilogue(ref float c, nint rowLength) : IEpilogue
{
    private readonly ref float _c = ref c;
    private Lanes _lanes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<TOps, TV>(TV sum, nint row, nint column) where TOps : IVectorOps<TV> where TV : struct
    {
        TOps.Store(sum, ref _lanes[0], 0);
        for (int l = 0; l < TOps.Count; l++)
            Unsafe.Add(ref _c, (column + l) * rowLength + row) = _lanes[l];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void Finish<TOps, TV>(nint row, int rows, nint column, int vectors) where TOps : IVectorOps<TV> where TV : struct { }

    /// <summary>Room for the widest vector's lanes, inside the epilogue (which lives in its caller's frame).</summary>
    [InlineArray(16)]
    private struct Lanes
    {
        private float _first;
    }
}

/// <summary>
/// Input gradient: δy = sum (+ what other readers of the node already put there), then, when the node below is a layer
/// with this as its only reader, its activation's derivative: δz = δy ⊙ f′(from the node's values). A derivative of a
/// few instructions (<see cref="IRegisterDerivative"/>) is applied to each vector as it leaves the registers; any other
/// takes a pass over the finished tile while it is in L1.
/// </summary>
internal ref struct InputGradientEpilogue<TDerivative>(ref float delta, ref float source, bool accumulate, nint rowLength) : IEpilogue
    where TDerivative : IBinaryOperator
{
    private readonly ref float _delta = ref delta;
    private readonly ref float _source = ref source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store<TOps, TV>(TV sum, nint row, nint column) where TOps : IVectorOps<TV> where TV : struct
    {
        nint at = row * rowLength + column;
        if (accumulate)
            sum = TOps.Add(sum, TOps.Load(ref _delta, at));
        // Written out here, where the JIT folds the test while importing (see IRegisterActivation).
        if (default(TDerivative) is IRegisterDerivative)
            sum = TOps.Apply<TDerivative>(TOps.Load(ref _source, at), sum);
        TOps.Store(sum, ref _delta, at);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void Finish<TOps, TV>(nint row, int rows, nint column, int vectors) where TOps : IVectorOps<TV> where TV : struct
    {
        if (typeof(TDerivative) == typeof(IdentityDerivativeOperator) || default(TDerivative) is IRegisterDerivative)
            return;
        for (nint r = row; r < row + rows; r++)
        {
            ref float delta = ref Unsafe.Add(ref _delta, r * rowLength + column);
            ref float source = ref Unsafe.Add(ref _source, r * rowLength + column);
            for (int v = 0; v < vectors; v++)
                TOps.Store(TOps.Apply<TDerivative>(TOps.Load(ref source, v * TOps.Count), TOps.Load(ref delta, v * TOps.Count)), ref delta, v * TOps.Count);
        }
    }
}
