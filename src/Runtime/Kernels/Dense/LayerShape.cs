using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// A dense layer's sizes as compile-time constants. The generator emits one small struct per layer implementing this,
/// and passes it as a type argument to the <see cref="Dense"/> kernels: the JIT compiles one copy of each kernel per
/// layer, with every size, stride, tail length and vector-width test folded to a constant.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILayerShape
{
    /// <summary>Values per input sample (the fan-in, W's columns).</summary>
    static abstract int Inputs { get; }

    /// <summary>Units of the layer (W's rows, values per output sample).</summary>
    static abstract int Units { get; }
}

/// <summary>
/// The sizes a kernel reads, as an instance of a struct type parameter: <see cref="ConstantSizes{TShape}"/> returns
/// constants (so its specialised code has no size variables), <see cref="RuntimeSizes"/> returns fields (for tools,
/// tests and the run-time-sized entry points). One kernel body serves both.
/// </summary>
internal interface ILayerSizes
{
    int Inputs { get; }
    int Units { get; }
}

internal readonly struct ConstantSizes<TShape> : ILayerSizes where TShape : ILayerShape
{
    public int Inputs => TShape.Inputs;
    public int Units => TShape.Units;
}

internal readonly struct RuntimeSizes(int inputs, int units) : ILayerSizes
{
    public int Inputs { get; } = inputs;
    public int Units { get; } = units;
}
