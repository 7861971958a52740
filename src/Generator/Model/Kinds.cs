namespace NetGen.Generator.Model;

// Mirrors of the runtime's enums, by value: the generator reads attribute arguments as integers
// and must not load the runtime assembly.

internal enum NodeKind
{
    Input,
    Dense,
    Add,
    Max,
}

internal enum ActivationKind
{
    Identity,
    Sigmoid,
    Tanh,
    ReLU,
    LeakyReLU,
    Softplus,
    BipolarSigmoid,
    Softmax,
}

internal enum LossKind
{
    MeanSquaredError,
    SumSquaredError,
    BinaryCrossEntropy,
    SoftmaxCrossEntropy,
}

internal enum ReductionKind
{
    Default,
    Mean,
    Sum,
}
