using System;
using System.IO;
using NetGen.Samples.VanishingGradients;
using Xunit;

namespace NetGen.Samples.Tests;

/// <summary>Problem M: the scalar chain's product formula, and the per-layer gradient norms under three initialisations.</summary>
[Collection(ConsoleCollection.Name)]
public class VanishingGradientsSampleTests
{
    [Theory]
    [InlineData(new float[] { 1f, -1f, 0.8f, 1f, -0.5f, 1f }, 0.5f)]
    [InlineData(new float[] { 0.3f, 0.9f, -0.7f, 0.2f, 1f, -1f }, -2f)]
    [InlineData(new float[] { 4f, -3f, 2f, 5f, -4f, 3f }, 1f)]
    public void ScalarChain_InputGradient_IsTheProductOfWTimesSigmoidSlope(float[] weights, float x)
    {
        ScalarChainResult result = Experiment.ScalarChain(weights, x);
        Assert.Equal(result.Product, result.Generated, 1e-5 * Math.Abs(result.Product) + 1e-12);
        Assert.True(Math.Abs(result.Product) <= result.Bound); // |∂y/∂x| ≤ Π |w_i|·(1/4)
    }

    [Fact]
    public void Sigmoid_ShrinksByAboutFourPerLayerUnderXavier_TanhDoesNot()
    {
        ChainMeasurement sigmoidXavier = Experiment.Measure(Initialization.Xavier);
        ChainMeasurement sigmoidNormal = Experiment.Measure(Initialization.StandardNormal);
        ChainMeasurement tanhXavier = Experiment.Measure(Initialization.Xavier, tanh: true);
        ChainMeasurement tanhNormal = Experiment.Measure(Initialization.StandardNormal, tanh: true);

        // Xavier keeps z near 0, where σ′ is at its maximum 1/4: the gradient shrinks ≈ 1/σ′ = 4× per layer, problem M's (1/4)^n.
        Assert.InRange(sigmoidXavier.MeanSlope, 0.2, 0.25);
        Assert.InRange(sigmoidXavier.ShrinkPerLayer, 3.5, 4.5);
        // N(0, 1) weights are √32 times larger: they saturate the units (smaller σ′) but carry more gradient per layer.
        Assert.True(sigmoidNormal.MeanSlope < 0.5 * sigmoidXavier.MeanSlope);
        Assert.InRange(sigmoidNormal.ShrinkPerLayer, 1, 2);
        // With tanh (derivative up to 1) Xavier keeps the norm steady, while N(0, 1) makes it grow toward the input.
        Assert.InRange(tanhXavier.ShrinkPerLayer, 0.8, 1.25);
        Assert.True(tanhNormal.ShrinkPerLayer < 0.7);
        foreach (Initialization initialization in Experiment.Initializations)
            Assert.True(Experiment.Measure(initialization).MeanSlope <= 0.25);
    }

    [Fact]
    public void Sample_PrintsTheTable_AndWritesThePlot()
    {
        string plot = Path.Combine(Path.GetTempPath(), $"netgen-vanishing-{Guid.NewGuid():N}.png");
        try
        {
            string output = SampleRunner.Run(typeof(Experiment).Assembly, "--out", plot);

            Assert.True(new FileInfo(plot).Length > 10_000, "the plot is missing or empty");
            ScalarChainResult scalar = Experiment.ScalarChain([1f, -1f, 0.8f, 1f, -0.5f, 1f], 0.5f);
            Assert.Contains($"generated {scalar.Generated:E4}, product formula {scalar.Product:E4}", SampleRunner.Line(output, "∂y/∂x:"));
            string shrink = SampleRunner.Line(output, "shrink/layer");
            foreach (Initialization initialization in Experiment.Initializations)
            {
                Assert.Contains(Experiment.Measure(initialization).ShrinkPerLayer.ToString("F2"), shrink);
                Assert.Contains(Experiment.Measure(initialization, tanh: true).ShrinkPerLayer.ToString("F2"), shrink);
            }
            Assert.Equal(11, Array.FindAll(output.Split('\n'), l => l.Length > 0 && char.IsDigit(l[0])).Length);
        }
        finally
        {
            File.Delete(plot);
        }
    }
}
