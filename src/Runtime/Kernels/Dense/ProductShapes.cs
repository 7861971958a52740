namespace NetGen.Kernels;

/// <summary>
/// The dimensions and strides of one matrix product C[M, N] = Σ_k A[m, k]·B[k, n] (A[m, k] at a[m·ARow + k·AStep],
/// B row-major with row length Ldb). Implemented by small structs over <see cref="ILayerSizes"/>, so that in a layer's
/// specialised code every member but the batch is a constant.
/// </summary>
internal interface IProductShape
{
    int M { get; }
    int N { get; }
    int K { get; }
    nint ARow { get; }
    nint AStep { get; }
    nint Ldb { get; }
}

/// <summary>Forward: Z[batch, units] = X[batch, inputs]·Wᵀ, with Wᵀ [inputs, units] as B.</summary>
internal readonly struct ForwardProduct<TSizes>(TSizes sizes, int batch) : IProductShape where TSizes : struct, ILayerSizes
{
    public int M => batch;
    public int N => sizes.Units;
    public int K => sizes.Inputs;
    public nint ARow => sizes.Inputs;
    public nint AStep => 1;
    public nint Ldb => sizes.Units;
}

/// <summary>∂L/∂W [units, inputs] = δᵀ·X: A = δ read down its columns, B = X, the sum over the batch.</summary>
internal readonly struct WeightGradientProduct<TSizes>(TSizes sizes, int batch) : IProductShape where TSizes : struct, ILayerSizes
{
    public int M => sizes.Units;
    public int N => sizes.Inputs;
    public int K => batch;
    public nint ARow => 1;
    public nint AStep => sizes.Units;
    public nint Ldb => sizes.Inputs;
}

/// <summary>
/// ∂L/∂Wᵀ [inputs, units] = Xᵀ·δ: A = X read down its columns, B = δ, the sum over the batch. The same sums as
/// <see cref="WeightGradientProduct{TSizes}"/> with the roles of rows and vectors swapped: vectors along the units, for
/// a layer of few inputs and many units (4 → 32), whose own rows would fill a quarter of a vector.
/// </summary>
internal readonly struct TransposedWeightGradientProduct<TSizes>(TSizes sizes, int batch) : IProductShape where TSizes : struct, ILayerSizes
{
    public int M => sizes.Inputs;
    public int N => sizes.Units;
    public int K => batch;
    public nint ARow => 1;
    public nint AStep => sizes.Inputs;
    public nint Ldb => sizes.Units;
}

/// <summary>δx [batch, inputs] = δ[batch, units]·W[units, inputs].</summary>
internal readonly struct InputGradientProduct<TSizes>(TSizes sizes, int batch) : IProductShape where TSizes : struct, ILayerSizes
{
    public int M => batch;
    public int N => sizes.Inputs;
    public int K => sizes.Units;
    public nint ARow => sizes.Units;
    public nint AStep => 1;
    public nint Ldb => sizes.Inputs;
}

/// <summary>Any product, sizes at run time (the tests drive every width through this).</summary>
internal readonly struct RuntimeProduct(int m, int n, int k, nint aRow, nint aStep, nint ldb) : IProductShape
{
    public int M => m;
    public int N => n;
    public int K => k;
    public nint ARow => aRow;
    public nint AStep => aStep;
    public nint Ldb => ldb;
}
