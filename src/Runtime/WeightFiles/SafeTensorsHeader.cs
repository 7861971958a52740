using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace NetGen;

/// <summary>
/// The validated header of a safetensors file. The format: an unsigned 64-bit little-endian header length N,
/// N bytes of UTF-8 JSON (an object that starts with <c>{</c>, may be padded with trailing spaces), then the data
/// buffer. Each key of the JSON object names a tensor, <c>{"dtype": "F32", "shape": [64, 1], "data_offsets": [begin, end]}</c>,
/// with offsets relative to the buffer's start; the optional key <c>__metadata__</c> maps strings to strings.
/// The tensors must tile the buffer: contiguous, without overlaps or holes, each exactly as long as its shape and
/// dtype say.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The largest header the reference implementation accepts (100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata, long dataStart, long dataLength)
    {
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
        DataLength = dataLength;
    }

    /// <summary>The tensors in the order of their data in the buffer.</summary>
    public IReadOnlyList<SafeTensorsEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> pairs (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Where the data buffer starts in the file: 8 + N.</summary>
    public long DataStart { get; }

    /// <summary>Bytes in the data buffer.</summary>
    public long DataLength { get; }

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public SafeTensorsEntry? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);

    /// <summary>Bytes per element of each dtype the format defines with whole bytes per element.</summary>
    public static int DTypeSize(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" or "C64" => 8,
        _ => 0,
    };

    /// <summary>Reads and validates the header of a whole file; throws <see cref="SafeTensorsException"/> naming the first problem.</summary>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
            throw new SafeTensorsException(
                $"The file is {file.Length} byte(s) long, too short for the 8-byte header length that starts a safetensors file (truncated?).");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        long available = file.Length - 8;
        if (headerLength > (ulong)available)
            throw new SafeTensorsException(
                $"The header length in the first 8 bytes is {headerLength}, past the end of the file: only {available} byte(s) follow it (truncated, or not a safetensors file?).");
        if (headerLength > MaxHeaderLength)
            throw new SafeTensorsException($"The header length is {headerLength} bytes, more than the format's limit of {MaxHeaderLength}.");
        if (headerLength == 0 || file[8] != (byte)'{')
            throw new SafeTensorsException("The header does not start with '{': a safetensors header is a JSON object.");

        ReadOnlySpan<byte> json = file.Slice(8, (int)headerLength);
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw new SafeTensorsException("The header is not valid UTF-8 text.");
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;
        var tensors = new List<SafeTensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            // Trailing whitespace (the format's padding) is valid after the JSON value.
            using JsonDocument document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false });
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafeTensorsException($"The header names '{property.Name}' twice; the format forbids duplicate keys.");
                if (property.Name == MetadataKey)
                    ReadMetadata(property.Value, metadata);
                else
                    tensors.Add(ReadEntry(property.Name, property.Value));
            }
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException($"The header is not valid JSON: {e.Message}", e);
        }

        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        CheckTiling(tensors, dataLength);
        return new SafeTensorsHeader(tensors, metadata, dataStart, dataLength);
    }

    /// <summary>Writes a shape like the format's JSON: <c>[64, 1]</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsException($"'{MetadataKey}' is a JSON {Kind(value)}; the format wants an object of strings.");
        foreach (JsonProperty pair in value.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
                throw new SafeTensorsException($"'{MetadataKey}.{pair.Name}' is a JSON {Kind(pair.Value)}; metadata values must be strings.");
            metadata[pair.Name] = pair.Value.GetString()!;
        }
    }

    private static SafeTensorsEntry ReadEntry(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsException($"Tensor '{name}' is described by a JSON {Kind(value)}; the format wants an object with dtype, shape and data_offsets.");

        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement))
            throw new SafeTensorsException($"Tensor '{name}' has no \"dtype\".");
        if (dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafeTensorsException($"Tensor '{name}' has a dtype that is a JSON {Kind(dtypeElement)}, not a string such as \"F32\".");
        string dtype = dtypeElement.GetString()!;
        int elementSize = DTypeSize(dtype);
        if (elementSize == 0)
            throw new SafeTensorsException(
                $"Tensor '{name}' has dtype \"{dtype}\", which is not a whole-byte safetensors dtype (BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, I64, U64, F64, C64).");

        if (!value.TryGetProperty("shape", out JsonElement shapeElement))
            throw new SafeTensorsException($"Tensor '{name}' has no \"shape\".");
        long[] shape = ReadIntegers(shapeElement, name, "shape");

        if (!value.TryGetProperty("data_offsets", out JsonElement offsetsElement))
            throw new SafeTensorsException($"Tensor '{name}' has no \"data_offsets\".");
        long[] offsets = ReadIntegers(offsetsElement, name, "data_offsets");
        if (offsets.Length != 2)
            throw new SafeTensorsException($"Tensor '{name}' has {offsets.Length} data_offsets; the format wants two: [begin, end].");
        if (offsets[1] < offsets[0])
            throw new SafeTensorsException($"Tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}]: the end comes before the begin.");

        long expectedBytes;
        try
        {
            long elements = 1;
            foreach (long dimension in shape)
                elements = checked(elements * dimension);
            expectedBytes = checked(elements * elementSize);
        }
        catch (OverflowException)
        {
            throw new SafeTensorsException($"Tensor '{name}' has shape {FormatShape(shape)}, too many elements to address.");
        }
        if (expectedBytes != offsets[1] - offsets[0])
            throw new SafeTensorsException(
                $"Tensor '{name}' is {dtype} with shape {FormatShape(shape)}, which takes {expectedBytes} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}.");
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement element, string name, string field)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsException($"Tensor '{name}' has a {field} that is a JSON {Kind(element)}, not an array of integers.");
        var values = new long[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                throw new SafeTensorsException($"Tensor '{name}' has {field}[{i}] = {item.GetRawText()}; it must be a non-negative integer.");
            values[i++] = v;
        }
        return values;
    }

    /// <summary>The tensors, sorted by offset, must cover [0, dataLength) exactly once.</summary>
    private static void CheckTiling(List<SafeTensorsEntry> sorted, long dataLength)
    {
        long position = 0;
        SafeTensorsEntry? previous = null;
        foreach (SafeTensorsEntry tensor in sorted)
        {
            if (tensor.End > dataLength)
                throw new SafeTensorsException(
                    $"Tensor '{tensor.Name}' has data_offsets [{tensor.Begin}, {tensor.End}), past the end of the data buffer, which holds {dataLength} byte(s) (truncated file?).");
            if (tensor.Begin < position)
                throw new SafeTensorsException(
                    $"Tensors '{previous!.Name}' (bytes [{previous.Begin}, {previous.End})) and '{tensor.Name}' (bytes [{tensor.Begin}, {tensor.End})) overlap.");
            if (tensor.Begin > position)
                throw new SafeTensorsException(
                    $"Bytes [{position}, {tensor.Begin}) of the data buffer belong to no tensor; the format wants the tensors to cover the buffer without holes.");
            position = tensor.End;
            previous = tensor;
        }
        if (position != dataLength)
            throw new SafeTensorsException(
                $"The data buffer holds {dataLength} bytes but its tensors end at byte {position}: {dataLength - position} byte(s) belong to no tensor.");
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
