using System;
using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Onnx;

/// <summary>
/// One .onnx file among the project's additional files, read and decoded: its graph, or why there is none. Equatable,
/// so that a file whose graph did not change stops the pipeline here.
/// </summary>
/// <param name="Path">The full path the compiler gives the additional file.</param>
/// <param name="Unreadable">Why the file could not be read (an I/O error), or null.</param>
/// <param name="NotOnnx">Why the bytes are not an ONNX model, or null.</param>
internal sealed record OnnxFile(string Path, OnnxGraph? Graph, string? Unreadable, string? NotOnnx)
{
    public static bool IsOnnx(AdditionalText text) => text.Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the file's bytes from its path. The compiler hands additional files to generators only as text
    /// (AdditionalText.GetText), decoded as UTF-8, and refuses binary content (a file with NUL pairs fails to decode:
    /// dotnet/roslyn #47292, #59209), so an ONNX file's bytes cannot come that way. The file is still required to be an
    /// additional file, so that the compiler knows the build depends on it and this step runs again when it is replaced.
    /// This is the one place the generator touches the file system.
    /// </summary>
    public static OnnxFile Read(AdditionalText text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] bytes;
        try
        {
#pragma warning disable RS1035 // File IO in an analyzer: the only way to get a binary additional file's bytes (see above).
            bytes = File.ReadAllBytes(text.Path);
#pragma warning restore RS1035
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or System.Security.SecurityException)
        {
            return new OnnxFile(text.Path, null, e.Message, null);
        }
        OnnxGraph? graph = OnnxReader.Read(bytes, out string? error);
        return new OnnxFile(text.Path, graph, null, error);
    }
}
