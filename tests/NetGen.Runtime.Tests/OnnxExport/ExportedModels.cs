using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Runtime.Tests.OnnxExport;

/// <summary>The export tests' networks by name, with random parameters and state, and ONNX Runtime running their models.</summary>
internal static class ExportedModels
{
    /// <summary>Every network of ExportNetworks.cs, for batches of up to 8.</summary>
    public static readonly Dictionary<string, Func<INetwork>> Networks = new()
    {
        ["Sigmoid"] = () => new ExportSigmoid(8),
        ["Tanh"] = () => new ExportTanh(8),
        ["ReLU"] = () => new ExportRelu(8),
        ["LeakyReLU"] = () => new ExportLeakyRelu(8),
        ["Softplus"] = () => new ExportSoftplus(8),
        ["BipolarSigmoid"] = () => new ExportBipolarSigmoid(8),
        ["Softmax"] = () => new ExportSoftmax(8),
        ["Conv2D"] = () => new ExportConv2D(8),
        ["ConvSoftmax"] = () => new ExportConvSoftmax(8),
        ["Conv1D"] = () => new ExportConv1D(8),
        ["Norms"] = () => new ExportNorms(8),
        ["Residual"] = () => new ExportResidual(8),
        ["Activations"] = () => new ExportActivations(8),
    };

    /// <summary>
    /// The network <paramref name="name"/> with parameters uniform in [−1, 1) (γ too, so that a swapped γ and β shows),
    /// running means in [−0.5, 0.5) and running variances in [0.5, 1.5), so that batch normalisation is not the identity.
    /// </summary>
    public static INetwork Create(string name, int seed = 1)
    {
        INetwork network = Networks[name]();
        var random = new Random(seed);
        Span<float> parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
            parameters[i] = 2 * random.NextSingle() - 1;
        Span<float> state = network.State;
        foreach (StateTensor tensor in network.StateTensors)
        {
            if (tensor.IsCount)
                continue;
            for (int i = 0; i < tensor.Length; i++)
                state[tensor.Offset + i] = tensor.Kind == StateKind.RunningVariance ? 0.5f + random.NextSingle() : random.NextSingle() - 0.5f;
        }
        return network;
    }

    /// <summary>Inputs uniform in [−2, 2).</summary>
    public static float[] Inputs(INetwork network, int batch, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = 4 * random.NextSingle() - 2;
        return inputs;
    }

    /// <summary>ONNX Runtime's outputs for <paramref name="inputs"/> (one thread), from the model's bytes, by the model's own input and output names.</summary>
    public static float[] Run(byte[] model, NetworkGraph graph, float[] inputs, int batch)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        long[] shape = [batch, .. graph.Input.Shape.ToArray().Select(d => (long)d)];
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var run = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(run, [graph.Input.Name], [input], [graph.Output.Name]);
        long[] outputShape = results[0].GetTensorTypeAndShape().Shape;
        if (!outputShape.SequenceEqual([batch, .. graph.Output.Shape.ToArray().Select(d => (long)d)]))
            throw new InvalidOperationException($"ONNX Runtime's output has shape [{string.Join(", ", outputShape)}]");
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
