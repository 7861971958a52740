using System.Collections.Generic;
using System.Linq;

namespace NetGen.Benchmarks.Comparison;

/// <summary>One imported model at one batch size: NetGen's generated class and ONNX Runtime on the same file.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Description">What the network is (its sizes and operators).</param>
/// <param name="Batch">Samples a call.</param>
/// <param name="NetGenSeconds">NetGen's Forward, best round, seconds a call.</param>
/// <param name="OnnxRuntimeSeconds">ONNX Runtime's run, best round, seconds a call.</param>
/// <param name="NetGenBytesPerCall">What NetGen's calls allocated, bytes a call, over every timed round.</param>
/// <param name="LargestDifference">The largest |NetGen − ONNX Runtime| over every output of the checked batches.</param>
/// <param name="Agree">Whether that difference is within the comparison's tolerance of the outputs' scale.</param>
public sealed record OnnxImportRow(string Model, string Description, int Batch, double NetGenSeconds, double OnnxRuntimeSeconds, double NetGenBytesPerCall,
    double LargestDifference, bool Agree)
{
    /// <summary>ONNX Runtime's time ÷ NetGen's: above 1, the generated class is faster.</summary>
    public double Speedup => OnnxRuntimeSeconds / NetGenSeconds;
}

/// <summary>The imported-ONNX table of <c>compare</c> and its closing line.</summary>
public static class OnnxImportTable
{
    /// <summary>The closing line's key.</summary>
    public const string Key = "onnx-import-worst-speedup-vs-onnxruntime";

    /// <summary>The table: model, what it is, batch, both engines' times, the speed-up, NetGen's bytes a call, the check.</summary>
    public static string Format(IReadOnlyList<OnnxImportRow> rows)
    {
        var table = new TextTable(["model", "network", "batch", "NetGen (imported)", "ONNX Runtime, 1 thread", "speed-up", "NetGen allocated", "outputs"]);
        foreach (OnnxImportRow row in rows)
        {
            table.Add([row.Model, row.Description, row.Batch.ToString(), Comparison.Format.Time(row.NetGenSeconds), Comparison.Format.Time(row.OnnxRuntimeSeconds),
                Comparison.Format.Ratio(row.Speedup), Comparison.Format.Bytes(row.NetGenBytesPerCall), row.Agree ? $"agree ({row.LargestDifference:0.#E+0})" : $"DIFFER ({row.LargestDifference:0.#E+0})"]);
        }
        return table.ToString();
    }

    /// <summary>"onnx-import-worst-speedup-vs-onnxruntime: 1.8", the smallest speed-up; n/a when nothing ran or an output differed.</summary>
    public static string Line(IReadOnlyList<OnnxImportRow> rows) =>
        $"{Key}: {(rows.Count == 0 || rows.Any(r => !r.Agree) ? "n/a" : Summary.Number(rows.Min(r => r.Speedup)))}";
}
