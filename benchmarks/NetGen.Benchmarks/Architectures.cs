using static NetGen.Benchmarks.LayerActivation;

namespace NetGen.Benchmarks;

/// <summary>
/// The convolutional networks of `compare`, layer by layer as every engine builds them; each mirrors a declaration of
/// Networks.cs (NetGen's compiler checks the declaration, the workload checks that the two have the same parameter
/// tensors). Plain data, so that the FLOP counts are tested without NetGen or a native engine.
/// </summary>
public static class Architectures
{
    /// <summary>LeNet-5 as the convolutional-networks issue declares it: 1×28×28 → 10 classes, 61,706 parameters.</summary>
    public static Layer[] LeNet() => LayerStack.From(1, 28, 28)
        .Conv(6, 5, ReLU, padding: 2)    // C1: 6×28×28
        .MaxPool(2)                      // S2: 6×14×14
        .Conv(16, 5, ReLU)               // C3: 16×10×10
        .MaxPool(2)                      // S4: 16×5×5
        .Dense(120, ReLU)                // F5 reads S4 flattened: 400 → 120
        .Dense(84, ReLU)                 // F6
        .Dense(10, Softmax)              // Output
        .Layers;

    /// <summary>The 1-D CNN on signals of the issue: 1×128 → 4 classes.</summary>
    public static Layer[] SignalCnn() => LayerStack.From(1, 128)
        .Conv(16, 7, ReLU, padding: 3)   // 16×128
        .MaxPool(2)                      // 16×64
        .Conv(32, 5, ReLU, padding: 2)   // 32×64
        .MaxPool(2)                      // 32×32
        .Dense(64, ReLU)                 // reads 1024 values
        .Dense(4, Softmax)
        .Layers;
}
