using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>Weight files: byte-exact output, fixtures written from the specification, round trips, name mapping.</summary>
public class SafeTensorsTests
{
    private static TinyNetwork Tiny(params float[] parameters)
    {
        var network = new TinyNetwork();
        parameters.CopyTo(network.Parameters);
        return network;
    }

    [Fact]
    public void Save_WritesTheSpecifiedBytes()
    {
        // The fixture was written by make_fixtures.py from the format's specification: an 8-byte little-endian
        // header length, compact JSON padded with spaces to a multiple of 8, then little-endian F32 data.
        byte[] expected = SafeTensorsFiles.Fixture("tiny-netgen.safetensors");
        byte[] actual = SafeTensors.Serialize(Tiny(SafeTensorsFiles.TinyParameters));
        Assert.Equal(expected, actual);
        Assert.Equal(0, (actual.Length - 52) % 8); // the data buffer starts at a multiple of 8
        Assert.Equal((byte)' ', actual[8 + (int)BitConverter.ToUInt64(actual) - 1]);
    }

    [Theory]
    [InlineData("tiny-netgen.safetensors")]
    [InlineData("tiny-torch-order.safetensors")] // safetensors.torch's order: sorted by name, biases first in the buffer
    public void Load_ReadsFixtures(string fixture)
    {
        var network = new TinyNetwork();
        SafeTensors.Load(network, SafeTensorsFiles.Fixture(fixture));
        Assert.Equal(SafeTensorsFiles.TinyParameters, network.Parameters.ToArray());
        Assert.Equal([0.5f, -1.25f, 2f, 0.125f, -0.75f, 3f], network.HiddenWeights.ToArray()); // row-major [3, 2]
        Assert.Equal(-0.375f, network.OutputBias[0]);
    }

    [Fact]
    public void Load_MapsPyTorchSequentialNames()
    {
        var options = new SafeTensorsOptions
        {
            TensorNames = new Dictionary<string, string>
            {
                ["Hidden.weight"] = "0.weight", ["Hidden.bias"] = "0.bias", ["Output.weight"] = "2.weight", ["Output.bias"] = "2.bias",
            },
        };
        var network = new TinyNetwork();
        SafeTensors.Load(network, SafeTensorsFiles.Fixture("tiny-sequential.safetensors"), options);
        Assert.Equal(SafeTensorsFiles.TinyParameters, network.Parameters.ToArray());

        // And the same mapping writes those names back.
        SafeTensorsHeader header = SafeTensorsHeader.Parse(SafeTensors.Serialize(network, options));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], header.Tensors.Select(t => t.Name).ToArray());
    }

    [Fact]
    public void Load_AcceptsAnUnpaddedHeader()
    {
        // Padding is optional for readers: a header of any length is valid.
        byte[] file = SafeTensorsFiles.Build(SafeTensorsFiles.TinyHeader() + "   ", SafeTensorsFiles.TinyData);
        var network = new TinyNetwork();
        SafeTensors.Load(network, file);
        Assert.Equal(SafeTensorsFiles.TinyParameters, network.Parameters.ToArray());
    }

    [Fact]
    public void RoundTrip_ThroughAFile_IsExact()
    {
        var network = new WideNetwork();
        Initializers.PyTorchLinearDefault(network, 8);
        network.Parameters[0] = float.Epsilon;      // subnormals and signed zeros survive
        network.Parameters[1] = -0f;
        string path = Path.Combine(Path.GetTempPath(), $"netgen-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(network, path, new SafeTensorsOptions { Metadata = new Dictionary<string, string> { ["epoch"] = "12" } });
            var copy = new WideNetwork();
            SafeTensors.Load(copy, path);
            Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
            Assert.True(float.IsNegative(copy.Parameters[1]));
            Assert.False(File.Exists(path + ".tmp"));

            SafeTensorsHeader header = SafeTensorsHeader.Parse(File.ReadAllBytes(path));
            Assert.Equal("pt", header.Metadata["format"]);
            Assert.Equal("12", header.Metadata["epoch"]);
            SafeTensorsEntry weight = header.Find("Hidden.weight")!;
            Assert.Equal([512L, 256L], weight.Shape); // PyTorch's [out, in]
            Assert.Equal("F32", weight.DType);
            Assert.Equal([128L], header.Find("Output.bias")!.Shape);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RoundTrip_ThroughAStream_AndBiasFreeLayers()
    {
        var network = new NoBiasNetwork();
        new float[] { 1f, 2f, 3f, 4f }.CopyTo(network.Parameters);
        using var stream = new MemoryStream();
        SafeTensors.Save(network, stream);
        stream.Position = 0;
        var copy = new NoBiasNetwork();
        SafeTensors.Load(copy, stream);
        Assert.Equal([1f, 2f, 3f, 4f], copy.Parameters.ToArray());
        Assert.Single(SafeTensorsHeader.Parse(stream.ToArray()).Tensors);
    }

    [Fact]
    public void TensorNames_MistakesAreArgumentErrors()
    {
        var network = new TinyNetwork();
        var unknown = new SafeTensorsOptions { TensorNames = new Dictionary<string, string> { ["Hiden.weight"] = "0.weight" } };
        Assert.Contains("'Hiden.weight', which the network does not have", Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(network, unknown)).Message);
        var clash = new SafeTensorsOptions { TensorNames = new Dictionary<string, string> { ["Hidden.weight"] = "Hidden.bias" } };
        Assert.Contains("the same file name: 'Hidden.bias'", Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(network, clash)).Message);
    }

    [Fact]
    public void IgnoreUnusedTensors_SkipsExtraTensors()
    {
        string header = SafeTensorsFiles.TinyHeader()[..^1] + ",\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[52,60]}}";
        byte[] file = SafeTensorsFiles.Build(header, [.. SafeTensorsFiles.TinyData, .. BitConverter.GetBytes(7L)]);
        var network = new TinyNetwork();
        Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, file));
        SafeTensors.Load(network, file, new SafeTensorsOptions { IgnoreUnusedTensors = true });
        Assert.Equal(SafeTensorsFiles.TinyParameters, network.Parameters.ToArray());
    }
}
