using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NetGen;
using Xunit;

namespace NetGen.Tests.Seeds;

/// <summary>
/// Every activation, loss and graph construct of the language against central finite differences, for every
/// parameter and every input, with several seeds.
/// </summary>
public class LanguageGradientTests
{
    private static readonly Dictionary<string, Func<int, INetwork>> s_networks = new()
    {
        ["leaky-relu"] = b => new LeakyReluChain(b),
        ["softplus"] = b => new SoftplusChain(b),
        ["bipolar-sigmoid, ½Σ, no-bias output"] = b => new BipolarSigmoidChain(b),
        ["softmax hidden and output, Σ squared error"] = b => new SoftmaxWithSquaredError(b),
        ["binary cross-entropy, mean"] = b => new BinaryCrossEntropyMean(b),
        ["binary cross-entropy, sum, L2"] = b => new BinaryCrossEntropySumWithL2(b),
        ["softmax cross-entropy, mean"] = b => new SoftmaxCrossEntropyMean(b),
        ["softmax cross-entropy, sum, scale 2, L2"] = b => new SoftmaxCrossEntropySumWithL2(b),
        ["mean squared error, L2"] = b => new SquaredErrorWithL2(b),
        ["residual add"] = b => new SmallResidual(b),
        ["max of three"] = b => new MaxOfThree(b),
        ["shared nodes, Output =, forward From"] = b => new SharedNodes(b),
    };

