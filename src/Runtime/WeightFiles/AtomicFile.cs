using System;
using System.IO;

namespace NetGen;

/// <summary>
/// How NetGen writes a file (weights, ONNX models): missing folders created, the bytes written to a hidden temporary file
/// of a unique name in the same folder and flushed to the disk, which is then renamed over the target in one step, so
/// that readers and concurrent writers only ever see a whole old file or a whole new one, and a failed save (a full disk,
/// a crash) leaves the previous file as it was and no temporary file behind.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>; <paramref name="what"/> ("weights") and <paramref name="example"/> ("model.safetensors") word the errors.</summary>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, a folder on its way is a file, or the file system failed.</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes, string what, string example)
    {
        string target = Path.GetFullPath(path);
        if (Directory.Exists(target))
            throw IsDirectory(path, what, example, null);
        string folder = Path.GetDirectoryName(target)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot save {what} to '{path}': its folder '{folder}' cannot be created ({e.Message}). Is a file in the way?", e);
        }
        // Hidden, unique per save, in the target's folder: a rename within one file system is atomic.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true); // the data is on the disk before the name points at it
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            if (Directory.Exists(target))
                throw IsDirectory(path, what, example, e);
            throw;
        }
    }

    /// <summary>The directory check alone, for callers that check the path before they serialise.</summary>
    public static void ThrowIfDirectory(string path, string what, string example)
    {
        if (Directory.Exists(Path.GetFullPath(path)))
            throw IsDirectory(path, what, example, null);
    }

    private static IOException IsDirectory(string path, string what, string example, Exception? inner) =>
        new($"Cannot save {what} to '{path}': it is a directory. Give the path of a file, such as '{Path.Combine(path, example)}'.", inner);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the original error is the one to report.
        }
    }
}
