using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests;

/// <summary>Activation kernels as generated code calls them: in place, y and z being one buffer.</summary>
public class ActivationKernelTests
{
    [Fact]
    public void LeakyReLU_InPlace_KeepsPositiveValuesAndScalesNegativeOnes()
    {
        // Found by the generator's fuzz test: the kernel scaled every value when y and z were the same buffer.
        float[] values = [2f, -2f, 0.5f, -0.5f, 0f];
        Activations.LeakyReLU(values, values, 0.25f);
        Assert.Equal([2f, -0.5f, 0.5f, -0.125f, 0f], values);
    }
}