    public static IEnumerable<object[]> Cases()
    {
        foreach (string name in s_networks.Keys)
            foreach (ulong seed in new ulong[] { 1, 2, 3 })
                yield return [name, seed];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_MatchesFiniteDifferences(string name, ulong seed)
    {
        const int batch = 3;
        INetwork network = TestData.Network(s_networks[name], batch, seed);
        float[] inputs = TestData.Normal(batch * network.InputSize, seed + 100);
        float[] targets = Targets(network, batch, seed + 200);

        GradientCheckResult result = GradientCheck.Run(network, inputs, targets, batch);

        Assert.Equal(network.ParameterCount + inputs.Length, result.Checked);
        Assert.True(result.Passed, result.ToString());
    }

    /// <summary>Targets the loss accepts: probabilities for BCE, one-hot rows for softmax cross-entropy, anything otherwise.</summary>
    internal static float[] Targets(INetwork network, int batch, ulong seed)
    {
        var random = new SeededRandom(seed);
        var targets = new float[batch * network.OutputSize];
        switch (network)
        {
            case BinaryCrossEntropyMean or BinaryCrossEntropySumWithL2:
                random.FillUniform(targets, 0, 1);
                break;
            case SoftmaxCrossEntropyMean or SoftmaxCrossEntropySumWithL2:
                for (int n = 0; n < batch; n++)
                    targets[n * network.OutputSize + random.NextInt(network.OutputSize)] = 1f;
                break;
            default:
                random.FillNormal(targets);
                break;
        }
        return targets;
    }

    /// <summary>
    /// Each activation and each loss appears in a network that a finite-difference test checks (here or in
    /// <see cref="GradientTests"/>), read from the declarations' own attributes: dropping a case, or adding an enum
    /// member without one, fails here.
    /// </summary>
    [Fact]
    public void Cases_CoverEveryActivationAndLoss()
    {
        var networks = new List<INetwork>();
        foreach (Func<int, INetwork> create in s_networks.Values)
            networks.Add(create(1));
        foreach (object[] row in GradientTests.Networks())
            networks.Add(GradientTests.Create((string)row[0], 1, (ulong)row[1]));

        var activations = new HashSet<Activation>();
        var losses = new HashSet<Loss>();
        foreach (INetwork network in networks)
        {
            Type type = network.GetType();
            losses.Add(type.GetCustomAttribute<NetworkAttribute>()!.Loss);
            foreach (PropertyInfo property in type.GetProperties())
            {
                if (property.GetCustomAttribute<DenseAttribute>() is { } dense)
                    activations.Add(dense.Activation);
            }
        }
        Activation[] untestedActivations = Enum.GetValues<Activation>().Where(a => !activations.Contains(a)).ToArray();
        Loss[] untestedLosses = Enum.GetValues<Loss>().Where(l => !losses.Contains(l)).ToArray();
        Assert.True(untestedActivations.Length == 0 && untestedLosses.Length == 0,
            $"No gradient check covers: {string.Join(", ", untestedActivations)} {string.Join(", ", untestedLosses)}");
    }

    [Fact]
    public void SoftmaxCrossEntropy_ClassIndices_EqualOneHotTargets()
    {
        const int batch = 4;
        var network = TestData.Network(b => new SoftmaxCrossEntropySumWithL2(b), batch, 5);
        float[] inputs = TestData.Normal(batch * SoftmaxCrossEntropySumWithL2.InputSize, 6);
        int[] classes = [2, 0, 1, 2];
        var oneHot = new float[batch * SoftmaxCrossEntropySumWithL2.OutputSize];
        for (int n = 0; n < batch; n++)
            oneHot[n * SoftmaxCrossEntropySumWithL2.OutputSize + classes[n]] = 1f;
        var inputGradientsOneHot = new float[inputs.Length];
        var inputGradientsClasses = new float[inputs.Length];

        float lossOneHot = network.Backward(inputs, oneHot, batch, inputGradientsOneHot);
        float[] gradientsOneHot = network.Gradients.ToArray();
        float lossClasses = network.BackwardOnLabels(inputs, classes, batch, inputGradientsClasses);

        Assert.Equal(lossOneHot, lossClasses, 5);
        Assert.Equal(lossOneHot, network.ComputeLossOnLabels(inputs, classes, batch), 5);
        AssertClose(gradientsOneHot, network.Gradients.ToArray(), 1e-6);
        AssertClose(inputGradientsOneHot, inputGradientsClasses, 1e-6);
        var e = Assert.Throws<ArgumentException>(() => network.ComputeLossOnLabels(inputs, [0, 1, 3, 0], batch));
        Assert.Equal("labels[2] is 3 (sample 2): a label is a class index in [0, 3), one per sample. (Parameter 'labels')", e.Message);
        Assert.Throws<ArgumentException>(() => network.BackwardOnLabels(inputs, [0, -1, 2, 0], batch));
    }

    [Fact]
    public void L2_AddsLambdaTimesSquaredWeightNorm_AndTwoLambdaW_WeightsOnly()
    {
        // Twins with one layout, one with L2 = 0.25 and one without: the differences are exactly λ‖W‖² and 2λW.
        const int batch = 2;
        const float lambda = 0.25f;
        var withL2 = TestData.Network(b => new SquaredErrorWithL2(b), batch, 7);
        var without = new SquaredErrorTwinWithoutL2(batch);
        withL2.Parameters.CopyTo(without.Parameters);
        float[] inputs = TestData.Normal(batch * SquaredErrorWithL2.InputSize, 8);
        float[] targets = TestData.Normal(batch * SquaredErrorWithL2.OutputSize, 9);

        float loss = withL2.Backward(inputs, targets, batch);
        float lossWithout = without.Backward(inputs, targets, batch);

        double penalty = 0;
        int weights = 0, biases = 0;
        foreach (ParameterTensor tensor in withL2.ParameterTensors)
        {
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                float w = withL2.Parameters[i];
                if (tensor.Kind == ParameterKind.Weight)
                {
                    penalty += lambda * (double)w * w;
                    Assert.Equal(without.Gradients[i] + 2 * lambda * w, withL2.Gradients[i], 5);
                    weights++;
                }
                else
                {
                    Assert.Equal(without.Gradients[i], withL2.Gradients[i]);
                    biases++;
                }
            }
        }
        Assert.True(penalty > 0.5, $"penalty {penalty}: too small to tell apart");
        Assert.Equal(lossWithout + penalty, loss, 5);
        Assert.Equal(loss, withL2.ComputeLoss(inputs, targets, batch), 6);
        Assert.Equal((3 * 5 + 5 * 2, 5 + 2), (weights, biases));
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"[{i}]: {expected[i]} vs {actual[i]}");
    }
}
