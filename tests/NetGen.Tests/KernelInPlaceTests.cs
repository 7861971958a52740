using System;
using Xunit;

namespace NetGen.Tests;

/// <summary>Generated code calls the activation kernels in place (y aliases z): each must survive that.</summary>
public class KernelInPlaceTests
{
    [Fact]
    public void LeakyReLU_InPlace_KeepsThePositiveSide()
    {
        float[] z = [-2f, -0.5f, 0f, 0.5f, 3f, -1f, 7f, -4f, 1f, 2f, -3f, 5f, 0.25f, -0.25f, 9f, -9f, 6f, -6f, 4f];
        float[] expected = Array.ConvertAll(z, v => v > 0 ? v : 0.1f * v);
        NetGen.Kernels.Activations.LeakyReLU(z, z, 0.1f);
        Assert.Equal(expected, z);
    }
}
