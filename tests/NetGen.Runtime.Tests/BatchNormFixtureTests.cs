using System;
using System.Buffers.Binary;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// The network of Fixtures/make_batchnorm_fixture.py, as NetGen declares it: PyTorch's Conv2d + ReLU, BatchNorm2d,
/// MaxPool2d, Linear, BatchNorm1d(momentum=0.2), Linear + softmax, module for node.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class BatchNormCnn
{
    [Input(2, 8, 8)] public partial Node Image { get; }
    [Conv2D(4, 3, Activation.ReLU, Padding = 1)] public partial Node C { get; }
    [BatchNorm] public partial Node N1 { get; }
    [MaxPool2D(2)] public partial Node P { get; }
    [Dense(6)] public partial Node H { get; }
    [BatchNorm(Momentum = 0.2f)] public partial Node N2 { get; }
    [Dense(3, Activation.Softmax)] public partial Node Y { get; }
}

/// <summary>
/// A file PyTorch 1.13 wrote after five training steps (running statistics far from 0 and 1, five batches tracked) loads
/// into NetGen's network and gives PyTorch's outputs, in evaluation and in training, and the same running statistics
/// after a training pass.
/// </summary>
public class BatchNormFixtureTests
{
    private const int Batch = 4;

    private static (BatchNormCnn Network, Tensors Io) Load()
    {
        var network = new BatchNormCnn(Batch);
        SafeTensors.Load(network, SafeTensorsFiles.Fixture("batchnorm-cnn.safetensors"));
        return (network, new Tensors(SafeTensorsFiles.Fixture("batchnorm-cnn-io.safetensors")));
    }

    [Fact]
    public void PyTorchsFile_LoadsEveryParameterAndStateTensor()
    {
        (BatchNormCnn network, _) = Load();
        Assert.Equal(5, network.N1BatchesTracked);
        Assert.Equal(5, network.N2BatchesTracked);
        Assert.DoesNotContain(network.N1RunningMean.ToArray(), v => v == 0f);
        Assert.DoesNotContain(network.N2RunningVariance.ToArray(), v => v == 1f);
        Assert.Equal(
            ["N1.running_mean [4]", "N1.running_var [4]", "N1.num_batches_tracked []", "N2.running_mean [6]", "N2.running_var [6]", "N2.num_batches_tracked []"],
            network.StateTensors.Select(t => $"{t.Name} {t.Shape}"));
    }

    [Fact]
    public void Forward_GivesPyTorchsEvaluationOutputs()
    {
        (BatchNormCnn network, Tensors io) = Load();
        var outputs = new float[Batch * BatchNormCnn.OutputSize];
        network.Forward(io.Floats("inputs"), outputs, Batch);
        AssertClose(io.Floats("eval_outputs"), outputs, 1e-5);
    }

    [Fact]
    public void Backward_TrainsWithPyTorchsBatchStatistics_AndMovesTheRunningOnesAsPyTorch()
    {
        (BatchNormCnn network, Tensors io) = Load();
        float[] targets = new float[Batch * BatchNormCnn.OutputSize];
        for (int n = 0; n < Batch; n++)
            targets[n * 3 + n % 3] = 1f;
        network.Backward(io.Floats("inputs"), targets, Batch);

        AssertClose(io.Floats("train_outputs"), network.Y.Values.ToArray(), 1e-5);
        AssertClose(io.Floats("N1.running_mean_after"), network.N1RunningMean.ToArray(), 1e-5);
        AssertClose(io.Floats("N1.running_var_after"), network.N1RunningVariance.ToArray(), 1e-5);
        AssertClose(io.Floats("N2.running_mean_after"), network.N2RunningMean.ToArray(), 1e-5);
        AssertClose(io.Floats("N2.running_var_after"), network.N2RunningVariance.ToArray(), 1e-5);
        Assert.Equal(io.Long("N1.num_batches_tracked_after"), network.N1BatchesTracked);
        Assert.Equal(6, network.N2BatchesTracked);
    }

    [Fact]
    public void SavedAgain_TheFileHasPyTorchsNamesShapesAndDTypes()
    {
        (BatchNormCnn network, _) = Load();
        SafeTensorsHeader original = SafeTensorsHeader.Parse(SafeTensorsFiles.Fixture("batchnorm-cnn.safetensors"));
        SafeTensorsHeader saved = SafeTensorsHeader.Parse(SafeTensors.Serialize(network));
        Assert.Equal(
            original.Tensors.Select(t => $"{t.Name} {t.DType} {t.ShapeText}").OrderBy(s => s, StringComparer.Ordinal),
            saved.Tensors.Select(t => $"{t.Name} {t.DType} {t.ShapeText}").OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal("I64", saved.Find("N2.num_batches_tracked")!.DType);
        Assert.Empty(saved.Find("N2.num_batches_tracked")!.Shape);
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: {actual[i]} vs PyTorch's {expected[i]}");
    }

    /// <summary>The tensors of a safetensors file by name (F32 and I64).</summary>
    private sealed class Tensors(byte[] file)
    {
        private readonly SafeTensorsHeader _header = SafeTensorsHeader.Parse(file);

        private ReadOnlySpan<byte> Bytes(string name, string dtype)
        {
            SafeTensorsEntry entry = _header.Find(name) ?? throw new InvalidOperationException($"The fixture has no '{name}'.");
            Assert.Equal(dtype, entry.DType);
            return file.AsSpan((int)(_header.DataStart + entry.Begin), (int)entry.ByteLength);
        }

        public float[] Floats(string name)
        {
            ReadOnlySpan<byte> bytes = Bytes(name, "F32");
            var values = new float[bytes.Length / 4];
            for (int i = 0; i < values.Length; i++)
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
            return values;
        }

        public long Long(string name) => BinaryPrimitives.ReadInt64LittleEndian(Bytes(name, "I64"));
    }
}
