using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NetGen;

/// <summary>
/// Saves and loads any network's parameters in the safetensors format, the format PyTorch users share weights in.
/// Every parameter tensor is written as F32 under its <c>state_dict</c> name (<c>Hidden1.weight</c> with shape
/// [out, in], <c>Hidden1.bias</c> with shape [out]), so <c>safetensors.torch.load_file</c> followed by
/// <c>model.load_state_dict</c> reads a NetGen file, and a file saved by <c>safetensors.torch.save_file</c> loads here.
/// A network's state (<see cref="INetwork.StateTensors"/>: a batch normalisation's <c>running_mean</c> and
/// <c>running_var</c> as F32, its <c>num_batches_tracked</c> as an I64 scalar of shape [], as PyTorch writes its buffers)
/// is saved and loaded with the parameters; a file without it is an error unless
/// <see cref="SafeTensorsOptions.AllowMissingState"/> is set, as PyTorch's strict <c>load_state_dict</c>.
/// </summary>
/// <remarks>
/// Loading validates the whole file and its fit to the network before it changes anything: on any problem it throws a
/// <see cref="SafeTensorsException"/> naming it, and the parameters are left exactly as they were.
/// </remarks>
public static class SafeTensors
{
    /// <summary>
    /// Writes the parameters to <paramref name="path"/>, creating missing folders. The bytes go to a temporary file of a
    /// unique name in the same folder, are flushed to the disk, and that file is then renamed over
    /// <paramref name="path"/> in one step: readers and concurrent writers only ever see a whole old file or a whole new
    /// one, and a failed save (a full disk, a crash) leaves the previous file as it was and no temporary file behind.
    /// </summary>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, or the file system failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    /// <exception cref="InvalidOperationException">A parameter is NaN or infinite (see <see cref="SafeTensorsOptions.AllowNonFiniteValues"/>).</exception>
    public static void Save(INetwork network, string path, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.ThrowIfDirectory(path, "weights", "model.safetensors");
        byte[] bytes = Serialize(network, options);
        AtomicFile.Write(path, bytes, "weights", "model.safetensors");
    }

