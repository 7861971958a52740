using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// A convolution's forward epilogue: rows of the product are output channels, so each row gets its channel's bias
/// (broadcast), z is kept when asked, and f runs over each finished tile while it is in L1, the bias and z with it; with
/// no f or ReLU (<see cref="IRegisterActivation"/>) all three are applied to each vector as it leaves the registers
/// (see <see cref="ForwardEpilogue{TActivation}"/>).
/// </summary>
internal ref struct ChannelEpilogue<TActivation>(ref float bias, bool hasBias, ref float z, bool keepZ, ref float y, nint rowLength) : IEpilogue
    where TActivation : IUnaryOperator
{
    private readonly ref float _bias = ref bias;
    private readonly ref float _z = ref z;
    private readonly ref float _y = ref y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store<TOps, TV>(TV sum, nint row, nint column) where TOps : IVectorOps<TV> where TV : struct
    {
        nint at = row * rowLength + column;
        // As in ForwardEpilogue: the tile stores its sums, and Finish's pass adds the bias, keeps z and applies f.
        if (typeof(TActivation) != typeof(IdentityOperator) && default(TActivation) is not IRegisterActivation)
        {
            TOps.Store(sum, ref _y, at);
            return;
        }
        if (hasBias)
            sum = TOps.Add(sum, TOps.Broadcast(Unsafe.Add(ref _bias, row)));
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
                ref Unsafe.Add(ref _bias, row), hasBias, biasPerRow: true, rows, vectors, rowLength);
        }
    }
}
