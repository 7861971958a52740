using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen.Benchmarks.Onnx;
using Xunit;
using static NetGen.Benchmarks.LayerActivation;

namespace NetGen.Benchmarks.Tests;

/// <summary>
/// The written models run: ONNX Runtime (one thread, as `compare` runs it) loads the ONNX graph of a small
/// convolutional network and gives the outputs NetGen's generated code gives from the same parameters. Sizes are odd
/// on purpose (padding, a stride that leaves a column unread, unequal height and width), so that a wrong pad order or
/// flatten order shows.
/// </summary>
public class OnnxRuntimeConvTests
{
    [Fact]
    public void A_conv2d_net_gives_netgens_outputs()
    {
        Layer[] layers = LayerStack.From(2, 8, 6).Conv(3, 3, ReLU, padding: 1).MaxPool(2).Conv(4, 2, Tanh, stride: 2).Dense(5, Softmax).Layers;
        var net = new TinyConv2DNet(maxBatchSize: 3);
        AssertSameOutputs(layers, net, batch: 3, seed: 21);
    }

    [Fact]
    public void A_conv1d_net_gives_netgens_outputs()
    {
        Layer[] layers = LayerStack.From(2, 14).Conv(4, 3, ReLU, padding: 1).MaxPool(2).Conv(3, 5, Identity, padding: 2).Dense(6, ReLU).Dense(3, Sigmoid).Layers;
        var net = new TinyConv1DNet(maxBatchSize: 3);
        AssertSameOutputs(layers, net, batch: 3, seed: 22);
    }

    private static void AssertSameOutputs(Layer[] layers, INetwork net, int batch, ulong seed)
    {
        // The test means something only if NetGen's parameter buffer is laid out as the layers say: weight, then bias, per layer.
        Assert.Equal(layers.SelectMany(l => l.ParameterShapes).Select(s => string.Join("×", s)),
            net.ParameterTensors.OrderBy(t => t.Offset).Select(t => string.Join("×", t.Shape.ToArray())));
        var random = new SeededRandom(seed);
        random.FillNormal(net.Parameters, 0, 0.5);
        int inputSize = layers[0].Inputs, outputSize = layers[^1].Outputs;
        var inputs = new float[batch * inputSize];
        random.FillNormal(inputs, 0, 1);
        var expected = new float[batch * outputSize];
        net.Forward(inputs, expected, batch);

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(OnnxModel.Build(layers, net.Parameters, batch), options);
        long[] shape = [batch, .. layers[0].Input.Dims.Select(d => (long)d)];
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(new RunOptions(), [OnnxModel.InputName], [input], [OnnxModel.OutputName]);
        float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Distinct().Count() > outputSize, "the outputs should vary across samples and units");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"output {i}: NetGen {expected[i]}, ONNX Runtime {actual[i]}");
    }
}

/// <summary>2×8×6 → Conv2D(3, 3, pad 1) 3×8×6 → MaxPool2D(2) 3×4×3 → Conv2D(4, 2, stride 2) 4×2×1 → Dense(5, softmax).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
public partial class TinyConv2DNet
{
    [Input(2, 8, 6)]                                        public partial Node X { get; }
    [Conv2D(3, 3, Activation.ReLU, Padding = 1)]            public partial Node C1 { get; }
    [MaxPool2D(2)]                                          public partial Node P1 { get; }
    [Conv2D(4, 2, Activation.Tanh, Stride = 2)]             public partial Node C2 { get; }
    [Dense(5, Activation.Softmax)]                          public partial Node Output { get; }
}

/// <summary>2×14 → Conv1D(4, 3, pad 1) 4×14 → MaxPool1D(2) 4×7 → Conv1D(3, 5, pad 2) 3×7 → Dense(6, ReLU) → Dense(3, sigmoid).</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
public partial class TinyConv1DNet
{
    [Input(2, 14)]                                          public partial Node X { get; }
    [Conv1D(4, 3, Activation.ReLU, Padding = 1)]            public partial Node C1 { get; }
    [MaxPool1D(2)]                                          public partial Node P1 { get; }
    [Conv1D(3, 5, Padding = 2)]                             public partial Node C2 { get; }
    [Dense(6, Activation.ReLU)]                             public partial Node F3 { get; }
    [Dense(3, Activation.Sigmoid)]                          public partial Node Output { get; }
}
