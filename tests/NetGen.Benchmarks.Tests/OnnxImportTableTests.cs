using System;
using NetGen.Benchmarks.Comparison;
using Xunit;

namespace NetGen.Benchmarks.Tests;

/// <summary>The imported-ONNX table of <c>compare</c> and its closing line: which figure the line takes, and how both print.</summary>
public class OnnxImportTableTests
{
    private static OnnxImportRow Row(string model, int batch, double netgen, double onnxRuntime, bool agree = true) =>
        new(model, "a → b", batch, netgen, onnxRuntime, 0, agree ? 1e-7 : 0.5, agree);

    [Fact]
    public void Line_IsTheSmallestSpeedupOverEveryModelAndBatch()
    {
        OnnxImportRow[] rows = [Row("dense", 1, 0.2e-6, 2e-6), Row("dense", 128, 4e-6, 5e-6), Row("cnn", 128, 200e-6, 180e-6)];
        Assert.Equal("onnx-import-worst-speedup-vs-onnxruntime: 0.9", OnnxImportTable.Line(rows));
    }

    [Fact]
    public void Line_WithNothingMeasured_IsNotAvailable()
    {
        Assert.Equal("onnx-import-worst-speedup-vs-onnxruntime: n/a", OnnxImportTable.Line([]));
    }

    [Fact]
    public void Line_WhenAnOutputDiffers_IsNotAvailable()
    {
        // A speed-up over a model that computes something else is no figure at all.
        Assert.Equal("onnx-import-worst-speedup-vs-onnxruntime: n/a", OnnxImportTable.Line([Row("dense", 1, 1e-6, 2e-6), Row("cnn", 1, 1e-6, 3e-6, agree: false)]));
    }

    [Fact]
    public void Table_SaysBothTimes_TheSpeedup_TheBytes_AndTheCheck()
    {
        string[] lines = OnnxImportTable.Format([Row("dense", 1, 0.2e-6, 2e-6), Row("cnn", 128, 200e-6, 180e-6, agree: false)]).TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^model\s+network\s+batch\s+NetGen \(imported\)\s+ONNX Runtime, 1 thread\s+speed-up\s+NetGen allocated\s+outputs$", lines[0]);
        Assert.Matches(@"^dense\s+a → b\s+1\s+200 ns\s+2 µs\s+10×\s+0 B\s+agree \(1E-7\)$", lines[1]);
        Assert.Matches(@"^cnn\s+a → b\s+128\s+200 µs\s+180 µs\s+0\.9×\s+0 B\s+DIFFER \(5E-1\)$", lines[2]);
    }
}
