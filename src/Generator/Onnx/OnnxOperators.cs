using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Onnx;

/// <summary>
/// The one table of ONNX operators the importer compiles: each row is the operator's name and what it becomes in NetGen
/// (the text docs/onnx.md lists and diagnostics name), and the builder's method that handles it. Operators not here are
/// NG0038; <see cref="Hints"/> says what to export instead for the ones users meet most.
/// </summary>
internal static class OnnxOperators
{
    public delegate void Handler(OnnxGraphBuilder builder, OnnxNode node);

    private sealed record Row(string OpType, string Becomes, Handler Handle);

    private static readonly Row[] s_rows =
    [
        new("Gemm", "Dense (transA = 0; alpha and beta folded into W and b)", static (b, n) => b.Gemm(n)),
        new("MatMul", "Dense without bias, the constant B transposed into W; an Add of a constant after it is its bias", static (b, n) => b.MatMul(n)),
        new("Conv", "Conv1D or Conv2D (square kernel, one stride, one padding on every side, dilation 1, group 1)", static (b, n) => b.Conv(n)),
        new("MaxPool", "MaxPool1D or MaxPool2D (square window, no padding, dilation 1, ceil_mode 0)", static (b, n) => b.Pool(n, max: true)),
        new("AveragePool", "AvgPool1D or AvgPool2D (square window, no padding, ceil_mode 0)", static (b, n) => b.Pool(n, max: false)),
        new("BatchNormalization", "BatchNorm (inference form; Momentum = 1 − momentum; running statistics from the file)", static (b, n) => b.BatchNormalization(n)),
        new("LayerNormalization", "LayerNorm over every value of a sample (opset 17)", static (b, n) => b.LayerNormalization(n)),
        new("ReduceMean", "LayerNorm, with the Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul and Add after it (LayerNorm's expansion at opset 13)", static (b, n) => b.ReduceMean(n)),
        new("Add", "Add of two computed tensors of one shape, or the bias of a MatMul", static (b, n) => b.Add(n)),
        new("Max", "Max of two computed tensors of one shape", static (b, n) => b.Max(n)),
        new("Relu", "the ReLU activation of the Dense or Conv before it, else an [Activation] node", static (b, n) => b.Activation(n)),
        new("LeakyRelu", "the LeakyReLU activation (Slope = alpha) of the Dense or Conv before it, else an [Activation] node", static (b, n) => b.Activation(n)),
        new("Sigmoid", "the Sigmoid activation of the Dense or Conv before it, else an [Activation] node", static (b, n) => b.Activation(n)),
        new("Tanh", "the Tanh activation of the Dense or Conv before it, else an [Activation] node", static (b, n) => b.Activation(n)),
        new("Softplus", "the Softplus activation of the Dense or Conv before it, else an [Activation] node", static (b, n) => b.Activation(n)),
        new("Softmax", "the Softmax activation of the Dense before it (last axis of a vector), else an [Activation] node", static (b, n) => b.Activation(n)),
        new("Mul", "by the constant 0.5 with only a Tanh reading it: tanh(x/2), the BipolarSigmoid activation (as NetGen exports it); also in LayerNorm's expansion", static (b, n) => b.Mul(n)),
        new("Flatten", "nothing (axis = 1): Dense reads its source flattened", static (b, n) => b.PassOn(n, flattens: true)),
        new("Dropout", "nothing: inference form, no mask output read", static (b, n) => b.PassOn(n, flattens: false)),
        new("Identity", "nothing", static (b, n) => b.PassOn(n, flattens: false)),
        new("Pad", "nothing when every pad is 0 (what AvgPool2d exports before AveragePool)", static (b, n) => b.Pad(n)),
        new("Constant", "a constant read by the nodes above (a bias, Pad's pads)", static (b, n) => b.Constant(n)),
    ];

    /// <summary>What to export instead, for operators that common models write and NetGen does not compile.</summary>
    public static IReadOnlyDictionary<string, string> Hints { get; } = new Dictionary<string, string>
    {
        ["Reshape"] = " (a reshape computed from the input's shape: flatten with torch.flatten(x, 1), which exports as Flatten)",
        ["Sub"] = " outside LayerNorm's expansion",
        ["Div"] = " outside LayerNorm's expansion",
        ["Elu"] = " (NetGen has no ELU activation)",
    };

    public static bool TryGet(string opType, out Handler? handler)
    {
        foreach (Row row in s_rows)
            if (row.OpType == opType)
            {
                handler = row.Handle;
                return true;
            }
        handler = null;
        return false;
    }

    /// <summary>The supported operators, for diagnostics: "Gemm, MatMul, Conv, …".</summary>
    public static string SupportedList { get; } = string.Join(", ", s_rows.Select(r => r.OpType));

    /// <summary>Each operator and what it becomes, for the documentation's table (a test keeps docs/onnx.md in step).</summary>
    public static IEnumerable<(string OpType, string Becomes)> Documentation => s_rows.Select(r => (r.OpType, r.Becomes));
}
