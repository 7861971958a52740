using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;
using Xunit;
using NetGen.Testing;

namespace NetGen.Tests;

/// <summary>
/// Models exported by torch.onnx.export and compiled by [OnnxNetwork] (OnnxNetworks.cs) compute what PyTorch computed
/// with the same weights (Fixtures/Onnx/make_onnx_fixtures.py wrote both): the outputs, and, for one Backward, the loss,
/// every parameter's gradient under PyTorch's name, and the inputs' gradient, for a batch of three.
/// </summary>
public class OnnxImportTests
{
    private const int Batch = 3;

    [Fact]
    public void DenseClassifier_ComputesWhatPyTorchComputed()
    {
        var network = new OnnxDenseClassifier(Batch);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "out.weight", "out.bias"], network.ParameterTensors.ToArray().Select(t => t.Name));
        AgreesWithPyTorch(network, "dense-classifier", softmax: true);
    }

    [Fact]
    public void Residual_ComputesWhatPyTorchComputed()
    {
        var network = new OnnxResidual(Batch);
        // x @ W.T + b was exported as MatMul of a pre-transposed constant "onnx::MatMul_15" and an Add of "head_bias":
        // NetGen's layer holds W as PyTorch's head_weight [4, 16], named after its node.
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "MatMul.weight", "MatMul.bias"], network.ParameterTensors.ToArray().Select(t => t.Name));
        AgreesWithPyTorch(network, "residual", softmax: false, new() { ["MatMul.weight"] = "head_weight", ["MatMul.bias"] = "head_bias" });
    }

    [Fact]
    public void LeNet_ComputesWhatPyTorchComputed()
    {
        var network = new OnnxLeNet(Batch);
        // conv1's weights were renamed by the exporter when it folded bn1 into them ("onnx::Conv_28"): the node's module path names them.
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
            network.ParameterTensors.ToArray().Select(t => t.Name));
        AgreesWithPyTorch(network, "lenet", softmax: true);
    }

    [Fact]
    public void ResidualCnn_ActivationsAfterAnAddAndABatchNorm_AreNodesOfTheirOwn_AndComputeWhatPyTorchComputed()
    {
        INetwork network = new OnnxResidualCnn(Batch);
        NetworkGraph graph = OnnxResidualCnn.Graph;
        // The ReLUs after the convolutions run inside them; the one after the Add and the one after bn3 are [Activation] nodes.
        Assert.Equal([GraphNodeKind.Input, GraphNodeKind.Conv2D, GraphNodeKind.Conv2D, GraphNodeKind.Conv2D, GraphNodeKind.Add, GraphNodeKind.Activation,
            GraphNodeKind.MaxPool2D, GraphNodeKind.Dense, GraphNodeKind.BatchNorm, GraphNodeKind.Activation, GraphNodeKind.Dense], graph.Nodes.Select(n => n.Kind));
        Assert.All(graph.Nodes.Where(n => n.Kind == GraphNodeKind.Activation), n => Assert.Equal(Activation.ReLU, n.Activation));
        Assert.Equal([Activation.ReLU, Activation.ReLU, Activation.Identity], graph.Nodes.Where(n => n.Kind == GraphNodeKind.Conv2D).Select(n => n.Activation));
        Assert.Equal(["conv0.weight", "conv0.bias", "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias", "bn3.weight", "bn3.bias", "out.weight", "out.bias"],
            network.ParameterTensors.ToArray().Select(t => t.Name));
        Expected expected = Expected.Load("residual-cnn");
        float[] inputs = expected["inputs"], targets = expected["targets"];

        // Evaluation (bn3's running statistics): the probabilities of PyTorch's logits, and its loss ...
        var outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs, outputs, Batch);
        AssertClose(Softmax(expected["outputs"], network.OutputSize), outputs, 1e-5f, "outputs");
        Assert.Equal(expected.Scalar("eval_loss"), network.ComputeLoss(inputs, targets, Batch), 5);

        // ... and training (bn3's batch statistics), against float64 PyTorch. A normalisation over three samples amplifies
        // float32's rounding: PyTorch's own float32 gradients of conv0 are 2e-5 from these, NetGen's as far, so the
        // gradients are held to 1e-4 (a wrong f′ is off by O(1)).
        TrainsAsPyTorchDid(network, expected, 1e-4f);
    }

    /// <summary>One Backward over the expected batch: PyTorch's loss, every parameter's gradient and the inputs' gradient.</summary>
    private static void TrainsAsPyTorchDid(INetwork network, Expected expected, float gradientTolerance)
    {
        float[] inputs = expected["inputs"], targets = expected["targets"];
        var inputGradients = new float[inputs.Length];
        Assert.Equal(expected.Loss, network.Backward(inputs, targets, Batch, inputGradients), 5);
        foreach (ParameterTensor tensor in network.ParameterTensors)
            AssertClose(expected["grad." + tensor.Name], network.Gradients.Slice(tensor.Offset, tensor.Length).ToArray(), gradientTolerance, "∂L/∂" + tensor.Name);
        AssertClose(expected["grad.inputs"], inputGradients, gradientTolerance, "∂L/∂inputs");
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void Normalizations_ComputeWhatPyTorchComputed(int opset)
    {
        INetwork network = opset == 13 ? new OnnxNorms13(Batch) : new OnnxNorms17(Batch);
        Assert.Equal(["fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "ln.weight", "ln.bias", "out.weight", "out.bias"],
            network.ParameterTensors.ToArray().Select(t => t.Name));
        Assert.Equal(["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"], network.StateTensors.ToArray().Select(t => t.Name));
        // ONNX's momentum 0.9 (the weight of the running value) is PyTorch's 0.1 exactly, not 1 − 0.9f = 0.100000024.
        Assert.Equal(0.1f, network.Graph!.Nodes.Single(n => n.Kind == GraphNodeKind.BatchNorm).Momentum);
        Expected expected = Expected.Load("norms");
        // The running statistics start at the file's.
        AssertClose(expected["running_mean"], network.State[..12].ToArray(), 0f, "running_mean");
        AssertClose(expected["running_var"], network.State[12..24].ToArray(), 0f, "running_var");

        // Evaluation uses the running statistics (PyTorch's eval mode) ...
        float[] inputs = expected["inputs"], targets = expected["targets"];
        var outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs, outputs, Batch);
        AssertClose(expected["outputs"], outputs, 1e-5f, "outputs");
        Assert.Equal(expected.Scalar("eval_loss"), network.ComputeLoss(inputs, targets, Batch), 5);

        // ... and Backward trains with the batch's (PyTorch's train mode): its loss and every gradient.
        TrainsAsPyTorchDid(network, expected, 1e-5f);
    }

    [Fact]
    public void ImportedNetwork_LoadsPyTorchsSafetensorsByName()
    {
        // Weights of another training run, saved by PyTorch under its names, replace the embedded ones.
        var network = new OnnxDenseClassifier(Batch);
        SafeTensors.Load(network, Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx", "dense-classifier.retrained.safetensors"));
        Expected expected = Expected.Load("dense-classifier.retrained", suffix: ".json");
        var outputs = new float[Batch * OnnxDenseClassifier.OutputSize];
        network.Forward(expected["inputs"], outputs, Batch);
        AssertClose(Softmax(expected["outputs"], OnnxDenseClassifier.OutputSize), outputs, 1e-5f, "outputs");
        Assert.NotEqual(new OnnxDenseClassifier().Parameters.ToArray(), network.Parameters.ToArray());
    }

    [Fact]
    public void ImportedNetwork_HasNodePropertiesNamedAfterPyTorchsModules()
    {
        var network = new OnnxLeNet(Batch);
        var inputs = new float[Batch * OnnxLeNet.InputSize];
        inputs.AsSpan().Fill(0.5f);
        network.Forward(inputs, new float[Batch * OnnxLeNet.OutputSize], Batch);
        Assert.Equal(4 * 12 * 12, network.Conv1.Size);
        Assert.Equal(4 * 6 * 6, network.MaxPool.Size);
        Assert.Equal(6 * 2 * 2, network.AveragePool.Size);
        Assert.Equal(16, network.Fc1.Size);
        Assert.Equal(144, OnnxLeNet.InputSize);
        Assert.Equal(5, OnnxLeNet.OutputSize);
    }

    [Fact]
    public void ImportedNetwork_TrainsWithoutAllocating()
    {
        var network = new OnnxDenseClassifier(Batch);
        Expected expected = Expected.Load("dense-classifier");
        float[] inputs = expected["inputs"], targets = expected["targets"];
        var outputs = new float[Batch * OnnxDenseClassifier.OutputSize];
        network.Backward(inputs, targets, Batch);
        network.Forward(inputs, outputs, Batch);
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                network.Backward(inputs, targets, Batch);
                network.Forward(inputs, outputs, Batch);
            }
        }));
    }

    [Fact]
    public void ImportedNetwork_EachInstanceStartsFromTheFilesWeights()
    {
        var first = new OnnxResidual();
        first.Parameters.Clear();
        var second = new OnnxResidual();
        Assert.Contains(second.Parameters.ToArray(), v => v != 0f);
        Assert.Equal(second.Parameters.ToArray(), new OnnxResidual().Parameters.ToArray());
    }

    private static void AgreesWithPyTorch(INetwork network, string name, bool softmax, Dictionary<string, string>? pytorchNames = null)
    {
        Expected expected = Expected.Load(name);
        float[] inputs = expected["inputs"], targets = expected["targets"];
        Assert.Equal(Batch * network.InputSize, inputs.Length);

        var outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs, outputs, Batch);
        float[] logits = expected["outputs"];
        // A cross-entropy network answers probabilities: the softmax of PyTorch's logits, computed here in double.
        AssertClose(softmax ? Softmax(logits, network.OutputSize) : logits, outputs, 1e-5f, "outputs");
        Assert.Equal(expected.Loss, network.ComputeLoss(inputs, targets, Batch), 5);

        var inputGradients = new float[inputs.Length];
        float loss = network.Backward(inputs, targets, Batch, inputGradients);
        Assert.Equal(expected.Loss, loss, 5);
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            string pytorch = pytorchNames is not null && pytorchNames.TryGetValue(tensor.Name, out string? renamed) ? renamed : tensor.Name;
            float[] gradient = expected["grad." + pytorch];
            Assert.Equal(tensor.Length, gradient.Length);
            AssertClose(gradient, network.Gradients.Slice(tensor.Offset, tensor.Length).ToArray(), 1e-5f, "∂L/∂" + tensor.Name);
        }
        AssertClose(expected["grad.inputs"], inputGradients, 1e-5f, "∂L/∂inputs");
    }

    private static float[] Softmax(float[] logits, int width)
    {
        var result = new float[logits.Length];
        for (int row = 0; row < logits.Length / width; row++)
        {
            double max = logits.Skip(row * width).Take(width).Max(), sum = 0;
            for (int j = 0; j < width; j++)
                sum += Math.Exp(logits[row * width + j] - max);
            for (int j = 0; j < width; j++)
                result[row * width + j] = (float)(Math.Exp(logits[row * width + j] - max) / sum);
        }
        return result;
    }

    /// <summary>|expected − actual| ≤ tolerance · max(1, |expected|), naming the first element that is not.</summary>
    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Contains(expected, v => v != 0f); // an all-zero expectation would prove nothing
        for (int i = 0; i < expected.Length; i++)
        {
            float allowed = tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed,
                $"{what}[{i}]: PyTorch {expected[i]:R}, NetGen {actual[i]:R} (allowed difference {allowed:G3})");
        }
    }

    /// <summary>A fixture's expected values: the script's JSON of float lists and the loss.</summary>
    private sealed class Expected(JsonElement root)
    {
        public static Expected Load(string name, string suffix = ".expected.json") =>
            new(JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx", name + suffix))).RootElement);

        public float Loss => Scalar("loss");

        public float Scalar(string name) => (float)root.GetProperty(name).GetDouble();

        public float[] this[string tensor] => root.TryGetProperty(tensor, out JsonElement values)
            ? values.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()
            : throw new InvalidDataException($"the fixture has no tensor '{tensor}'");
    }
}
