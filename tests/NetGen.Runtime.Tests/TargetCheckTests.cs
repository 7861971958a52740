using System;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Targets are checked where they enter, against the loss: Backward and ComputeLoss refuse a batch, the Trainer and
/// Lbfgs refuse a Dataset, each naming the sample and the value; nothing trains on a target the loss has no answer for.
/// </summary>
public class TargetCheckTests
{
    private const string BinaryRule = "binary cross-entropy takes targets in [0, 1], the probability that the answer is yes (usually 0 or 1).";
    private const string DistributionRule = "softmax cross-entropy takes each sample's targets as a probability distribution over the classes " +
        "(no negative entry, summing to 1), such as a one-hot row; for class indices, use BackwardOnLabels and ComputeLossOnLabels, or a LabelDataset.";

    private static readonly float[] s_inputs = [0.5f, -1f, 1f, 0.25f, -0.5f, 2f];

    [Theory]
    [InlineData(2f, "2")]
    [InlineData(-1f, "-1")]
    [InlineData(float.NaN, "NaN")]
    public void Backward_AndComputeLoss_RefuseABinaryTargetOutsideZeroToOne(float bad, string shown)
    {
        var net = new BinaryNetwork(maxBatchSize: 3);
        Initializers.GlorotUniform(net, seed: 1);
        float[] before = net.Parameters.ToArray();
        float[] targets = [1f, 0f, bad];
        string message = $"targets[2] is {shown} (sample 2, value 0): {BinaryRule} (Parameter 'targets')";
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => net.Backward(s_inputs, targets, 3)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => net.ComputeLoss(s_inputs, targets, 3)).Message);
        Assert.Equal(before, net.Parameters.ToArray());
        Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Backward_TakesSoftBinaryTargets()
    {
        var net = new BinaryNetwork(maxBatchSize: 3);
        Initializers.GlorotUniform(net, seed: 1);
        // 0, 1 and a probability between: a label-smoothed target is a target.
        Assert.True(float.IsFinite(net.Backward(s_inputs, [0f, 1f, 0.3f], 3)));
    }

    [Theory]
    [InlineData(new float[] { 0, 0, 5 }, "targets[3..6] (sample 1) sums to 5")]
    [InlineData(new float[] { -1, 0, 2 }, "targets[3] is -1 (sample 1, value 0)")]
    [InlineData(new float[] { 0.5f, 0.25f, 0.2f }, "targets[3..6] (sample 1) sums to 0.95")]
    public void Backward_AndComputeLoss_RefuseACrossEntropyRowThatIsNoDistribution(float[] row, string start)
    {
        var net = new ThreeClassNetwork(maxBatchSize: 2);
        Initializers.GlorotUniform(net, seed: 1);
        float[] targets = [0, 1, 0, .. row];
        string message = $"{start}: {DistributionRule} (Parameter 'targets')";
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => net.Backward(s_inputs[..4], targets, 2)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => net.ComputeLoss(s_inputs[..4], targets, 2)).Message);
    }

    [Fact]
    public void Backward_TakesCrossEntropyRowsThatAreDistributions()
    {
        var net = new ThreeClassNetwork(maxBatchSize: 2);
        Initializers.GlorotUniform(net, seed: 1);
        // A one-hot row and a smoothed one whose float sum is off by rounding only.
        Assert.True(float.IsFinite(net.Backward(s_inputs[..4], [0, 0, 1, 0.1f, 0.7f, 0.2f], 2)));
    }

    [Fact]
    public void AOneHotLiteral_BindsToTheTargetRows_NotToLabels()
    {
        // Before: [0, 0, 1] bound to an overload taking ReadOnlySpan<int> classes and failed as three labels for one sample.
        var net = new ThreeClassNetwork(maxBatchSize: 1);
        Initializers.GlorotUniform(net, seed: 1);
        float oneHot = net.Backward([1f, 0f], [0, 0, 1], 1);
        float[] gradients = net.Gradients.ToArray();
        Assert.Equal(oneHot, net.BackwardOnLabels([1f, 0f], [2], 1), 6);
        Assert.Equal(gradients, net.Gradients.ToArray());
    }

    [Fact]
    public void Trainer_RefusesADatasetWhoseTargetsTheLossCannotTake_NamingTheSample()
    {
        var net = new BinaryNetwork(maxBatchSize: 4);
        Initializers.GlorotUniform(net, seed: 1);
        float[] before = net.Parameters.ToArray();
        var good = new Dataset(new float[8], [0, 1, 1, 0], inputSize: 2, targetSize: 1);
        var bad = new Dataset(new float[8], [0, 1, 1, 2], inputSize: 2, targetSize: 1);
        var trainer = new Trainer(net, new Sgd(0.1f));

        var e = Assert.Throws<ArgumentException>(() => trainer.Train(bad, epochs: 1));
        Assert.Equal("training", e.ParamName);
        Assert.Equal($"The training set's targets[3] is 2 (sample 3, value 0): {BinaryRule} Correct or drop that sample. (Parameter 'training')", e.Message);
        e = Assert.Throws<ArgumentException>(() => trainer.Train(good, epochs: 1, validation: bad));
        Assert.StartsWith("The validation set's targets[3] is 2 (sample 3, value 0)", e.Message);
        e = Assert.Throws<ArgumentException>(() => trainer.Evaluate(bad));
        Assert.StartsWith("The data set's targets[3] is 2", e.Message);
        Assert.Throws<ArgumentException>(() => new Lbfgs(BinaryNetwork.ParameterCount).Step(net, bad));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Trainer_RefusesACrossEntropyDatasetOfClassIndicesWrittenAsFloats()
    {
        // Labels 2, 0, 1 given as a one-column Dataset do not even fit; as rows they must be distributions.
        var net = new ThreeClassNetwork(maxBatchSize: 2);
        var rows = new Dataset(new float[4], [0, 0, 1, 0, 2, 0], inputSize: 2, targetSize: 3);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(net, new Sgd(0.1f)).Train(rows, epochs: 1));
        Assert.StartsWith("The training set's targets[3..6] (sample 1) sums to 2: ", e.Message);
    }

    [Fact]
    public void SquaredError_TakesAnyFiniteTarget()
    {
        INetwork net = new TinyNetwork(maxBatchSize: 1);
        Assert.Null(net.DescribeInvalidTargets([-5f, 1e6f], "targets"));
    }
}
