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
/// </summary>
/// <remarks>
/// Loading validates the whole file and its fit to the network before it changes anything: on any problem it throws a
/// <see cref="SafeTensorsException"/> naming it, and the parameters are left exactly as they were.
/// </remarks>
public static class SafeTensors
{
    /// <summary>Writes the parameters to <paramref name="path"/> (through a temporary file, so a failed save never leaves half a file).</summary>
    public static void Save(INetwork network, string path, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Serialize(network, options);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes the parameters to <paramref name="stream"/>.</summary>
    public static void Save(INetwork network, Stream stream, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(network, options));
    }

    /// <summary>The bytes of a safetensors file holding the parameters.</summary>
    public static byte[] Serialize(INetwork network, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<ParameterTensor> tensors = network.ParameterTensors;
        string[] fileNames = FileNames(network, options);

        var json = new ArrayBufferWriter<byte>();
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
            long offset = 0;
            for (int i = 0; i < tensors.Count; i++)
            {
                writer.WriteStartObject(fileNames[i]);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (long dimension in Shape(tensors[i]))
                    writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += 4L * tensors[i].Length;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }

        // The header is padded with spaces so that the data buffer starts at a multiple of 8 bytes.
        int headerLength = (json.WrittenCount + 7) / 8 * 8;
        int dataLength = 4 * tensors.Sum(t => t.Length);
        var file = new byte[8 + headerLength + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        json.WrittenSpan.CopyTo(file.AsSpan(8));
        file.AsSpan(8 + json.WrittenCount, headerLength - json.WrittenCount).Fill((byte)' ');

        Span<byte> data = file.AsSpan(8 + headerLength);
        ReadOnlySpan<float> parameters = network.Parameters;
        int position = 0;
        foreach (ParameterTensor tensor in tensors)
        {
            foreach (float value in parameters.Slice(tensor.Offset, tensor.Length))
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.Slice(position), value);
                position += 4;
            }
        }
        return file;
    }

    /// <summary>Loads the parameters from <paramref name="path"/>; on any problem nothing is changed.</summary>
    public static void Load(INetwork network, string path, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
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

    /// <summary>Loads the parameters from the bytes of a whole file; on any problem nothing is changed.</summary>
    public static void Load(INetwork network, ReadOnlySpan<byte> file, SafeTensorsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        string[] fileNames = FileNames(network, options);
        SafeTensorsHeader header = SafeTensorsHeader.Parse(file);
        ReadOnlySpan<byte> data = file.Slice((int)header.DataStart);

        // Everything is read into a scratch copy first: the network changes only once the whole file has passed.
        var loaded = new float[network.ParameterCount];
        var used = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<ParameterTensor> tensors = network.ParameterTensors;
        for (int i = 0; i < tensors.Count; i++)
        {
            ParameterTensor tensor = tensors[i];
            string name = fileNames[i];
            SafeTensorsEntry entry = header.Find(name) ?? throw new SafeTensorsException(
                $"The file has no tensor '{name}'{(name == tensor.Name ? "" : $" (the network's {tensor.Name})")}, which the network needs with shape {SafeTensorsHeader.FormatShape(Shape(tensor))}. " +
                $"The file holds: {Describe(header.Tensors.Select(t => t.Name))}. Map names with SafeTensorsOptions.TensorNames.");
            if (entry.DType != "F32")
                throw new SafeTensorsException(
                    $"Tensor '{name}' has dtype {entry.DType}; NetGen's parameters are F32. Convert it before saving (in PyTorch: tensor.float()).");
            long[] expected = Shape(tensor);
            if (!entry.Shape.SequenceEqual(expected))
                throw new SafeTensorsException(
                    $"Tensor '{name}' has shape {entry.ShapeText}; the network's {tensor.Name} needs {SafeTensorsHeader.FormatShape(expected)}.");
            ReadOnlySpan<byte> bytes = data.Slice((int)entry.Begin, (int)entry.ByteLength);
            Span<float> destination = loaded.AsSpan(tensor.Offset, tensor.Length);
            for (int j = 0; j < destination.Length; j++)
                destination[j] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * j));
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
    }

    /// <summary>PyTorch's shapes: a weight is [out, in], a bias [out].</summary>
    private static long[] Shape(ParameterTensor tensor) =>
        tensor.Kind == ParameterKind.Weight ? [tensor.FanOut, tensor.FanIn] : [tensor.FanOut];

    /// <summary>The name of each parameter tensor in the file, after <see cref="SafeTensorsOptions.TensorNames"/>; checks the mapping.</summary>
    private static string[] FileNames(INetwork network, SafeTensorsOptions? options)
    {
        IReadOnlyList<ParameterTensor> tensors = network.ParameterTensors;
        IReadOnlyDictionary<string, string>? map = options?.TensorNames;
        if (map is not null)
        {
            string[] unknown = map.Keys.Where(key => !tensors.Any(t => t.Name == key)).ToArray();
            if (unknown.Length > 0)
                throw new ArgumentException(
                    $"TensorNames maps {Describe(unknown)}, which the network does not have. Its tensors: {Describe(tensors.Select(t => t.Name))}.", nameof(options));
        }
        var names = new string[tensors.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = map is not null && map.TryGetValue(tensors[i].Name, out string? mapped) ? mapped : tensors[i].Name;
            if (string.IsNullOrEmpty(names[i]) || names[i] == "__metadata__")
                throw new ArgumentException($"'{names[i]}' cannot name a tensor (the network's {tensors[i].Name}).", nameof(options));
        }
        string[] duplicates = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
            throw new ArgumentException($"TensorNames gives two parameter tensors the same file name: {Describe(duplicates)}.", nameof(options));
        return names;
    }

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
