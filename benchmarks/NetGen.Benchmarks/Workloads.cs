using System;

namespace NetGen.Benchmarks;

/// <summary>The activations the benchmark networks use (the scalar reference and libtorch build theirs from these).</summary>
public enum LayerActivation { Identity, Sigmoid, ReLU, Softmax }

/// <summary>The losses the benchmark networks use.</summary>
public enum LossFunction { MeanSquaredError, SoftmaxCrossEntropy }

/// <summary>One dense layer: z = W·x + b with W row-major [Units, Inputs] (PyTorch's layout), then the activation.</summary>
public sealed record Layer(int Inputs, int Units, LayerActivation Activation);

/// <summary>
/// One training workload, identical for every engine: the network's layers, the data, the initial parameters
/// (NetGen's flat layout: per layer W [out, in] then b [out]) and the SGD settings. Batches are taken in order,
/// without shuffling, as the seed's DataLoader does.
/// </summary>
public sealed class Workload
{
    public required string Name { get; init; }
    public required string Network { get; init; }
    public required Layer[] Layers { get; init; }
    public required LossFunction Loss { get; init; }
    public required int BatchSize { get; init; }
    public required int Steps { get; init; }
    public required float LearningRate { get; init; }
    /// <summary>Row-major [Samples, InputSize].</summary>
    public required float[] Inputs { get; init; }
    /// <summary>Row-major [Samples, OutputSize] (one-hot rows for cross-entropy).</summary>
    public required float[] Targets { get; init; }
    public required float[] InitialParameters { get; init; }
    public required Func<int, INetwork> CreateNetGen { get; init; }

    public int InputSize => Layers[0].Inputs;
    public int OutputSize => Layers[^1].Units;
    public int Samples => Inputs.Length / InputSize;
    public int BatchesPerEpoch => Samples / BatchSize;

    /// <summary>
    /// Floating-point operations of the matrix products of one training step (2 per multiply-add):
    /// forward W·x and ∂L/∂W for every layer, ∂L/∂x for every layer but the first. Activations and the loss are not counted.
    /// </summary>
    public double FlopsPerStep
    {
        get
        {
            double flops = 0;
            for (int l = 0; l < Layers.Length; l++)
                flops += (l == 0 ? 2 : 3) * 2.0 * BatchSize * Layers[l].Inputs * Layers[l].Units;
            return flops;
        }
    }

    /// <summary>Floating-point operations of the matrix products of a forward pass over <paramref name="batch"/> samples.</summary>
    public double ForwardFlops(int batch)
    {
        double flops = 0;
        foreach (Layer layer in Layers)
            flops += 2.0 * batch * layer.Inputs * layer.Units;
        return flops;
    }

    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (Layer layer in Layers)
                count += layer.Units * (layer.Inputs + 1);
            return count;
        }
    }

    /// <summary>Problem A: 512 points x ~ N(0, 1), y = (x − 2)·cos(4x); weights N(0, 1), biases 0.03; SGD η = 0.1, B = 128.</summary>
    public static Workload SeedMlp(int steps = 4000) => Regression("seed MLP 1→64→64→1", "SeedMlp", 64, steps, weightStd: 1f, b => new SeedMlp(b));

    /// <summary>The same problem, 1 → 256 → 256 → 1, with He-scaled weights (N(0, 1) weights make 256 sigmoids diverge at η = 0.1).</summary>
    public static Workload WideMlp(int steps) => Regression("wide MLP 1→256→256→1", "WideMlp", 256, steps, weightStd: 0f, b => new WideMlp(b));

    private static Workload Regression(string name, string network, int width, int steps, float weightStd, Func<int, INetwork> create)
    {
        const int samples = 512;
        var random = new SeededRandom(1);
        var x = new float[samples];
        var y = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            x[i] = (float)random.NextNormal();
            y[i] = (x[i] - 2f) * MathF.Cos(4f * x[i]);
        }
        Layer[] layers = [new(1, width, LayerActivation.Sigmoid), new(width, width, LayerActivation.Sigmoid), new(width, 1, LayerActivation.Identity)];
        return new Workload
        {
            Name = name, Network = network, Layers = layers, Loss = LossFunction.MeanSquaredError,
            BatchSize = 128, Steps = steps, LearningRate = 0.1f, Inputs = x, Targets = y,
            InitialParameters = DrawParameters(layers, seed: 2, weightStd, bias: 0.03f), CreateNetGen = create,
        };
    }

    /// <summary>784 → 256 → 128 → 10 on 512 synthetic "images" (uniform pixels, random labels); He-scaled weights, SGD η = 0.01.</summary>
    public static Workload MnistMlp(int steps)
    {
        const int samples = 512, classes = 10, pixels = 784;
        var random = new SeededRandom(3);
        var x = new float[samples * pixels];
        var t = new float[samples * classes];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)random.NextDouble();
        for (int n = 0; n < samples; n++)
            t[n * classes + random.NextInt(classes)] = 1f;
        Layer[] layers = [new(pixels, 256, LayerActivation.ReLU), new(256, 128, LayerActivation.ReLU), new(128, classes, LayerActivation.Softmax)];
        return new Workload
        {
            Name = "MNIST-sized 784→256→128→10", Network = "MnistMlp", Layers = layers, Loss = LossFunction.SoftmaxCrossEntropy,
            BatchSize = 128, Steps = steps, LearningRate = 0.01f, Inputs = x, Targets = t,
            InitialParameters = DrawParameters(layers, seed: 4, weightStd: 0f, bias: 0f), CreateNetGen = b => new MnistMlp(b),
        };
    }

    /// <summary>Per layer W ~ N(0, std²) (std = 0 means He: √(2/fan-in)), then b = <paramref name="bias"/>.</summary>
    private static float[] DrawParameters(Layer[] layers, ulong seed, float weightStd, float bias)
    {
        var random = new SeededRandom(seed);
        int count = 0;
        foreach (Layer layer in layers)
            count += layer.Units * (layer.Inputs + 1);
        var parameters = new float[count];
        int offset = 0;
        foreach (Layer layer in layers)
        {
            int weights = layer.Units * layer.Inputs;
            double std = weightStd > 0 ? weightStd : Math.Sqrt(2.0 / layer.Inputs);
            random.FillNormal(parameters.AsSpan(offset, weights), 0, std);
            parameters.AsSpan(offset + weights, layer.Units).Fill(bias);
            offset += weights + layer.Units;
        }
        return parameters;
    }
}
