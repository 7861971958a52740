using System;
using System.Globalization;
using System.IO;

namespace NetGen;

/// <summary>
/// Writes the loss curve as CSV while training runs: pass it (or a reporter that forwards to it) as the
/// <see cref="Trainer"/>'s progress. One header line, <c>epoch,training_loss,validation_loss</c>, then one line per
/// epoch with round-trip invariant-culture numbers (an empty field when there is no validation set).
/// Reports format into a stack buffer: the log itself allocates nothing per epoch.
/// </summary>
public sealed class CsvLossLog : IProgress<EpochReport>, IDisposable
{
    /// <summary>The first line of every log.</summary>
    public const string Header = "epoch,training_loss,validation_loss";

    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;

    /// <summary>Logs to <paramref name="writer"/>; <see cref="Dispose"/> flushes it and closes it only when <paramref name="leaveOpen"/> is false.</summary>
    public CsvLossLog(TextWriter writer, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = !leaveOpen;
        _writer.WriteLine(Header);
    }

    /// <summary>Logs to a new file at <paramref name="path"/> (its folder is created); dispose the log to close it.</summary>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, or the file system failed.</exception>
    public static CsvLossLog Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        // Opening a directory as a file fails with "Access to the path is denied", which sends a user to permissions.
        if (Directory.Exists(target))
            throw new IOException($"Cannot write the loss log to '{path}': it is a directory. Give the path of a file, such as '{Path.Combine(path, "loss.csv")}'.");
        string? folder = Path.GetDirectoryName(target);
        if (folder is not null)
            Directory.CreateDirectory(folder);
        return new CsvLossLog(new StreamWriter(path), leaveOpen: false);
    }

    /// <inheritdoc />
    public void Report(EpochReport value)
    {
        Span<char> line = stackalloc char[64];
        int length = 0;
        Append(line, ref length, value.Epoch);
        line[length++] = ',';
        Append(line, ref length, value.TrainingLoss);
        line[length++] = ',';
        if (value.ValidationLoss is float validation)
            Append(line, ref length, validation);
        _writer.WriteLine(line[..length]);
    }

    /// <summary>Flushes, and closes the writer if the log owns it.</summary>
    public void Dispose()
    {
        _writer.Flush();
        if (_ownsWriter)
            _writer.Dispose();
    }

    private static void Append<T>(Span<char> line, ref int length, T value) where T : ISpanFormattable
    {
        // "R" keeps every float exact; at most 15 characters for a float, 11 for an int.
        if (!value.TryFormat(line[length..], out int written, typeof(T) == typeof(float) ? "R" : default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("A CSV field did not fit its buffer.");
        length += written;
    }
}
