using System;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Convolution networks' outputs against a direct convolution in double, written here from PyTorch's definition
/// (nn.Conv1d/nn.Conv2d: zero padding, floor division for the output size, weights [out, in, kh, kw]) and reading the
/// weights by their state-dict names, so that the layout NetGen documents is the one it computes with.
/// </summary>
public class ConvolutionReferenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Conv2DChain_MatchesADirectConvolution(int batch)
    {
        var network = TestData.Network(b => new Conv2DChain(b), batch, 3, std: 0.3);
        float[] inputs = TestData.Normal(batch * Conv2DChain.InputSize, 4);
        var outputs = new float[batch * Conv2DChain.OutputSize];
        network.Forward(inputs, outputs, batch);

        for (int n = 0; n < batch; n++)
        {
            double[] x = inputs.Skip(n * 84).Take(84).Select(v => (double)v).ToArray();
            double[] c1 = Conv(x, 2, 7, 6, Tensor(network, "C1.weight"), Tensor(network, "C1.bias"), 3, 3, 3, stride: 1, 1, 1, out int h1, out int w1).Select(Math.Tanh).ToArray();
            double[] c2 = Conv(c1, 3, h1, w1, Tensor(network, "C2.weight"), Tensor(network, "C2.bias"), 4, 2, 2, stride: 2, 0, 0, out _, out _)
                .Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
            double[] y = Dense(c2, Tensor(network, "Y.weight"), Tensor(network, "Y.bias"), 3);
            for (int o = 0; o < 3; o++)
                Assert.True(Math.Abs(y[o] - outputs[n * 3 + o]) < 1e-5, $"sample {n}, output {o}: {outputs[n * 3 + o]} vs {y[o]}");
        }
    }

    [Fact]
    public void Conv1DChain_MatchesADirectConvolution()
    {
        const int batch = 3;
        var network = TestData.Network(b => new Conv1DChain(b), batch, 5, std: 0.3);
        float[] inputs = TestData.Normal(batch * Conv1DChain.InputSize, 6);
        var outputs = new float[batch * Conv1DChain.OutputSize];
        network.Forward(inputs, outputs, batch);

        for (int n = 0; n < batch; n++)
        {
            double[] x = inputs.Skip(n * 33).Take(33).Select(v => (double)v).ToArray();
            // A 1-D convolution is the 2-D one of height 1 with a kernel of height 1 (no vertical padding).
            double[] c1 = Conv(x, 3, 1, 11, Tensor(network, "C1.weight"), Tensor(network, "C1.bias"), 5, 1, 3, stride: 2, 0, 2, out _, out int l1)
                .Select(v => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)))).ToArray();
            Assert.Equal(7, l1); // (11 + 2·2 − 3) / 2 + 1, as nn.Conv1d computes it
            double[] c2 = Conv(c1, 5, 1, l1, Tensor(network, "C2.weight"), null, 2, 1, 1, stride: 1, 0, 0, out _, out _);
            double[] y = Dense(c2, Tensor(network, "Y.weight"), Tensor(network, "Y.bias"), 2);
            for (int o = 0; o < 2; o++)
                Assert.True(Math.Abs(y[o] - outputs[n * 2 + o]) < 1e-5, $"sample {n}, output {o}: {outputs[n * 2 + o]} vs {y[o]}");
        }
    }

    [Fact]
    public void ParameterTensors_HavePyTorchsNamesAndShapes()
    {
        var network = new Conv2DChain();
        Assert.Equal(
            ["C1.weight [3, 2, 3, 3]", "C1.bias [3]", "C2.weight [4, 3, 2, 2]", "C2.bias [4]", "Y.weight [3, 36]", "Y.bias [3]"],
            network.ParameterTensors.Select(t => $"{t.Name} {t.Shape}"));
        Assert.Equal(2 * 7 * 6, Conv2DChain.InputSize);
        Assert.Equal(3, Conv2DChain.OutputSize);
    }

    [Fact]
    public void SafeTensors_RoundTripsConvolutionWeights_UnderPyTorchsShapes()
    {
        var network = TestData.Network(b => new Conv2DChain(b), 1, 7, std: 0.3);
        byte[] file = SafeTensors.Serialize(network);
        string header = System.Text.Encoding.UTF8.GetString(file, 8, (int)BitConverter.ToUInt64(file, 0));
        Assert.Contains("\"C1.weight\":{\"dtype\":\"F32\",\"shape\":[3,2,3,3]", header);
        Assert.Contains("\"C2.weight\":{\"dtype\":\"F32\",\"shape\":[4,3,2,2]", header);

        var copy = new Conv2DChain();
        SafeTensors.Load(copy, file);
        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());

        // A file of another shape is refused and leaves the weights as they were.
        var other = new Conv1DChain();
        Assert.ThrowsAny<Exception>(() => SafeTensors.Load(other, file));
        Assert.All(other.Parameters.ToArray(), value => Assert.Equal(0f, value));
    }

    private static double[] Tensor(INetwork network, string name)
    {
        ParameterTensor tensor = network.ParameterTensors.Single(t => t.Name == name);
        return network.Parameters.Slice(tensor.Offset, tensor.Shape.Length).ToArray().Select(v => (double)v).ToArray();
    }

    /// <summary>nn.Conv2d, written from its definition: y[o, h, w] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j]·x[c, h·s − ph + i, w·s − pw + j], zeros outside.</summary>
    private static double[] Conv(double[] x, int channels, int height, int width, double[] w, double[]? b, int outChannels, int kernelHeight, int kernelWidth,
        int stride, int padHeight, int padWidth, out int outHeight, out int outWidth)
    {
        outHeight = (height + 2 * padHeight - kernelHeight) / stride + 1;
        outWidth = (width + 2 * padWidth - kernelWidth) / stride + 1;
        var y = new double[outChannels * outHeight * outWidth];
        for (int o = 0; o < outChannels; o++)
            for (int oh = 0; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow++)
                {
                    double sum = b is null ? 0 : b[o];
                    for (int c = 0; c < channels; c++)
                        for (int i = 0; i < kernelHeight; i++)
                            for (int j = 0; j < kernelWidth; j++)
                            {
                                int ih = oh * stride - padHeight + i, iw = ow * stride - padWidth + j;
                                if (ih >= 0 && ih < height && iw >= 0 && iw < width)
                                    sum += w[((o * channels + c) * kernelHeight + i) * kernelWidth + j] * x[(c * height + ih) * width + iw];
                            }
                    y[(o * outHeight + oh) * outWidth + ow] = sum;
                }
        return y;
    }

    private static double[] Dense(double[] x, double[] w, double[] b, int units)
    {
        var y = new double[units];
        for (int o = 0; o < units; o++)
        {
            y[o] = b[o];
            for (int i = 0; i < x.Length; i++)
                y[o] += w[o * x.Length + i] * x[i];
        }
        return y;
    }
}
