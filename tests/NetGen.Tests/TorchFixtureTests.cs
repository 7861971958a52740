using System;
using System.Buffers.Binary;
using System.IO;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Files PyTorch wrote (Fixtures/make_torch_fixtures.py, run once with PyTorch 1.13; the files are committed) load into
/// the same architectures declared in NetGen, which then compute what PyTorch computed: the outputs, the loss, every
/// parameter's gradient and the inputs' gradient, for one batch of three.
/// </summary>
public class TorchFixtureTests
{
    private const int Batch = 3;

    [Fact]
    public void ImageNetwork_FromPyTorchsFile_ComputesWhatPyTorchComputed()
    {
        var network = new TorchImageNet(Batch);
        AgreesWithPyTorch(network, "torch-image-net");
    }

    [Fact]
    public void SignalNetwork_FromPyTorchsFile_ComputesWhatPyTorchComputed()
    {
        var network = new TorchSignalNet(Batch);
        AgreesWithPyTorch(network, "torch-signal-net");
    }

    private static void AgreesWithPyTorch(INetwork network, string name)
    {
        SafeTensors.Load(network, Fixture(name + ".safetensors"));
        byte[] file = File.ReadAllBytes(Fixture(name + ".expected.safetensors"));
        SafeTensorsHeader expected = SafeTensorsHeader.Parse(file);
        float[] Read(string tensor) => ReadF32(file, expected, tensor);

        float[] inputs = Read("inputs"), targets = Read("targets");
        Assert.Equal(Batch * network.InputSize, inputs.Length);

        var outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs, outputs, Batch);
        AssertClose(Read("outputs"), outputs, 1e-5f, "outputs");
        Assert.Equal(Read("loss")[0], network.ComputeLoss(inputs, targets, Batch), 5);

        var inputGradients = new float[inputs.Length];
        float loss = network.Backward(inputs, targets, Batch, inputGradients);
        Assert.Equal(Read("loss")[0], loss, 5);
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            float[] gradient = Read("grad." + tensor.Name);
            Assert.Equal(tensor.Length, gradient.Length);
            AssertClose(gradient, network.Gradients.Slice(tensor.Offset, tensor.Length).ToArray(), 1e-5f, "∂L/∂" + tensor.Name);
        }
        AssertClose(Read("grad.inputs"), inputGradients, 1e-5f, "∂L/∂inputs");
    }

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    private static float[] ReadF32(byte[] file, SafeTensorsHeader header, string name)
    {
        SafeTensorsEntry entry = header.Find(name) ?? throw new InvalidDataException($"the fixture has no tensor '{name}'");
        Assert.Equal("F32", entry.DType);
        ReadOnlySpan<byte> bytes = file.AsSpan((int)(header.DataStart + entry.Begin), (int)entry.ByteLength);
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
        return values;
    }

    /// <summary>|expected − actual| ≤ tolerance · max(1, |expected|), naming the first element that is not.</summary>
    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Contains(expected, v => v != 0f); // an all-zero expectation would prove nothing
        for (int i = 0; i < expected.Length; i++)
        {
            float allowed = tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed,
                $"{what}[{i}]: PyTorch {expected[i]:R}, NetGen {actual[i]:R} (allowed difference {allowed:G3})");
        }
    }
}
