using System;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>LeNet-5 as the convolutional-networks issue declares it: its shapes and parameters as PyTorch's, and it learns.</summary>
public class LeNetTests
{
    [Fact]
    public void Declaration_HasPyTorchsShapesAndParameterCount()
    {
        var network = new LeNet();
        Assert.Equal(784, LeNet.InputSize);
        Assert.Equal(10, LeNet.OutputSize);
        // nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5), nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10).
        Assert.Equal(156 + 2416 + 48120 + 10164 + 850, LeNet.ParameterCount);
        Assert.Equal(
            [
                "C1.weight [6, 1, 5, 5]", "C1.bias [6]", "C3.weight [16, 6, 5, 5]", "C3.bias [16]", "F5.weight [120, 400]", "F5.bias [120]",
                "F6.weight [84, 120]", "F6.bias [84]", "Output.weight [10, 84]", "Output.bias [10]",
            ],
            network.ParameterTensors.Select(t => $"{t.Name} {t.Shape}"));
        Assert.Equal(6 * 14 * 14, network.S2.Size);
        // Each weight once per output position: C1 6·28·28·25, C3 16·10·10·150, then the dense layers' W.
        Assert.Equal(117_600L + 240_000 + 48_000 + 10_080 + 840, LeNet.MultiplyAddsPerSample);
        Assert.Equal(LeNet.MultiplyAddsPerSample, ((INetwork)network).MultiplyAddsPerSample);
        Assert.Equal(16 * 5 * 5, network.S4.Size);
    }

    [Fact]
    public void Training_SeparatesTwoPatterns()
    {
        // Two classes of images: a bright horizontal bar or a bright vertical bar at a random place, with noise.
        const int batch = 16;
        var network = new LeNet(batch);
        Initializers.PyTorchLinearDefault(network, 1);
        var random = new SeededRandom(2);
        var inputs = new float[batch * 784];
        var targets = new float[batch * 10];
        var adam = new Adam(2e-3f);
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            Bars(inputs, targets, random);
            float loss = network.Backward(inputs, targets, batch);
            adam.Step(network);
            if (step == 0)
                first = loss;
            last = loss;
        }
        Assert.True(first > 2f && last < 0.1f, $"the loss went from {first} to {last}");

        // Fresh images: every one classified right.
        Bars(inputs, targets, random);
        var outputs = new float[batch * 10];
        network.Forward(inputs, outputs, batch);
        for (int n = 0; n < batch; n++)
        {
            Span<float> row = outputs.AsSpan(n * 10, 10);
            Assert.Equal(n % 2, row.IndexOf(TensorMax(row)));
        }
    }

    private static float TensorMax(ReadOnlySpan<float> row) => System.Numerics.Tensors.TensorPrimitives.Max(row);

    /// <summary>Sample n is class n % 2: a bar of 1s across (class 0) or down (class 1) a 28 × 28 image of noise.</summary>
    private static void Bars(float[] inputs, float[] targets, SeededRandom random)
    {
        Array.Clear(targets);
        for (int n = 0; n < inputs.Length / 784; n++)
        {
            Span<float> image = inputs.AsSpan(n * 784, 784);
            random.FillNormal(image, 0, 0.1);
            int cls = n % 2, at = 4 + random.NextInt(20);
            for (int k = 0; k < 28; k++)
                image[cls == 0 ? at * 28 + k : k * 28 + at] += 1f;
            targets[n * 10 + cls] = 1f;
        }
    }
}
