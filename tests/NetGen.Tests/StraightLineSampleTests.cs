using System;
using System.Collections.Generic;
using NetGen;
using Xunit;
using NetGen.Testing;

namespace NetGen.Tests;

/// <summary>
/// A network whose layers are all unrolled computes a one-sample Forward as straight-line code of its own, not through
/// the batched steps (the plan's StraightLineSample; Paths.LogisticNeuron.verified.cs shows it). Both must give the same
/// bits, outputs and node values alike. Unrolled layers are scalar code at every vector width (their f is the scalar
/// operator, their sums plain float arithmetic), so what holds here holds at 128, 256 and 512 bits.
/// </summary>
public class StraightLineSampleTests
{
    public static IEnumerable<object[]> Networks() =>
    [
        ["LogisticNeuron"], ["IdentityChain"], ["SigmoidChain"], ["NoBiasChain"], ["TanhHead"],
    ];

    private static INetwork Create(string name, int maxBatchSize) => name switch
    {
        "LogisticNeuron" => new LogisticNeuron(maxBatchSize),
        "IdentityChain" => new IdentityChain(maxBatchSize),
        "SigmoidChain" => new SigmoidChain(maxBatchSize),
        "NoBiasChain" => new NoBiasChain(maxBatchSize),
        _ => new TanhHead(maxBatchSize),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void OneSample_EqualsItsRowOfTheBatch_BitForBit(string name)
    {
        const int batch = 41;
        INetwork network = TestData.Network(b => Create(name, b), batch, seed: 5, std: 1.5);
        int inputs = network.InputSize, outputs = network.OutputSize;
        float[] x = TestData.Normal(batch * inputs, 6, std: 3);
        // Saturated and signed-zero inputs too: σ and tanh choose their branch by the sign of z.
        x[0] = 1e4f; x[1] = -1e4f; x[inputs] = -0f; x[inputs + 1] = 0f; x[2 * inputs] = 80f;
        var batched = new float[batch * outputs];
        network.Forward(x, batched, batch);
        float[][] batchedNodes = NodeValues(network);

        var single = new float[outputs];
        for (int n = 0; n < batch; n++)
        {
            network.Forward(x.AsSpan(n * inputs, inputs), single, 1);
            for (int o = 0; o < outputs; o++)
                Assert.Equal(BitConverter.SingleToInt32Bits(batched[n * outputs + o]), BitConverter.SingleToInt32Bits(single[o]));
            // Every node's property shows the sample just computed (the straight-line code stores each value in the arena).
            float[][] nodes = NodeValues(network);
            for (int k = 0; k < nodes.Length; k++)
            {
                int size = nodes[k].Length;
                Assert.Equal(batchedNodes[k].Length, batch * size);
                for (int i = 0; i < size; i++)
                    Assert.Equal(BitConverter.SingleToInt32Bits(batchedNodes[k][n * size + i]), BitConverter.SingleToInt32Bits(nodes[k][i]));
            }
        }
    }

    [Fact]
    public void OneSample_ChecksItsArguments_AsTheBatchedCallDoes()
    {
        var network = new LogisticNeuron(4);
        var output = new float[1];
        var tooShort = Assert.Throws<ArgumentException>(() => network.Forward(new float[1], output));
        Assert.Equal("'inputs' holds 1 values, but a batch of 1 needs 1 × 2 = 2. (Parameter 'inputs')", tooShort.Message);
        var noRoom = Assert.Throws<ArgumentException>(() => network.Forward(new float[2], new float[2], 1));
        Assert.Equal("'outputs' holds 2 values, but a batch of 1 needs 1 × 1 = 1. (Parameter 'outputs')", noRoom.Message);
        // A refused call leaves the instance free.
        network.Forward([0.5f, -0.5f], output);
        Assert.Equal(0.5f, output[0]); // zero parameters: σ(0)
    }

    [Fact]
    public void OneSample_AllocatesNothing()
    {
        LogisticNeuron network = TestData.Network(b => new LogisticNeuron(b), 1, seed: 3);
        float[] x = TestData.Normal(2 * 64, 4);
        var output = new float[1];
        network.Forward(x.AsSpan(0, 2), output);
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 10_000; i++)
                network.Forward(x.AsSpan(2 * (i % 64), 2), output, 1);
        }));
    }

    /// <summary>Each node's values from the latest forward pass, through its property, in computing order.</summary>
    private static float[][] NodeValues(INetwork network)
    {
        var values = new List<float[]>();
        foreach (GraphNode node in INetworkGraph(network).Nodes)
            values.Add(((Node)network.GetType().GetProperty(node.Name)!.GetValue(network)!).Values.ToArray());
        return values.ToArray();
    }

    private static NetworkGraph INetworkGraph(INetwork network) => network.Graph ?? throw new InvalidOperationException("A generated network has a graph.");
}
