using System;

namespace NetGen;

/// <summary>
/// Parameter initialisers. Each fills every tensor of a network, deterministically under a seed: the tensors are
/// visited in <see cref="INetwork.ParameterTensors"/> order and drawn from one <see cref="SeededRandom"/>, so the
/// same seed gives the same parameters on every machine.
/// </summary>
/// <remarks>
/// fan_in is the number of inputs of a layer (a weight matrix's columns), fan_out its number of units (rows).
/// Apart from <see cref="PyTorchLinearDefault"/>, biases are set to a constant (0 unless given). Every initialiser also
/// makes the network's state fresh (<see cref="INetwork.StateTensors"/>: running means 0, running variances 1, batch
/// counts 0), as PyTorch's <c>reset_parameters</c> does for a batch normalisation.
/// </remarks>
public static class Initializers
{
    /// <summary>
    /// The seed problems' initialisation: every weight ~ N(0, <paramref name="weightStd"/>²), every bias = <paramref name="bias"/>
    /// (problem A: N(0, 1) and 0.03).
    /// </summary>
    public static void NormalWeightsConstantBias(INetwork network, ulong seed, float weightStd = 1f, float bias = 0.03f) =>
        Fill(network, seed, Distribution.Normal, (_, _) => weightStd, bias);

    /// <summary>
    /// Xavier (LeCun) normal: W ~ N(0, 1/fan_in), the variance-preserving scale of LeCun et al. (1998) that Caffe
    /// calls "xavier". For Glorot and Bengio's 2/(fan_in + fan_out) see <see cref="GlorotNormal"/>.
    /// </summary>
    public static void XavierNormal(INetwork network, ulong seed, float bias = 0f) =>
        Fill(network, seed, Distribution.Normal, (fanIn, _) => Math.Sqrt(1.0 / fanIn), bias);

    /// <summary>LeCun normal: W ~ N(0, 1/fan_in); the same draws as <see cref="XavierNormal"/>.</summary>
    public static void LeCunNormal(INetwork network, ulong seed, float bias = 0f) => XavierNormal(network, seed, bias);

    /// <summary>Glorot normal (PyTorch's <c>xavier_normal_</c>): W ~ N(0, 2/(fan_in + fan_out)).</summary>
    public static void GlorotNormal(INetwork network, ulong seed, float bias = 0f) =>
        Fill(network, seed, Distribution.Normal, (fanIn, fanOut) => Math.Sqrt(2.0 / (fanIn + fanOut)), bias);

    /// <summary>Glorot uniform (PyTorch's <c>xavier_uniform_</c>): W ~ U(−a, a), a = √(6/(fan_in + fan_out)), variance 2/(fan_in + fan_out).</summary>
    public static void GlorotUniform(INetwork network, ulong seed, float bias = 0f) =>
        Fill(network, seed, Distribution.Uniform, (fanIn, fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut)), bias);

    /// <summary>He normal (PyTorch's <c>kaiming_normal_</c> for ReLU, fan-in mode): W ~ N(0, 2/fan_in).</summary>
    public static void HeNormal(INetwork network, ulong seed, float bias = 0f) =>
        Fill(network, seed, Distribution.Normal, (fanIn, _) => Math.Sqrt(2.0 / fanIn), bias);

    /// <summary>He uniform (PyTorch's <c>kaiming_uniform_</c> for ReLU, fan-in mode): W ~ U(−a, a), a = √(6/fan_in), variance 2/fan_in.</summary>
    public static void HeUniform(INetwork network, ulong seed, float bias = 0f) =>
        Fill(network, seed, Distribution.Uniform, (fanIn, _) => Math.Sqrt(6.0 / fanIn), bias);

    /// <summary>
    /// What a fresh PyTorch <c>nn.Linear</c> does: W ~ U(−k, k) and b ~ U(−k, k) with k = 1/√fan_in
    /// (<c>kaiming_uniform_(a=√5)</c> for the weight), variance 1/(3·fan_in) for both.
    /// </summary>
    public static void PyTorchLinearDefault(INetwork network, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ResetState(network);
        var random = new SeededRandom(seed);
        Span<float> parameters = network.Parameters;
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            if (FillsNormalisation(parameters, tensor))
                continue;
            // A bias belongs to the same layer as its weight: its fan_in is the weight's number of columns.
            double bound = 1.0 / Math.Sqrt(FanIn(network, tensor));
            random.FillUniform(parameters.Slice(tensor.Offset, tensor.Length), -bound, bound);
        }
    }

    private enum Distribution { Normal, Uniform }

    /// <summary>Draws every weight from N(0, scale²) or U(−scale, scale) and sets every bias to <paramref name="bias"/>.</summary>
    private static void Fill(INetwork network, ulong seed, Distribution distribution, Func<int, int, double> scale, float bias)
    {
        ArgumentNullException.ThrowIfNull(network);
        ResetState(network);
        var random = new SeededRandom(seed);
        Span<float> parameters = network.Parameters;
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            if (FillsNormalisation(parameters, tensor))
                continue;
            Span<float> values = parameters.Slice(tensor.Offset, tensor.Length);
            if (tensor.Kind != ParameterKind.Weight)
            {
                values.Fill(bias);
                continue;
            }
            double s = scale(tensor.FanIn, tensor.FanOut);
            if (distribution == Distribution.Normal)
                random.FillNormal(values, 0, s);
            else
                random.FillUniform(values, -s, s);
        }
    }

    /// <summary>
    /// A normalisation's scale γ = 1 and shift β = 0, as PyTorch's LayerNorm starts (whatever scheme the weights get):
    /// true when <paramref name="tensor"/> is one of them.
    /// </summary>
    private static bool FillsNormalisation(Span<float> parameters, ParameterTensor tensor)
    {
        if (tensor.Kind is not (ParameterKind.Scale or ParameterKind.Shift))
            return false;
        parameters.Slice(tensor.Offset, tensor.Length).Fill(tensor.Kind == ParameterKind.Scale ? 1f : 0f);
        return true;
    }

    /// <summary>
    /// Makes the network's state fresh, as a new instance has it: running means 0, running variances 1, batch counts 0
    /// (PyTorch's <c>reset_running_stats</c>). The initialisers call it; call it alone to forget the running statistics
    /// and keep the parameters.
    /// </summary>
    public static void ResetState(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Span<float> state = network.State;
        foreach (StateTensor tensor in network.StateTensors)
        {
            if (tensor.IsCount)
                network.StateCounts.Slice(tensor.Offset, tensor.Length).Clear();
            else
                state.Slice(tensor.Offset, tensor.Length).Fill(tensor.FreshValue);
        }
    }

    /// <summary>The fan-in of the layer a tensor belongs to (a bias reads it from its layer's weight).</summary>
    private static int FanIn(INetwork network, ParameterTensor tensor)
    {
        if (tensor.Kind == ParameterKind.Weight)
            return tensor.FanIn;
        foreach (ParameterTensor other in network.ParameterTensors)
        {
            if (other.Kind == ParameterKind.Weight && other.Node == tensor.Node)
                return other.FanIn;
        }
        throw new InvalidOperationException($"The bias '{tensor.Name}' has no weight matrix in its layer '{tensor.Node}'.");
    }
}
