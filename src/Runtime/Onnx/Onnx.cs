using System;
using System.IO;

namespace NetGen;

/// <summary>
/// ONNX models of networks: <see cref="Save(INetwork, string)"/> writes a network's graph (<see cref="INetwork.Graph"/>)
/// and its weights as an ONNX model that ONNX Runtime, PyTorch's and ONNX's tools read, at opset <see cref="Opset"/>.
/// Each node becomes the ONNX operators that compute what NetGen computes in evaluation (<c>Forward</c>): a dense layer
/// a Gemm with PyTorch's [out, in] weight, a convolution a Conv, batch normalisation a BatchNormalization with the
/// running statistics, dropout an Identity; the activations follow as their own operators. Initializers carry the
/// network's tensor names (<c>C1.weight</c>), the input and output are named after their nodes, and the batch dimension
/// is symbolic ("batch"), so one file serves any batch size. docs/onnx.md lists the operators per kind.
/// </summary>
public static class Onnx
{
    /// <summary>The opset of the default ONNX domain the models import: 17, the newest ONNX 1.12's checker knows and the first with LayerNormalization.</summary>
    public const int Opset = (int)OnnxProto.OpsetVersion;

    /// <summary>The ONNX IR version of the models: 8 (ONNX 1.10 and later read it).</summary>
    public const int IrVersion = (int)OnnxProto.IrVersion;

    /// <summary>The name of the batch dimension of the model's input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>
    /// Writes <paramref name="network"/>'s graph and weights to <paramref name="path"/> as an ONNX model, as
    /// <see cref="SafeTensors.Save(INetwork, string, SafeTensorsOptions?)"/> writes a file: missing folders are created,
    /// and the bytes go to a temporary file that is renamed over <paramref name="path"/> in one step. The network is
    /// only read.
    /// </summary>
    /// <exception cref="ArgumentException">The network has no graph, or nothing to export (its output is its input), or its graph does not fit its sizes and buffers.</exception>
    /// <exception cref="InvalidOperationException">A parameter or running statistic is NaN or infinite.</exception>
    /// <exception cref="NotSupportedException">The graph has a node the exporter cannot write; no file is written.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, a folder on its way is a file, or the file system failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static void Save(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.ThrowIfDirectory(path, "the ONNX model", "model.onnx");
        byte[] bytes = Serialize(network);
        AtomicFile.Write(path, bytes, "the ONNX model", "model.onnx");
    }

    /// <summary>Writes <paramref name="network"/>'s graph and weights to <paramref name="stream"/> as an ONNX model; the exceptions are <see cref="Save(INetwork, string)"/>'s, and nothing is written on any of them.</summary>
    public static void Save(INetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(network));
    }

    /// <summary>The bytes of the ONNX model of <paramref name="network"/> (what <see cref="Save(INetwork, string)"/> writes), e.g. for ONNX Runtime's <c>InferenceSession(byte[])</c>.</summary>
    public static byte[] Serialize(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return OnnxExport.Write(network);
    }
}
