using System;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Class labels as a first-class path: a LabelDataset checks its labels, and the Trainer trains on it exactly as on
/// the one-hot rows of the same labels, allocating nothing per epoch.
/// </summary>
public class LabelTrainingTests
{
    private const int Samples = 90;

    /// <summary>Three classes by the angle of a point in the plane; the labels and their one-hot rows.</summary>
    private static (float[] Inputs, int[] Labels, float[] OneHot) Data()
    {
        var random = new SeededRandom(3);
        var inputs = new float[2 * Samples];
        var labels = new int[Samples];
        var oneHot = new float[3 * Samples];
        for (int i = 0; i < Samples; i++)
        {
            float x = (float)random.NextUniform(-1, 1), y = (float)random.NextUniform(-1, 1);
            (inputs[2 * i], inputs[2 * i + 1]) = (x, y);
            labels[i] = (int)((MathF.Atan2(y, x) + MathF.PI) / (2 * MathF.PI) * 3) % 3;
            oneHot[3 * i + labels[i]] = 1;
        }
        return (inputs, labels, oneHot);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainingOnLabels_EqualsTrainingOnTheirOneHotRows(bool shuffle)
    {
        (float[] inputs, int[] labels, float[] oneHot) = Data();
        var options = new TrainerOptions { BatchSize = 16, Shuffle = shuffle, ShuffleSeed = 9 };

        var onRows = new ThreeClassNetwork(maxBatchSize: 16);
        Initializers.GlorotUniform(onRows, seed: 2);
        var rowTrainer = new Trainer(onRows, new Adam(0.05f), options);
        EpochReport rows = rowTrainer.Train(new Dataset(inputs, oneHot, 2, 3), epochs: 30, new Dataset(inputs, oneHot, 2, 3));

        var onLabels = new ThreeClassNetwork(maxBatchSize: 16);
        Initializers.GlorotUniform(onLabels, seed: 2);
        var labelTrainer = new Trainer(onLabels, new Adam(0.05f), options);
        EpochReport fromLabels = labelTrainer.Train(new LabelDataset(inputs, labels, 2, 3), epochs: 30, new LabelDataset(inputs, labels, 2, 3));

        // The same batches, the same gradients up to the rounding of p·Σt − t against p − e_class.
        Assert.Equal(rows.TrainingLoss, fromLabels.TrainingLoss, 4);
        Assert.Equal(rows.ValidationLoss!.Value, fromLabels.ValidationLoss!.Value, 4);
        float[] a = onRows.Parameters.ToArray(), b = onLabels.Parameters.ToArray();
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(a[i], b[i], 3);
        // And it learned: chance is ln 3 = 1.10.
        Assert.InRange(fromLabels.ValidationLoss!.Value, 0, 0.5);
        Assert.Equal(labelTrainer.Evaluate(new LabelDataset(inputs, labels, 2, 3)), rowTrainer.Evaluate(new Dataset(inputs, oneHot, 2, 3)), 4);
    }

    [Fact]
    public void TrainerEpochsOnLabels_AllocateNothing()
    {
        (float[] inputs, int[] labels, _) = Data();
        var data = new LabelDataset(inputs, labels, 2, 3);
        foreach (bool shuffle in new[] { false, true })
        {
            var net = new ThreeClassNetwork(maxBatchSize: 16);
            Initializers.GlorotUniform(net, seed: 2);
            var trainer = new Trainer(net, new Sgd(0.1f), new TrainerOptions { BatchSize = 16, Shuffle = shuffle });
            trainer.Train(data, 1, data);
            Assert.Equal(0, Allocations.OnThisThread(() => trainer.Train(data, 20, data)));
        }
    }

    [Fact]
    public void LabelDataset_RefusesALabelOutOfRange_NamingTheSample()
    {
        var e = Assert.Throws<ArgumentException>(() => new LabelDataset(new float[6], [0, 3, 1], inputSize: 2, classCount: 3));
        Assert.Equal("labels", e.ParamName);
        Assert.Equal("labels[1] is 3 (sample 1): a label is a class index in [0, 3), one per sample. (Parameter 'labels')", e.Message);
        Assert.StartsWith("labels[0] is -1 (sample 0)", Assert.Throws<ArgumentException>(() => new LabelDataset(new float[2], [-1], 2, 3)).Message);
        Assert.StartsWith("3 samples need 3 labels, one each; 2 were given.", Assert.Throws<ArgumentException>(() => new LabelDataset(new float[6], [0, 1], 2, 3)).Message);
        Assert.StartsWith("inputs[1] is NaN (sample 0, value 1)", Assert.Throws<ArgumentException>(() => new LabelDataset([0, float.NaN], [0], 2, 3)).Message);
    }

    [Fact]
    public void Trainer_RefusesLabels_ForANetworkWhoseLossTakesNone_AndOtherClassCounts()
    {
        var labels = new LabelDataset(new float[4], [0, 1], inputSize: 2, classCount: 2);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(new BinaryNetwork(2), new Sgd(0.1f)).Train(labels, epochs: 1));
        Assert.Equal("The training set holds class labels, but this network's loss does not take them (only Loss.SoftmaxCrossEntropy does): " +
            "give it a Dataset of target rows. (Parameter 'training')", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Trainer(new ThreeClassNetwork(2), new Sgd(0.1f)).Train(labels, epochs: 1));
        Assert.StartsWith("The training set has samples of 2 values and 2 classes; the network maps 2 values to 3 classes.", e.Message);
    }
}
