using System;
using System.Linq;

namespace NetGen.Benchmarks;

/// <summary>
/// One workload, identical for every engine: the network's layers, the data, the initial parameters (NetGen's flat
/// layout, which is PyTorch's state-dict order: per layer the weight — [out, in], [out, in, k] or [out, in, k, k] — then
/// the bias [out]) and the optimiser. Batches are taken in order, without shuffling, as the seed's DataLoader does.
/// Inference workloads use the same data and parameters with a batch size of their own.
/// </summary>
public sealed class Workload
{
    public required string Name { get; init; }
    /// <summary>The generated class's name, also the workload's key in the results.</summary>
    public required string Network { get; init; }
    public required Layer[] Layers { get; init; }
    public required LossFunction Loss { get; init; }
    public required int BatchSize { get; init; }
    public required int Steps { get; init; }
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public required float LearningRate { get; init; }
    /// <summary>Row-major [Samples, InputSize].</summary>
    public required float[] Inputs { get; init; }
    /// <summary>Row-major [Samples, OutputSize] (one-hot rows for cross-entropy).</summary>
    public required float[] Targets { get; init; }
    public required float[] InitialParameters { get; init; }
    public required Func<int, INetwork> CreateNetGen { get; init; }
    /// <summary>
    /// How far (relative) another engine's loss after the last step may be from NetGen's. Float rounding differs between
    /// engines from the first step on, and some trainings amplify it: LeNet-5 with Adam on random labels ends 100 steps
    /// between 0.936 and 0.956 in NetGen alone, depending only on the vector width's summation order.
    /// </summary>
    public double FinalLossTolerance { get; init; } = 2e-2;
    /// <summary>Tells two training workloads of one network apart in the results' keys ("LeNet/train-adam"); empty for most.</summary>
    public string Variant { get; init; } = "";

    public Shape InputShape => Layers[0].Input;
    public int InputSize => Layers[0].Inputs;
    public int OutputSize => Layers[^1].Outputs;
    public int Samples => Inputs.Length / InputSize;
    public int BatchesPerEpoch => Samples / BatchSize;

    /// <summary>"cnn" when any layer is a convolution, otherwise "dense": the groups `compare --workloads` selects.</summary>
    public string Family => Layers.Any(l => l is ConvLayer) ? Cnn : Dense;

    public const string Dense = "dense", Cnn = "cnn";

    /// <summary>The training workload's key in the results: "SeedMlp/train", "LeNet/train-adam".</summary>
    public string TrainingKey => Variant.Length == 0 ? $"{Network}/train" : $"{Network}/train-{Variant}";

    /// <summary>FLOPs of the convolutions and matrix products of one training step (<see cref="NetGen.Benchmarks.Flops"/>).</summary>
    public double FlopsPerStep => Flops.TrainingStep(Layers, BatchSize);

