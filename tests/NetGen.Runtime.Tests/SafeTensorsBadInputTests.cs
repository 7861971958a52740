using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Xunit;
using Xunit.Abstractions;
using static NetGen.Runtime.Tests.SafeTensorsFiles;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Every kind of bad file gets a <see cref="SafeTensorsException"/> that names the problem, and the network's
/// parameters stay exactly as they were: loading is all or nothing.
/// </summary>
public class SafeTensorsBadInputTests(ITestOutputHelper output)
{
    private static readonly float[] s_before = [9f, 8f, 7f, 6f, 5f, 4f, 3f, 2f, 1f, 0f, -1f, -2f, -3f];

    /// <summary>Case name → (file bytes, a fragment the message must contain).</summary>
    private static readonly Dictionary<string, (Func<byte[]> File, string Message)> s_cases = new()
    {
        ["empty file"] = (() => [], "0 byte(s) long, too short for the 8-byte header length"),
        ["truncated inside the header length"] = (() => Fixture("tiny-netgen.safetensors")[..5], "5 byte(s) long, too short"),
        ["header length past the end"] = (() => WithHeaderLength(Fixture("tiny-netgen.safetensors"), 1000), "header length in the first 8 bytes is 1000, past the end of the file: only 356 byte(s) follow"),
        ["header length of 2^64 − 1"] = (() => WithHeaderLength(Fixture("tiny-netgen.safetensors"), ulong.MaxValue), "is 18446744073709551615, past the end of the file"),
        ["truncated data"] = (() => Fixture("tiny-netgen.safetensors")[..^4], "Tensor 'Output.bias' has data_offsets [48, 52), past the end of the data buffer, which holds 48 byte(s)"),
        ["truncated inside the header"] = (() => Fixture("tiny-netgen.safetensors")[..100], "past the end of the file: only 92 byte(s) follow"),
        ["header not an object"] = (() => Build("[1, 2]", TinyData), "does not start with '{'"),
        ["malformed JSON"] = (() => Build(TinyHeader()[..^1], TinyData), "The header is not valid JSON"),
        ["trailing garbage after the JSON"] = (() => Build(TinyHeader() + " x", TinyData), "The header is not valid JSON"),
        ["invalid UTF-8 in the header"] = (() => WithHeaderByte(Build(TinyHeader(), TinyData), 3, 0xFF), "The header is not valid UTF-8"),
        ["duplicate tensor name"] = (() => Build(TinyHeader()[..^1] + ",\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[52,56]}}", [.. TinyData, .. F32(1f)]), "names 'Output.bias' twice"),
        ["overlapping offsets"] = (() => Build(TinyHeader("Hidden.bias", "\"Hidden.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[20,32]}"), TinyData), "Tensors 'Hidden.weight' (bytes [0, 24)) and 'Hidden.bias' (bytes [20, 32)) overlap"),
        ["hole between tensors"] = (() => Build(TinyHeader("Hidden.bias", "\"Hidden.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[28,40]}"), [.. TinyData, .. F32(0f)]), "Bytes [24, 28) of the data buffer belong to no tensor"),
        ["offsets out of range"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[52,56]}"), TinyData[..48]), "Tensor 'Output.bias' has data_offsets [52, 56), past the end of the data buffer, which holds 48 byte(s)"),
        ["offsets past the buffer"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[48,52]}"), TinyData[..50]), "past the end of the data buffer, which holds 50 byte(s)"),
        ["bytes after the last tensor"] = (() => Build(TinyHeader(), [.. TinyData, .. F32(0f)]), "holds 56 bytes but its tensors end at byte 52: 4 byte(s) belong to no tensor"),
        ["end before begin"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[52,48]}"), TinyData), "data_offsets [52, 48]: the end comes before the begin"),
        ["three offsets"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[48,52,56]}"), TinyData), "has 3 data_offsets; the format wants two"),
        ["negative offset"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,52]}"), TinyData), "data_offsets[0] = -4; it must be a non-negative integer"),
        ["offsets missing"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F32\",\"shape\":[1]}"), TinyData), "Tensor 'Output.bias' has no \"data_offsets\""),
        ["size disagrees with shape"] = (() => Build(TinyHeader("Hidden.weight", "\"Hidden.weight\":{\"dtype\":\"F32\",\"shape\":[3,3],\"data_offsets\":[0,24]}"), TinyData), "is F32 with shape [3, 3], which takes 36 bytes, but its data_offsets [0, 24] span 24"),
        ["wrong dtype"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[48,52]}"), TinyData), "Tensor 'Output.bias' has dtype F16; NetGen's parameters are F32"),
        ["unknown dtype"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[48,52]}"), TinyData), "has dtype \"F33\", which is not a whole-byte safetensors dtype"),
        ["dtype missing"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":{\"shape\":[1],\"data_offsets\":[48,52]}"), TinyData), "Tensor 'Output.bias' has no \"dtype\""),
        ["shape missing"] = (() => Build(TinyHeader("Hidden.bias", "\"Hidden.bias\":{\"dtype\":\"F32\",\"data_offsets\":[24,36]}"), TinyData), "Tensor 'Hidden.bias' has no \"shape\""),
        ["shape not an array"] = (() => Build(TinyHeader("Hidden.bias", "\"Hidden.bias\":{\"dtype\":\"F32\",\"shape\":3,\"data_offsets\":[24,36]}"), TinyData), "has a shape that is a JSON number, not an array of integers"),
        ["fractional dimension"] = (() => Build(TinyHeader("Hidden.bias", "\"Hidden.bias\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[24,36]}"), TinyData), "shape[0] = 1.5; it must be a non-negative integer"),
        ["shape overflow"] = (() => Build(TinyHeader("Hidden.bias", "\"Hidden.bias\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[24,36]}"), TinyData), "too many elements to address"),
        ["wrong shape (transposed weight)"] = (() => Build(TinyHeader("Hidden.weight", "\"Hidden.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), TinyData), "Tensor 'Hidden.weight' has shape [2, 3]; the network's Hidden.weight needs [3, 2]"),
        ["wrong shape (bias as a column)"] = (() => Build(TinyHeader("Hidden.bias", "\"Hidden.bias\":{\"dtype\":\"F32\",\"shape\":[3,1],\"data_offsets\":[24,36]}"), TinyData), "Tensor 'Hidden.bias' has shape [3, 1]; the network's Hidden.bias needs [3]"),
        ["missing tensor"] = (() => Build(TinyHeader("Output.bias", ""), TinyData[..48]), "The file has no tensor 'Output.bias', which the network needs with shape [1]. The file holds: 'Hidden.weight', 'Hidden.bias', 'Output.weight'"),
        ["unused tensor"] = (() => Build(TinyHeader()[..^1] + ",\"Extra.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[52,56]}}", [.. TinyData, .. F32(1f)]), "The file has tensor(s) the network does not use: 'Extra.weight'"),
        ["metadata not strings"] = (() => Build("{\"__metadata__\":{\"epoch\":3}," + TinyHeader()[1..], TinyData), "'__metadata__.epoch' is a JSON number; metadata values must be strings"),
        ["tensor entry not an object"] = (() => Build(TinyHeader("Output.bias", "\"Output.bias\":[48,52]"), TinyData), "Tensor 'Output.bias' is described by a JSON array"),
    };

    public static IEnumerable<object[]> Cases()
    {
        foreach (string name in s_cases.Keys)
            yield return [name];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadFile_NamesTheProblem_AndChangesNothing(string name)
    {
        var (file, message) = s_cases[name];
        var network = new TinyNetwork();
        s_before.CopyTo(network.Parameters);

        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, file()));
        output.WriteLine($"{name}: {error.Message}");
        Assert.Contains(message, error.Message);
        Assert.Equal(s_before, network.Parameters.ToArray());
    }

    [Fact]
    public void EveryTruncation_OfAValidFile_IsRejected_AndChangesNothing()
    {
        byte[] valid = Fixture("tiny-netgen.safetensors");
        var network = new TinyNetwork();
        for (int length = 0; length < valid.Length; length++)
        {
            s_before.CopyTo(network.Parameters);
            Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, valid.AsSpan(0, length)));
            Assert.Equal(s_before, network.Parameters.ToArray());
        }
        SafeTensors.Load(network, valid); // and the whole file loads
        Assert.Equal(TinyParameters, network.Parameters.ToArray());
    }

    [Fact]
    public void LoadFromPath_PutsThePathInTheMessage()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netgen-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, Fixture("tiny-netgen.safetensors")[..^4]);
        try
        {
            var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(new TinyNetwork(), path));
            Assert.StartsWith(path + ": Tensor 'Output.bias'", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WrongNetwork_IsRejected()
    {
        // A WideNetwork's file does not fit a TinyNetwork: shapes differ and nothing is loaded.
        var wide = new WideNetwork();
        Initializers.HeUniform(wide, 1);
        var network = new TinyNetwork();
        s_before.CopyTo(network.Parameters);
        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, SafeTensors.Serialize(wide)));
        Assert.Contains("Tensor 'Hidden.weight' has shape [512, 256]; the network's Hidden.weight needs [3, 2]", error.Message);
        Assert.Equal(s_before, network.Parameters.ToArray());
    }

    private static byte[] WithHeaderLength(byte[] file, ulong length)
    {
        byte[] copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, length);
        return copy;
    }

    private static byte[] WithHeaderByte(byte[] file, int index, byte value)
    {
        byte[] copy = (byte[])file.Clone();
        copy[8 + index] = value;
        return copy;
    }
}
