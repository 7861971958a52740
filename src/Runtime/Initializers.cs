using System;

namespace NetGen;

/// <summary>Parameter initialisers. Each fills every tensor of a network, deterministically under a seed.</summary>
public static class Initializers
{
    /// <summary>
    /// The seed problems' initialisation: every weight ~ N(0, <paramref name="weightStd"/>²), every bias = <paramref name="bias"/>
    /// (problem A: N(0, 1) and 0.03).
    /// </summary>
    public static void NormalWeightsConstantBias(INetwork network, ulong seed, float weightStd = 1f, float bias = 0.03f)
    {
        ArgumentNullException.ThrowIfNull(network);
        var random = new SeededRandom(seed);
        Span<float> parameters = network.Parameters;
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            Span<float> values = parameters.Slice(tensor.Offset, tensor.Length);
            if (tensor.Kind == ParameterKind.Weight)
                random.FillNormal(values, 0, weightStd);
            else
                values.Fill(bias);
        }
    }
}
