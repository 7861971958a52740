using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using NetGen;
using NetGen.Tests.Kernels;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// End to end against PyTorch in float64 (Fixtures/make_saturation_fixtures.py, run once with PyTorch 1.13; the files
/// are committed): issue 19's chain of sigmoid and tanh layers (<see cref="SaturatingChain"/>), a dense chain of softplus,
/// bipolar sigmoid, tanh and sigmoid layers, and a convolutional network of sigmoid and tanh convolutions, all fed inputs of size 10³, at batches of 1 and 16. The outputs, the loss, ∂L/∂inputs
/// and every parameter tensor's gradient, each tensor held to |g − g₆₄| ≤ bound·max|g₆₄| with the bounds of
/// <see cref="AccuracyBounds.EndToEnd"/> (docs/accuracy.md).
/// </summary>
public class SaturationFixtureTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void SigmoidTanhChain_AtInputsOfMagnitude1e3_MatchesFloat64(int batch) =>
        AgreesWithFloat64(new SaturatingChain(batch), "saturating-chain", batch, "torch-chain");

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void SoftChain_AtInputsOfMagnitude1e3_MatchesFloat64(int batch) =>
        AgreesWithFloat64(new SaturatingSoftChain(batch), "saturating-soft-chain", batch, "soft-chain");

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void ConvNet_AtInputsOfMagnitude1e3_MatchesFloat64(int batch) =>
        AgreesWithFloat64(new SaturatingConvNet(batch), "saturating-conv-net", batch, "conv-net");

    private static void AgreesWithFloat64(INetwork network, string name, int batch, string bounds)
    {
        SafeTensors.Load(network, Fixture(name + ".safetensors"));
        byte[] file = File.ReadAllBytes(Fixture(name + ".expected.safetensors"));
        SafeTensorsHeader header = SafeTensorsHeader.Parse(file);
        string prefix = $"b{batch}.";
        float[] inputs = ReadF32(file, header, prefix + "inputs"), targets = ReadF32(file, header, prefix + "targets");
        Assert.Equal(batch * network.InputSize, inputs.Length);

        var failures = new List<string>();
        string of = $" ({bounds}, B = {batch})";
        var outputs = new float[batch * network.OutputSize];
        network.Forward(inputs, outputs, batch);
        Check(ReadF64(file, header, prefix + "outputs"), outputs, "outputs" + of, AccuracyBounds.EndToEnd[bounds + "-outputs"], failures);
        var inputGradients = new float[inputs.Length];
        float loss = network.Backward(inputs, targets, batch, inputGradients);
        Check(ReadF64(file, header, prefix + "loss"), [loss], "loss" + of, AccuracyBounds.EndToEnd[bounds + "-loss"], failures);
        Check(ReadF64(file, header, prefix + "loss"), [network.ComputeLoss(inputs, targets, batch)], "ComputeLoss" + of, AccuracyBounds.EndToEnd[bounds + "-loss"], failures);
        Check(ReadF64(file, header, prefix + "grad.inputs"), inputGradients, "∂L/∂inputs" + of, AccuracyBounds.EndToEnd[bounds + "-first-layer"], failures);
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            bool first = tensor.Node == network.ParameterTensors[0].Node;
            Check(ReadF64(file, header, prefix + "grad." + tensor.Name), network.Gradients.Slice(tensor.Offset, tensor.Length).ToArray(),
                "∂L/∂" + tensor.Name + of, AccuracyBounds.EndToEnd[bounds + (first ? "-first-layer" : "-deeper-layers")], failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void Check(double[] expected, float[] actual, string what, double bound, List<string> failures)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Contains(expected, v => v != 0); // an all-zero expectation would prove nothing
        double relative = SaturationAccuracyTests.RelativeToLargest(expected, actual);
        if (Environment.GetEnvironmentVariable("NETGEN_SATURATION") is { } file)
            File.AppendAllText(file, $"{what}: {relative:G3}\n");
        if (!(relative <= bound))
            failures.Add($"{what}: error {relative:G3} of the largest value, bound {bound:G2}");
    }

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    private static float[] ReadF32(byte[] file, SafeTensorsHeader header, string name)
    {
        ReadOnlySpan<byte> bytes = Bytes(file, header, name, "F32");
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
        return values;
    }

    private static double[] ReadF64(byte[] file, SafeTensorsHeader header, string name)
    {
        ReadOnlySpan<byte> bytes = Bytes(file, header, name, "F64");
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
        return values;
    }

    private static ReadOnlySpan<byte> Bytes(byte[] file, SafeTensorsHeader header, string name, string dtype)
    {
        SafeTensorsEntry entry = header.Find(name) ?? throw new InvalidDataException($"the fixture has no tensor '{name}'");
        Assert.Equal(dtype, entry.DType);
        return file.AsSpan((int)(header.DataStart + entry.Begin), (int)entry.ByteLength);
    }
}
