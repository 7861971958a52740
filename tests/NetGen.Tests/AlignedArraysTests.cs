using System;
using System.Runtime.InteropServices;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Parameters and gradients start on a 64-byte boundary (AlignedArrays), so that the kernels' whole-vector loads of a
/// weight row do not straddle two cache lines: the helper's arithmetic, its arrays, and the buffers of generated
/// networks, their replicas and an imported network, before and after a compacting collection.
/// </summary>
public class AlignedArraysTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 15)]
    [InlineData(8, 14)]
    [InlineData(16, 12)]
    [InlineData(60, 1)]
    [InlineData(64, 0)]
    [InlineData(1000, 6)]
    public void Start_IsTheFirstIndexOnALine(long address, int expected) => Assert.Equal(expected, AlignedArrays.Start((nint)address));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(4353)]
    [InlineData(100_000)]
    public void Allocate_GivesZeroedRoomFromALineBoundary(int length)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            float[] array = AlignedArrays.Allocate(length, out int start);
            Assert.InRange(start, 0, AlignedArrays.Slack);
            Assert.True(array.Length >= start + length);
            Assert.Equal(0, Marshal.UnsafeAddrOfPinnedArrayElement(array, 0) % sizeof(float));
            Assert.Equal(0, (Marshal.UnsafeAddrOfPinnedArrayElement(array, 0) + start * sizeof(float)) % AlignedArrays.Alignment);
            Assert.All(array, value => Assert.Equal(0f, value));
        }
    }

    [Fact]
    public void Allocate_StaysOnItsBoundaryThroughACompactingCollection()
    {
        float[] array = AlignedArrays.Allocate(1000, out int start);
        nint before = Marshal.UnsafeAddrOfPinnedArrayElement(array, start);
        for (int i = 0; i < 1000; i++)
            GC.KeepAlive(new float[i % 97]);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(before, Marshal.UnsafeAddrOfPinnedArrayElement(array, start));
    }

    public static TheoryData<string> Networks() => ["ThreeLayerMlp", "ThreeLayerMlp replica", "LogisticNeuron", "OddSizesChain", "BatchNormCnn", "OnnxNorms13"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void GeneratedNetworks_KeepParametersAndGradientsOnALine(string name)
    {
        INetwork network = name switch
        {
            "ThreeLayerMlp" => new Samples.ThreeLayerMlp.ThreeLayerMlp(4),
            "ThreeLayerMlp replica" => new Samples.ThreeLayerMlp.ThreeLayerMlp(4).CreateReplica(2, 1),
            "LogisticNeuron" => new LogisticNeuron(3),
            "OddSizesChain" => new OddSizesChain(3),
            "BatchNormCnn" => new BatchNormCnn(2),
            _ => new OnnxNorms13(2),
        };
        Assert.Equal(network.ParameterCount, network.Parameters.Length);
        Assert.Equal(network.ParameterCount, network.Gradients.Length);
        for (int collection = 0; collection < 2; collection++)
        {
            Assert.Equal(0, AddressOf(network.Parameters) % AlignedArrays.Alignment);
            Assert.Equal(0, AddressOf(network.Gradients) % AlignedArrays.Alignment);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    private static unsafe long AddressOf(Span<float> span)
    {
        fixed (float* first = span)
            return (long)first;
    }

    [Fact]
    public void Allocate_RefusesANegativeLength() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AlignedArrays.Allocate(-1, out _));
}
