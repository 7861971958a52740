using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>The kernel tests' names for each width's code path, and the product run with one width as far as its vectors go.</summary>
internal static class WidthPaths
{
    public static readonly string[] All = ["512", "256", "128", "scalar"];

    /// <summary>The floats in a vector of the named width.</summary>
    public static int Lanes(string width) => width switch { "512" => 16, "256" => 8, "128" => 4, _ => 1 };

    /// <summary>The product with one width as far as its vectors go, the remaining columns scalar (what Gemm.Run does with one width accelerated).</summary>
    public static void Product<TShape, TEpilogue>(string width, ref float a, ref float b, TShape shape, ref TEpilogue epilogue)
        where TShape : struct, IProductShape where TEpilogue : struct, IEpilogue, allows ref struct
    {
        nint column = width switch
        {
            "512" => Gemm.Columns<V512, Vector512<float>, TShape, TEpilogue>(ref a, ref b, shape, 0, ref epilogue),
            "256" => Gemm.Columns<V256, Vector256<float>, TShape, TEpilogue>(ref a, ref b, shape, 0, ref epilogue),
            "128" => Gemm.Columns<V128, Vector128<float>, TShape, TEpilogue>(ref a, ref b, shape, 0, ref epilogue),
            _ => 0,
        };
        Gemm.Columns<Scalar, float, TShape, TEpilogue>(ref a, ref b, shape, column, ref epilogue);
    }
}