    /// <summary>Writes the parameters to <paramref name="stream"/>.</summary>
    public static void Save(INetwork network, Stream stream, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(network, options));
    }

    /// <summary>The bytes of a safetensors file holding the parameters and the state.</summary>
    public static byte[] Serialize(INetwork network, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<ParameterTensor> tensors = network.ParameterTensors;
        IReadOnlyList<StateTensor> states = network.StateTensors;
        (string[] fileNames, string[] stateNames) = FileNames(network, options);
        if (!(options?.AllowNonFiniteValues ?? false))
        {
            int bad = Finite.IndexOfNonFinite(network.Parameters);
            if (bad >= 0)
                throw new InvalidOperationException(
                    $"The network's {ParameterIndex.Describe(tensors, bad)} is {Finite.Describe(network.Parameters[bad])}: a weight file of it would make every output NaN. " +
                    "Set SafeTensorsOptions.AllowNonFiniteValues to save it anyway.");
            bad = Finite.IndexOfNonFinite(network.State);
            if (bad >= 0)
                throw new InvalidOperationException(
                    $"The network's state {DescribeState(states, bad)} is {Finite.Describe(network.State[bad])}: a file of it would make every output NaN. " +
                    "Set SafeTensorsOptions.AllowNonFiniteValues to save it anyway.");
        }

        var json = new ArrayBufferWriter<byte>();
        long offset = 0;
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            writer.WriteString("format", "pt"); // what safetensors.torch writes; loaders that check the framework expect it
            foreach (var (key, value) in options?.Metadata ?? new Dictionary<string, string>())
            {
                if (key != "format")
                    writer.WriteString(key, value);
            }
            writer.WriteEndObject();
            for (int i = 0; i < tensors.Count; i++)
                WriteEntry(writer, fileNames[i], "F32", tensors[i].Shape, ref offset, 4L * tensors[i].Length);
            for (int i = 0; i < states.Count; i++)
                WriteEntry(writer, stateNames[i], states[i].IsCount ? "I64" : "F32", states[i].Shape, ref offset, (states[i].IsCount ? 8L : 4L) * states[i].Length);
            writer.WriteEndObject();
        }

        // The header is padded with spaces so that the data buffer starts at a multiple of 8 bytes.
        int headerLength = (json.WrittenCount + 7) / 8 * 8;
        var file = new byte[8 + headerLength + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        json.WrittenSpan.CopyTo(file.AsSpan(8));
        file.AsSpan(8 + json.WrittenCount, headerLength - json.WrittenCount).Fill((byte)' ');

        Span<byte> data = file.AsSpan(8 + headerLength);
        ReadOnlySpan<float> parameters = network.Parameters;
        int position = 0;
        foreach (ParameterTensor tensor in tensors)
            WriteFloats(data, ref position, parameters.Slice(tensor.Offset, tensor.Length));
        ReadOnlySpan<float> state = network.State;
        ReadOnlySpan<long> counts = network.StateCounts;
        foreach (StateTensor tensor in states)
        {
            if (!tensor.IsCount)
            {
                WriteFloats(data, ref position, state.Slice(tensor.Offset, tensor.Length));
                continue;
            }
            foreach (long value in counts.Slice(tensor.Offset, tensor.Length))
            {
                BinaryPrimitives.WriteInt64LittleEndian(data.Slice(position), value);
                position += 8;
            }
        }
        return file;
    }

    private static void WriteEntry(Utf8JsonWriter writer, string name, string dtype, TensorShape shape, ref long offset, long bytes)
    {
        writer.WriteStartObject(name);
        writer.WriteString("dtype", dtype);
        writer.WriteStartArray("shape");
        for (int d = 0; d < shape.Rank; d++)
            writer.WriteNumberValue(shape[d]);
        writer.WriteEndArray();
        writer.WriteStartArray("data_offsets");
        writer.WriteNumberValue(offset);
        offset += bytes;
        writer.WriteNumberValue(offset);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFloats(Span<byte> data, ref int position, ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.Slice(position), value);
            position += 4;
        }
    }

    /// <summary>Loads the parameters from <paramref name="path"/>; on any problem nothing is changed.</summary>
    /// <exception cref="SafeTensorsException">The file is malformed, does not fit the network, or holds a NaN or an infinity (see <see cref="SafeTensorsOptions.AllowNonFiniteValues"/>).</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, or the file system failed.</exception>
    public static void Load(INetwork network, string path, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new IOException($"Cannot load weights from '{path}': it is a directory, not a safetensors file.");
        byte[] file = File.ReadAllBytes(path);
        try
        {
            Load(network, file, options);
        }
        catch (SafeTensorsException e)
        {
            throw new SafeTensorsException($"{path}: {e.Message}", e.InnerException);
        }
    }

    /// <summary>Loads the parameters from the rest of <paramref name="stream"/>; on any problem nothing is changed.</summary>
    public static void Load(INetwork network, Stream stream, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Load(network, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
    }

    /// <summary>Loads the parameters and the state from the bytes of a whole file; on any problem nothing is changed.</summary>
    public static void Load(INetwork network, ReadOnlySpan<byte> file, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        (string[] fileNames, string[] stateNames) = FileNames(network, options);
        SafeTensorsHeader header = SafeTensorsHeader.Parse(file);
        ReadOnlySpan<byte> data = file.Slice((int)header.DataStart);
        bool allowNonFinite = options?.AllowNonFiniteValues ?? false;

        // Everything is read into scratch copies first: the network changes only once the whole file has passed.
        var loaded = new float[network.ParameterCount];
        var used = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<ParameterTensor> tensors = network.ParameterTensors;
        for (int i = 0; i < tensors.Count; i++)
        {
            ParameterTensor tensor = tensors[i];
            string name = fileNames[i];
            SafeTensorsEntry entry = header.Find(name) ?? throw new SafeTensorsException(
                $"The file has no tensor '{name}'{(name == tensor.Name ? "" : $" (the network's {tensor.Name})")}, which the network needs with shape {SafeTensorsHeader.FormatShape(Shape(tensor.Shape))}. " +
                $"The file holds: {Describe(header.Tensors.Select(t => t.Name))}. Map names with SafeTensorsOptions.TensorNames.");
            if (entry.DType != "F32")
                throw new SafeTensorsException(
                    $"Tensor '{name}' has dtype {entry.DType}; NetGen's parameters are F32. Convert it before saving (in PyTorch: tensor.float()).");
            CheckShape(entry, name, tensor.Name, tensor.Shape);
            Span<float> destination = loaded.AsSpan(tensor.Offset, tensor.Length);
            ReadFloats(data.Slice((int)entry.Begin, (int)entry.ByteLength), destination);
            int bad = allowNonFinite ? -1 : Finite.IndexOfNonFinite(destination);
            if (bad >= 0)
                throw new SafeTensorsException(
                    $"Tensor '{name}' holds {Finite.Describe(destination[bad])} at {ParameterIndex.Element(tensor, bad)}: non-finite weights make every output NaN. " +
                    "Set SafeTensorsOptions.AllowNonFiniteValues to load it anyway.");
            used.Add(name);
        }

        // State starts as the network's own, so that a tensor the file lacks (with AllowMissingState) stays as it is.
        float[] loadedState = network.State.ToArray();
        long[] loadedCounts = network.StateCounts.ToArray();
        IReadOnlyList<StateTensor> states = network.StateTensors;
        for (int i = 0; i < states.Count; i++)
        {
            StateTensor tensor = states[i];
            string name = stateNames[i];
            if (header.Find(name) is not SafeTensorsEntry entry)
            {
                if (options?.AllowMissingState ?? false)
                    continue;
                throw new SafeTensorsException(
                    $"The file has no state tensor '{name}'{(name == tensor.Name ? "" : $" (the network's {tensor.Name})")}, {DescribeStateKind(tensor)}, which the network needs with shape {tensor.Shape}. " +
                    "PyTorch's strict load_state_dict would refuse it too. Set SafeTensorsOptions.AllowMissingState to keep the network's own state for the tensors a file lacks " +
                    "(a fresh network's running statistics are mean 0 and variance 1).");
            }
            string dtype = tensor.IsCount ? "I64" : "F32";
            if (entry.DType != dtype)
                throw new SafeTensorsException(tensor.IsCount
                    ? $"State tensor '{name}' has dtype {entry.DType}; {DescribeStateKind(tensor)} is I64, as PyTorch writes num_batches_tracked."
                    : $"State tensor '{name}' has dtype {entry.DType}; {DescribeStateKind(tensor)} is F32. Convert it before saving (in PyTorch: model.float()).");
            CheckShape(entry, name, tensor.Name, tensor.Shape);
            ReadOnlySpan<byte> bytes = data.Slice((int)entry.Begin, (int)entry.ByteLength);
            if (tensor.IsCount)
            {
                for (int j = 0; j < tensor.Length; j++)
                {
                    long count = BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(8 * j));
                    if (count < 0)
                        throw new SafeTensorsException($"State tensor '{name}' holds {count}: {DescribeStateKind(tensor)} counts batches, and is never negative.");
                    loadedCounts[tensor.Offset + j] = count;
                }
            }
            else
            {
                Span<float> destination = loadedState.AsSpan(tensor.Offset, tensor.Length);
                ReadFloats(bytes, destination);
                int bad = allowNonFinite ? -1 : Finite.IndexOfNonFinite(destination);
                if (bad >= 0)
                    throw new SafeTensorsException(
                        $"State tensor '{name}' holds {Finite.Describe(destination[bad])} at {tensor.Shape.Element(bad)}: a non-finite running statistic makes every output NaN. " +
                        "Set SafeTensorsOptions.AllowNonFiniteValues to load it anyway.");
                if (tensor.Kind == StateKind.RunningVariance)
                {
                    for (int j = 0; j < destination.Length; j++)
                        if (destination[j] < 0f)
                            throw new SafeTensorsException(
                                $"State tensor '{name}' holds {destination[j]} at {tensor.Shape.Element(j)}: a variance is never negative, and √(variance + ε) of it would be NaN.");
                }
            }
            used.Add(name);
        }

        if (!(options?.IgnoreUnusedTensors ?? false))
        {
            string[] unused = header.Tensors.Select(t => t.Name).Where(n => !used.Contains(n)).ToArray();
            if (unused.Length > 0)
                throw new SafeTensorsException(
                    $"The file has tensor(s) the network does not use: {Describe(unused)}. Map names with SafeTensorsOptions.TensorNames, " +
                    "or set IgnoreUnusedTensors to skip them.");
        }
        loaded.CopyTo(network.Parameters);
        loadedState.CopyTo(network.State);
        loadedCounts.CopyTo(network.StateCounts);
    }

    private static void CheckShape(SafeTensorsEntry entry, string name, string networkName, TensorShape shape)
    {
        long[] expected = Shape(shape);
        if (!entry.Shape.SequenceEqual(expected))
            throw new SafeTensorsException(
                $"Tensor '{name}' has shape {entry.ShapeText}; the network's {networkName} needs {SafeTensorsHeader.FormatShape(expected)}.");
    }

    private static void ReadFloats(ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        for (int j = 0; j < destination.Length; j++)
            destination[j] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * j));
    }

    private static string DescribeStateKind(StateTensor tensor) => tensor.Kind switch
    {
        StateKind.RunningMean => $"the running mean of {tensor.Node}",
        StateKind.RunningVariance => $"the running variance of {tensor.Node}",
        _ => $"the count of training batches {tensor.Node} has seen",
    };

    /// <summary>"Norm.running_var[2]": the state tensor and element that index <paramref name="index"/> of the float state falls in.</summary>
    private static string DescribeState(IReadOnlyList<StateTensor> states, int index)
    {
        foreach (StateTensor tensor in states)
            if (!tensor.IsCount && index >= tensor.Offset && index < tensor.Offset + tensor.Length)
                return tensor.Name + tensor.Shape.Element(index - tensor.Offset);
        return $"value {index}";
    }

    /// <summary>PyTorch's shape of the tensor, as the file's header writes it ([] for a scalar).</summary>
    private static long[] Shape(TensorShape shape) => Array.ConvertAll(shape.ToArray(), d => (long)d);

    /// <summary>
    /// The name in the file of each parameter tensor and of each state tensor, after <see cref="SafeTensorsOptions.TensorNames"/>;
    /// checks the mapping.
    /// </summary>
    private static (string[] Parameters, string[] State) FileNames(INetwork network, SafeTensorsOptions? options)
    {
        string[] own = network.ParameterTensors.Select(t => t.Name).Concat(network.StateTensors.Select(t => t.Name)).ToArray();
        IReadOnlyDictionary<string, string>? map = options?.TensorNames;
        if (map is not null)
        {
            string[] unknown = map.Keys.Where(key => !own.Contains(key, StringComparer.Ordinal)).ToArray();
            if (unknown.Length > 0)
                throw new ArgumentException(
                    $"TensorNames maps {Describe(unknown)}, which the network does not have. Its tensors: {Describe(own)}.", nameof(options));
        }
        var names = new string[own.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = map is not null && map.TryGetValue(own[i], out string? mapped) ? mapped : own[i];
            if (string.IsNullOrEmpty(names[i]) || names[i] == "__metadata__")
                throw new ArgumentException($"'{names[i]}' cannot name a tensor (the network's {own[i]}).", nameof(options));
        }
        string[] duplicates = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
            throw new ArgumentException($"TensorNames gives two tensors the same file name: {Describe(duplicates)}.", nameof(options));
        int parameters = network.ParameterTensors.Count;
        return (names[..parameters], names[parameters..]);
    }

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
