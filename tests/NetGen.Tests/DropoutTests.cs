using System;
using System.Linq;
using NetGen;
using Xunit;
using NetGen.Testing;

namespace NetGen.Tests;

/// <summary>
/// Dropout as nn.Dropout: identity in evaluation, a fresh inverted mask in each training pass, the backward pass
/// through the same mask, and masks reproducible from a seed.
/// </summary>
public class DropoutTests
{
    private const int Batch = 32;

    private static (DropoutChain Network, float[] Inputs, float[] Targets) Create(ulong seed = 1)
    {
        DropoutChain network = TestData.Network(b => new DropoutChain(b), Batch, seed);
        return (network, TestData.Normal(Batch * 6, seed + 10), TestData.Normal(Batch * 2, seed + 20));
    }

    [Fact]
    public void Evaluation_IsTheNetworkWithoutDropout()
    {
        var (network, inputs, targets) = Create();
        var twin = new DropoutChainEvaluated(Batch);
        network.Parameters.CopyTo(twin.Parameters);
        float[] outputs = new float[Batch * 2], expected = new float[Batch * 2];
        network.Forward(inputs, outputs, Batch);
        twin.Forward(inputs, expected, Batch);
        Assert.Equal(expected, outputs);
        Assert.Equal(twin.ComputeLoss(inputs, targets, Batch), network.ComputeLoss(inputs, targets, Batch));
    }

    [Fact]
    public void Training_ZeroesAboutHalf_AndScalesTheRestByTwo()
    {
        var (network, inputs, targets) = Create();
        network.Backward(inputs, targets, Batch);
        float[] h = network.H.Values.ToArray(), d = network.D.Values.ToArray();
        int zeroed = 0;
        for (int i = 0; i < h.Length; i++)
        {
            if (d[i] == 0f)
                zeroed++;
            else
                Assert.Equal(2f * h[i], d[i]);
        }
        Assert.InRange(zeroed / (double)h.Length, 0.42, 0.58); // 512 draws of p = 0.5: 4 standard deviations either side
    }

    [Fact]
    public void Backward_IsTheGradientThroughTheSameMask()
    {
        var (network, inputs, targets) = Create();
        var inputGradients = new float[Batch * 6];
        float loss = network.Backward(inputs, targets, Batch, inputGradients);
        float[] mask = network.D.Values.ToArray().Select((v, i) => v == 0f ? 0f : 2f).ToArray();

        // The reference, in double: y = W2·(m ⊙ tanh(W1·x + b1)) + b2, L = mean((y − t)²).
        float[] p = network.Parameters.ToArray();
        double[] w1 = p[..96].Select(v => (double)v).ToArray(), b1 = p[96..112].Select(v => (double)v).ToArray();
        double[] w2 = p[112..144].Select(v => (double)v).ToArray(), b2 = p[144..146].Select(v => (double)v).ToArray();
        var g = new double[146];
        var gx = new double[Batch * 6];
        double expectedLoss = 0;
        for (int n = 0; n < Batch; n++)
        {
            var a = new double[16];
            var d = new double[16];
            for (int o = 0; o < 16; o++)
            {
                double z = b1[o];
                for (int i = 0; i < 6; i++)
                    z += w1[o * 6 + i] * inputs[n * 6 + i];
                a[o] = Math.Tanh(z);
                d[o] = mask[n * 16 + o] * a[o];
            }
            var dd = new double[16];
            for (int o = 0; o < 2; o++)
            {
                double y = b2[o];
                for (int j = 0; j < 16; j++)
                    y += w2[o * 16 + j] * d[j];
                double r = y - targets[n * 2 + o];
                expectedLoss += r * r / (Batch * 2);
                double dy = 2 * r / (Batch * 2);
                g[144 + o] += dy;
                for (int j = 0; j < 16; j++)
                {
                    g[112 + o * 16 + j] += dy * d[j];
                    dd[j] += dy * w2[o * 16 + j];
                }
            }
            for (int j = 0; j < 16; j++)
            {
                double dz = dd[j] * mask[n * 16 + j] * (1 - a[j] * a[j]);
                g[96 + j] += dz;
                for (int i = 0; i < 6; i++)
                {
                    g[j * 6 + i] += dz * inputs[n * 6 + i];
                    gx[n * 6 + i] += dz * w1[j * 6 + i];
                }
            }
        }
        Assert.Equal(expectedLoss, loss, 1e-5);
        float[] gradients = network.Gradients.ToArray();
        for (int k = 0; k < 146; k++)
            Assert.True(Math.Abs(g[k] - gradients[k]) < 1e-5, $"gradient {k}: {gradients[k]} vs {g[k]}");
        for (int k = 0; k < gx.Length; k++)
            Assert.True(Math.Abs(gx[k] - inputGradients[k]) < 1e-5, $"input gradient {k}: {inputGradients[k]} vs {gx[k]}");
    }

    [Fact]
    public void Masks_AreFreshEachPass_AndReproducibleFromASeed()
    {
        var (network, inputs, targets) = Create();
        var (twin, _, _) = Create();
        network.Backward(inputs, targets, Batch);
        float[] first = network.D.Values.ToArray();
        network.Backward(inputs, targets, Batch);
        float[] second = network.D.Values.ToArray();
        Assert.NotEqual(first, second);

        // A twin seeded alike draws the same masks, pass for pass; SeedDropout restarts the sequence.
        twin.Backward(inputs, targets, Batch);
        Assert.Equal(first, twin.D.Values.ToArray());
        network.SeedDropout(0);
        network.Backward(inputs, targets, Batch);
        Assert.Equal(first, network.D.Values.ToArray());
        network.SeedDropout(7);
        network.Backward(inputs, targets, Batch);
        Assert.NotEqual(first, network.D.Values.ToArray());
    }

    [Fact]
    public void TrainingAndEvaluation_AllocateNothing()
    {
        var (network, inputs, targets) = Create();
        var outputs = new float[Batch * 2];
        var sgd = new Sgd(0.01f);
        void Step()
        {
            network.Backward(inputs, targets, Batch);
            sgd.Step(network);
            network.Forward(inputs, outputs, Batch);
        }
        Step();
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 100; i++)
                Step();
        }));
    }
}