    /// <summary>FLOPs of the convolutions and matrix products of a forward pass over <paramref name="batch"/> samples.</summary>
    public double ForwardFlops(int batch) => Flops.Forward(Layers, batch);

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
        Layer[] layers = [new DenseLayer(1, width, LayerActivation.Sigmoid), new DenseLayer(width, width, LayerActivation.Sigmoid), new DenseLayer(width, 1, LayerActivation.Identity)];
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
        Layer[] layers = [new DenseLayer(784, 256, LayerActivation.ReLU), new DenseLayer(256, 128, LayerActivation.ReLU), new DenseLayer(128, 10, LayerActivation.Softmax)];
        return Classification("MNIST-sized 784→256→128→10", "MnistMlp", layers, steps, dataSeed: 3, uniformInputs: true, b => new MnistMlp(b));
    }

    /// <summary>A small tabular classifier, 13 → 24 → 3 (ReLU, softmax; the shape of the UCI wine data): 512 samples x ~ N(0, 1), random labels.</summary>
    public static Workload SoftmaxClassifier()
    {
        Layer[] layers = [new DenseLayer(13, 24, LayerActivation.ReLU), new DenseLayer(24, 3, LayerActivation.Softmax)];
        return Classification("softmax classifier 13→24→3", "SoftmaxClassifier", layers, steps: 0, dataSeed: 5, uniformInputs: false, b => new SoftmaxClassifier(b));
    }

    private static Workload Classification(string name, string network, Layer[] layers, int steps, ulong dataSeed, bool uniformInputs, Func<int, INetwork> create,
        OptimizerKind optimizer = OptimizerKind.Sgd, float learningRate = 0.01f, string variant = "", double finalLossTolerance = 2e-2)
    {
        const int samples = 512;
        int inputs = layers[0].Inputs, classes = layers[^1].Outputs;
        var random = new SeededRandom(dataSeed);
        var x = new float[samples * inputs];
        var t = new float[samples * classes];
        for (int i = 0; i < x.Length; i++)
            x[i] = uniformInputs ? (float)random.NextDouble() : (float)random.NextNormal();
        for (int n = 0; n < samples; n++)
            t[n * classes + random.NextInt(classes)] = 1f;
        return new Workload
        {
            Name = name, Network = network, Layers = layers, Loss = LossFunction.SoftmaxCrossEntropy,
            BatchSize = 128, Steps = steps, Optimizer = optimizer, LearningRate = learningRate, Variant = variant, FinalLossTolerance = finalLossTolerance, Inputs = x, Targets = t,
            InitialParameters = DrawParameters(layers, seed: dataSeed + 1, weightStd: 0f, bias: 0f), CreateNetGen = create,
        };
    }

    /// <summary>
    /// LeNet-5 with batch normalisations (<see cref="NetGen.Benchmarks.LeNetBatchNorm"/>) on LeNet-5's data, for NetGen's
    /// threads table alone (no other engine runs it: its layers are described as LeNet-5's, which sizes its inputs and
    /// outputs); He-normal weights from seed 5, γ = 1 and β = 0.
    /// </summary>
    public static Workload LeNetBatchNorm(int steps)
    {
        Workload lenet = LeNet(OptimizerKind.Sgd, steps);
        var initial = new LeNetBatchNorm(1);
        Initializers.HeNormal(initial, 5);
        return new Workload
        {
            Name = "LeNet-5 + BatchNorm 1×28×28→10", Network = nameof(NetGen.Benchmarks.LeNetBatchNorm), Layers = lenet.Layers, Loss = lenet.Loss,
            BatchSize = lenet.BatchSize, Steps = steps, LearningRate = lenet.LearningRate, Inputs = lenet.Inputs, Targets = lenet.Targets,
            InitialParameters = initial.Parameters.ToArray(), CreateNetGen = b => new LeNetBatchNorm(b),
        };
    }

    /// <summary>
    /// Problem L's logistic neuron, ŷ = σ(w₀x₀ + w₁x₁ + b): 512 points x ~ N(0, 1), weights N(0, 1), bias 0.03.
    /// Inference only: one sample against the hand-written expression.
    /// </summary>
    public static Workload LogisticNeuron()
    {
        const int samples = 512;
        var random = new SeededRandom(7);
        var x = new float[samples * 2];
        random.FillNormal(x);
        Layer[] layers = [new DenseLayer(2, 1, LayerActivation.Sigmoid)];
        return new Workload
        {
            Name = "logistic neuron 2→1", Network = "LogisticNeuron", Layers = layers, Loss = LossFunction.MeanSquaredError,
            BatchSize = 1, Steps = 0, LearningRate = 0.1f, Inputs = x, Targets = new float[samples],
            InitialParameters = DrawParameters(layers, seed: 8, weightStd: 1f, bias: 0.03f), CreateNetGen = b => new LogisticNeuron(b),
        };
    }

    /// <summary>
    /// SimpleChains.jl's README workload: 4 → 32 → 16 → 4, tanh, identity output, squared error, Adam (η = 10⁻³), all
    /// 10,000 samples as one batch, so one step is one epoch. x ~ N(0, 1) read as a 2 × 2 matrix A; the target is e^A.
    /// FLOPs of an epoch: 2·10⁴·(2·(4·32 + 32·16 + 16·4) + (32·16 + 16·4)) = 39.7 MFLOP. Mean (not summed) squared error.
    /// </summary>
    public static Workload SimpleChains(int epochs)
    {
        const int samples = 10_000;
        var random = new SeededRandom(9);
        var x = new float[samples * 4];
        var y = new float[samples * 4];
        random.FillNormal(x);
        for (int n = 0; n < samples; n++)
            MatrixExponential2x2(x.AsSpan(n * 4, 4), y.AsSpan(n * 4, 4));
        Layer[] layers = [new DenseLayer(4, 32, LayerActivation.Tanh), new DenseLayer(32, 16, LayerActivation.Tanh), new DenseLayer(16, 4, LayerActivation.Identity)];
        return new Workload
        {
            Name = "SimpleChains 4→32→16→4", Network = "SimpleChainsMlp", Layers = layers, Loss = LossFunction.MeanSquaredError,
            BatchSize = samples, Steps = epochs, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, Inputs = x, Targets = y,
            InitialParameters = DrawParameters(layers, seed: 10, weightStd: 0f, bias: 0f), CreateNetGen = b => new SimpleChainsMlp(b),
        };
    }

    /// <summary>e^A of a row-major 2 × 2 matrix: A/2⁸ by 12 Taylor terms, then squared 8 times, in double.</summary>
    internal static void MatrixExponential2x2(ReadOnlySpan<float> a, Span<float> result)
    {
        const int squarings = 8;
        double s = 1.0 / (1 << squarings);
        double a00 = a[0] * s, a01 = a[1] * s, a10 = a[2] * s, a11 = a[3] * s;
        double e00 = 1, e01 = 0, e10 = 0, e11 = 1;   // the sum so far
        double t00 = 1, t01 = 0, t10 = 0, t11 = 1;   // the current term Aᵏ/k!
        for (int k = 1; k <= 12; k++)
        {
            (t00, t01, t10, t11) = ((t00 * a00 + t01 * a10) / k, (t00 * a01 + t01 * a11) / k, (t10 * a00 + t11 * a10) / k, (t10 * a01 + t11 * a11) / k);
            e00 += t00; e01 += t01; e10 += t10; e11 += t11;
        }
        for (int k = 0; k < squarings; k++)
            (e00, e01, e10, e11) = (e00 * e00 + e01 * e10, e00 * e01 + e01 * e11, e10 * e00 + e11 * e10, e10 * e01 + e11 * e11);
        result[0] = (float)e00; result[1] = (float)e01; result[2] = (float)e10; result[3] = (float)e11;
    }

    /// <summary>
    /// LeNet-5 (<see cref="Architectures.LeNet"/>) on 512 synthetic 28 × 28 images (uniform pixels in [0, 1), random
    /// labels of 10 classes); He-scaled weights; B = 128; SGD η = 0.01 or Adam η = 10⁻³.
    /// </summary>
    public static Workload LeNet(OptimizerKind optimizer, int steps)
    {
        bool adam = optimizer == OptimizerKind.Adam;
        // Adam's steps of about η per weight whatever the gradient's size carry rounding differences further than SGD's.
        return Classification(adam ? "LeNet-5 1×28×28→10 (Adam)" : "LeNet-5 1×28×28→10", "LeNet", Architectures.LeNet(), steps, dataSeed: 11,
            uniformInputs: true, b => new LeNet(b), optimizer, learningRate: adam ? 1e-3f : 0.01f, variant: adam ? "adam" : "", finalLossTolerance: adam ? 5e-2 : 2e-2);
    }

    /// <summary>The 1-D CNN (<see cref="Architectures.SignalCnn"/>) on 512 synthetic signals of 128 values x ~ N(0, 1), random labels of 4 classes; SGD η = 0.01, B = 128.</summary>
    public static Workload SignalCnn(int steps) =>
        Classification("1-D CNN 1×128→4", "SignalCnn", Architectures.SignalCnn(), steps, dataSeed: 13, uniformInputs: false, b => new SignalCnn(b));

    /// <summary>
    /// Per layer with weights W ~ N(0, std²) (std = 0 means He: √(2/fan-in), the fan-in being in × k × k as PyTorch
    /// counts it), then b = <paramref name="bias"/>, in the parameter layout every engine reads.
    /// </summary>
    private static float[] DrawParameters(Layer[] layers, ulong seed, float weightStd, float bias)
    {
        var random = new SeededRandom(seed);
        var parameters = new float[LayerStack.Validate(layers)];
        int offset = 0;
        foreach (Layer layer in layers)
        {
            if (layer.ParameterShapes is not [int[] weightShape, int[] biasShape])
                continue;
            int weights = weightShape.Aggregate(1, (a, b) => a * b), fanIn = weights / weightShape[0];
            double std = weightStd > 0 ? weightStd : Math.Sqrt(2.0 / fanIn);
            random.FillNormal(parameters.AsSpan(offset, weights), 0, std);
            parameters.AsSpan(offset + weights, biasShape[0]).Fill(bias);
            offset += weights + biasShape[0];
        }
        return parameters;
    }
}
