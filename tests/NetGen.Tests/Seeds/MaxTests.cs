using System;
using NetGen;
using Xunit;

namespace NetGen.Tests.Seeds;

/// <summary>Problem D: the derivative of a max is the derivative of the arg-max; the other operands get nothing.</summary>
public class MaxTests
{
    [Fact]
    public void Gradient_FlowsOnlyToTheArgMaxOperand()
    {
        // A = Wa·x, B = Wb·x, M = max(A, B), y = u·M, L = (y − t)².
        var network = new MaxOfTwo();
        float[] wa = [1f, 0f, 0.5f, 0.5f, -1f, 0f];
        float[] wb = [0f, 1f, 0f, -1f, 0f, -1f];
        float[] u = [0.5f, -2f, 1.5f];
        wa.CopyTo(network.AWeights);
        wb.CopyTo(network.BWeights);
        u.CopyTo(network.YWeights);
        float[] x = [2f, 1f];  // A = (2, 1.5, −2), B = (1, −1, −1): A wins units 0 and 1, B wins unit 2
        const float t = 0.25f;
        var dx = new float[2];

        float loss = network.Backward(x, [t], 1, dx);

        float[] a = [2f, 1.5f, -2f], b = [1f, -1f, -1f];
        float[] m = [2f, 1.5f, -1f];
        float y = u[0] * m[0] + u[1] * m[1] + u[2] * m[2];
        Assert.Equal((y - t) * (y - t), loss, 5);
        Assert.Equal(m, network.M[0].ToArray());
        float dy = 2 * (y - t);
        for (int o = 0; o < 3; o++)
        {
            bool aWins = a[o] > b[o];
            for (int i = 0; i < 2; i++)
            {
                // ∂L/∂Wa[o, i] = dy·u_o·x_i where A wins, exactly 0 where it loses; B the other way round.
                Assert.Equal(aWins ? dy * u[o] * x[i] : 0f, network.AWeightGradients[o * 2 + i], 5);
                Assert.Equal(aWins ? 0f : dy * u[o] * x[i], network.BWeightGradients[o * 2 + i], 5);
            }
        }
        // ∂L/∂x = Σ_o dy·u_o·(row of the winner).
        for (int i = 0; i < 2; i++)
        {
            double expected = 0;
            for (int o = 0; o < 3; o++)
                expected += dy * u[o] * (a[o] > b[o] ? wa[o * 2 + i] : wb[o * 2 + i]);
            Assert.Equal(expected, dx[i], 5);
        }
    }

    [Fact]
    public void Ties_GoToTheFirstOperand_SoTheGradientIsNotCountedTwice()
    {
        var network = new MaxOfTwo();
        network.AWeights.Fill(1f);
        network.BWeights.Fill(1f); // A = B everywhere
        network.YWeights.Fill(1f);
        network.Backward([1f, 2f], [0f], 1);
        Assert.All(network.BWeightGradients.ToArray(), g => Assert.Equal(0f, g));
        Assert.All(network.AWeightGradients.ToArray(), g => Assert.NotEqual(0f, g));
        // y = 3·3 = 9, ∂L/∂y = 18, ∂L/∂Wa[o, i] = 18·x_i.
        Assert.Equal([18f, 36f, 18f, 36f, 18f, 36f], network.AWeightGradients.ToArray());
    }
}
