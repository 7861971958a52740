using System;

namespace NetGen;

/// <summary>The worst disagreement between a network's backward pass and central finite differences.</summary>
/// <param name="Checked">How many parameters and inputs were compared.</param>
/// <param name="WorstError">The largest |analytic − numeric| / (absoluteTolerance + relativeTolerance·max(|analytic|, |numeric|)); ≤ 1 passes.</param>
/// <param name="WorstName">Which value had it, by row and column as the safetensors errors name it: "H.weight[3, 0]", "H.bias[3]", or "input[1, 0]" (sample, value).</param>
/// <param name="Analytic">The backward pass's value there.</param>
/// <param name="Numeric">The finite difference there.</param>
public readonly record struct GradientCheckResult(int Checked, double WorstError, string WorstName, float Analytic, float Numeric)
{
    /// <summary>Whether every compared gradient was within tolerance.</summary>
    public bool Passed => WorstError <= 1;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Checked} gradients checked; worst {WorstName}: analytic {Analytic:G6}, numeric {Numeric:G6} ({WorstError:F3} of the tolerance)";
}

/// <summary>
/// Checks <see cref="INetwork.Backward"/> against central finite differences (L(θ+ε) − L(θ−ε)) / 2ε of
/// <see cref="INetwork.ComputeLoss"/>, for every parameter and every input. It allocates: it is a test tool.
/// </summary>
/// <remarks>
/// A network with state (batch normalisation) computes its training loss with the batch's statistics and its
/// evaluation loss with the running ones, so for it the differences are taken of the loss <see cref="INetwork.Backward"/>
/// returns, the loss the gradients belong to; the state those training passes move is put back afterwards.
/// </remarks>
public static class GradientCheck
{
    /// <summary>Runs the check; parameters are restored exactly afterwards.</summary>
    public static GradientCheckResult Run(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize,
        float epsilon = 1e-3f, double absoluteTolerance = 1e-3, double relativeTolerance = 2e-2)
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] state = network.State.ToArray();
        long[] counts = network.StateCounts.ToArray();
        bool trainingLoss = network.StateTensors.Count > 0;
        var inputGradients = new float[inputs.Length];
        network.Backward(inputs, targets, batchSize, inputGradients);
        float[] gradients = network.Gradients.ToArray();

        var worst = new GradientCheckResult(0, 0, "", 0, 0);
        int count = 0;
        Span<float> parameters = network.Parameters;
        foreach (ParameterTensor tensor in network.ParameterTensors)
        {
            for (int i = 0; i < tensor.Length; i++)
            {
                int index = tensor.Offset + i;
                double numeric = CentralDifference(network, parameters, index, inputs, targets, batchSize, epsilon, trainingLoss);
                worst = Worse(worst, tensor.Name + ParameterIndex.Element(tensor, i), gradients[index], numeric, absoluteTolerance, relativeTolerance);
                count++;
            }
        }

        float[] perturbed = inputs.ToArray();
        // Inputs are named as a [batchSize, InputSize] tensor, like parameters: "input[1, 0]" is sample 1's first value.
        var inputShape = new TensorShape(batchSize, network.InputSize);
        for (int i = 0; i < perturbed.Length; i++)
        {
            // The perturbed value is one of the inputs themselves: the same array is both.
            double numeric = CentralDifference(network, perturbed, i, perturbed, targets, batchSize, epsilon, trainingLoss);
            worst = Worse(worst, "input" + inputShape.Element(i), inputGradients[i], numeric, absoluteTolerance, relativeTolerance);
            count++;
        }
        state.CopyTo(network.State);
        counts.CopyTo(network.StateCounts);
        gradients.CopyTo(network.Gradients);
        return worst with { Checked = count };
    }

    /// <summary>(L(v + ε) − L(v − ε)) / 2ε for one value v = values[index], which is restored exactly afterwards.</summary>
    private static double CentralDifference(INetwork network, Span<float> values, int index,
        ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, float epsilon, bool trainingLoss)
    {
        float saved = values[index];
        values[index] = saved + epsilon;
        double plus = trainingLoss ? network.Backward(inputs, targets, batchSize) : network.ComputeLoss(inputs, targets, batchSize);
        values[index] = saved - epsilon;
        double minus = trainingLoss ? network.Backward(inputs, targets, batchSize) : network.ComputeLoss(inputs, targets, batchSize);
        values[index] = saved;
        return (plus - minus) / (2.0 * epsilon);
    }

    private static GradientCheckResult Worse(GradientCheckResult worst, string name, float analytic, double numeric, double absoluteTolerance, double relativeTolerance)
    {
        double error = Math.Abs(analytic - numeric) / (absoluteTolerance + relativeTolerance * Math.Max(Math.Abs(analytic), Math.Abs(numeric)));
        if (double.IsNaN(error))
            error = double.PositiveInfinity;
        return error > worst.WorstError || worst.WorstName.Length == 0 ? new GradientCheckResult(0, error, name, analytic, (float)numeric) : worst;
    }
}
