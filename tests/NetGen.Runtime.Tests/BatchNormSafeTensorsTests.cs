using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetGen;
using Xunit;
using static NetGen.Runtime.Tests.SafeTensorsFiles;

namespace NetGen.Runtime.Tests;

/// <summary>Two features in, a batch normalisation of them, one value out: its state is 2 + 2 floats and one count.</summary>
[Network(Loss = Loss.MeanSquaredError)]
public partial class NormalisedPair
{
    [Input(2)] public partial Node X { get; }
    [BatchNorm] public partial Node N { get; }
    [Dense(1)] public partial Node Y { get; }
}

/// <summary>
/// State tensors in weight files: saved and loaded under PyTorch's names, shapes and dtypes (num_batches_tracked an I64
/// scalar), each bad state tensor refused with a message that names it, and the network unchanged after a refusal.
/// </summary>
public class BatchNormSafeTensorsTests
{
    private static NormalisedPair Trained()
    {
        var network = new NormalisedPair(4);
        Initializers.HeNormal(network, 3);
        network.Backward([1f, 2f, 3f, 6f, -1f, 0f, 5f, 1f], [0f, 1f, 0f, 1f], 4);
        network.Backward([0f, 2f, 4f, 1f, -2f, 1f, 1f, 1f], [1f, 1f, 0f, 0f], 4);
        return network;
    }

    [Fact]
    public void RoundTrip_KeepsParametersAndState_UnderPyTorchsNamesShapesAndDTypes()
    {
        NormalisedPair source = Trained();
        byte[] file = SafeTensors.Serialize(source);

        SafeTensorsHeader header = SafeTensorsHeader.Parse(file);
        Assert.Equal(
            ["N.weight F32 [2]", "N.bias F32 [2]", "Y.weight F32 [1, 2]", "Y.bias F32 [1]", "N.running_mean F32 [2]", "N.running_var F32 [2]", "N.num_batches_tracked I64 []"],
            header.Tensors.Select(t => $"{t.Name} {t.DType} {t.ShapeText}"));
        var loaded = new NormalisedPair();
        SafeTensors.Load(loaded, file);
        Assert.Equal(source.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(source.State.ToArray(), loaded.State.ToArray());
        Assert.Equal(2, loaded.NBatchesTracked);
        Assert.NotEqual([0f, 0f, 1f, 1f], loaded.State.ToArray());
    }

    [Fact]
    public void Count_IsWrittenAsEightLittleEndianBytes()
    {
        NormalisedPair network = Trained();
        network.NBatchesTracked = 0x0102030405L;
        byte[] file = SafeTensors.Serialize(network);
        SafeTensorsHeader header = SafeTensorsHeader.Parse(file);
        SafeTensorsEntry count = header.Find("N.num_batches_tracked")!;
        Assert.Equal([0x05, 0x04, 0x03, 0x02, 0x01, 0, 0, 0], file.AsSpan((int)(header.DataStart + count.Begin), 8).ToArray());
    }

    /// <summary>Case → (the file's state entries replaced, a fragment of the message).</summary>
    private static readonly Dictionary<string, (Func<Entry[], Entry[]> Change, string Message)> s_cases = new()
    {
        ["count as F32"] = (e => Replace(e, new Entry("N.num_batches_tracked", "F32", [], F32(2f))),
            "State tensor 'N.num_batches_tracked' has dtype F32; the count of training batches N has seen is I64, as PyTorch writes num_batches_tracked"),
        ["count of shape [1]"] = (e => Replace(e, new Entry("N.num_batches_tracked", "I64", [1], I64(2))),
            "Tensor 'N.num_batches_tracked' has shape [1]; the network's N.num_batches_tracked needs []"),
        ["negative count"] = (e => Replace(e, new Entry("N.num_batches_tracked", "I64", [], I64(-3))),
            "State tensor 'N.num_batches_tracked' holds -3: the count of training batches N has seen counts batches, and is never negative"),
        ["running variance as F64"] = (e => Replace(e, new Entry("N.running_var", "F64", [2], new byte[16])),
            "State tensor 'N.running_var' has dtype F64; the running variance of N is F32"),
        ["running mean of shape [3]"] = (e => Replace(e, new Entry("N.running_mean", "F32", [3], F32(0f, 0f, 0f))),
            "Tensor 'N.running_mean' has shape [3]; the network's N.running_mean needs [2]"),
        ["negative variance"] = (e => Replace(e, new Entry("N.running_var", "F32", [2], F32(1f, -0.5f))),
            "State tensor 'N.running_var' holds -0.5 at [1]: a variance is never negative"),
        ["NaN mean"] = (e => Replace(e, new Entry("N.running_mean", "F32", [2], F32(float.NaN, 0f))),
            "State tensor 'N.running_mean' holds NaN at [0]: a non-finite running statistic makes every output NaN"),
        ["missing running variance"] = (e => e.Where(x => x.Name != "N.running_var").ToArray(),
            "The file has no state tensor 'N.running_var', the running variance of N, which the network needs with shape [2]. PyTorch's strict load_state_dict would refuse it too. Set SafeTensorsOptions.AllowMissingState"),
    };

    public static IEnumerable<object[]> Cases() => s_cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadState_NamesTheProblem_AndChangesNothing(string name)
    {
        (Func<Entry[], Entry[]> change, string message) = s_cases[name];
        byte[] file = Write(change(Entries(Trained())));
        NormalisedPair network = Trained();
        network.Parameters[0] = 42f;
        float[] parameters = network.Parameters.ToArray(), state = network.State.ToArray();

        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, file));

        Assert.Contains(message, error.Message);
        Assert.Equal(parameters, network.Parameters.ToArray());
        Assert.Equal(state, network.State.ToArray());
        Assert.Equal(2, network.NBatchesTracked);
    }

    [Fact]
    public void AllowMissingState_LoadsTheParameters_AndKeepsTheNetworksOwnState()
    {
        NormalisedPair source = Trained();
        source.Parameters.Fill(0.5f);
        byte[] file = Write(Entries(source).Where(e => !e.Name.Contains("running") && !e.Name.Contains("batches")).ToArray());
        var network = new NormalisedPair();

        SafeTensors.Load(network, file, new SafeTensorsOptions { AllowMissingState = true });

        Assert.All(network.Parameters.ToArray(), v => Assert.Equal(0.5f, v));
        Assert.Equal([0f, 0f, 1f, 1f], network.State.ToArray());
        Assert.Equal(0, network.NBatchesTracked);
    }

    [Fact]
    public void TensorNames_MapStateTensorsToo()
    {
        NormalisedPair source = Trained();
        var names = new Dictionary<string, string> { ["N.running_mean"] = "0.running_mean", ["N.num_batches_tracked"] = "0.num_batches_tracked" };
        byte[] file = SafeTensors.Serialize(source, new SafeTensorsOptions { TensorNames = names });
        Assert.NotNull(SafeTensorsHeader.Parse(file).Find("0.num_batches_tracked"));

        var loaded = new NormalisedPair();
        SafeTensors.Load(loaded, file, new SafeTensorsOptions { TensorNames = names });
        Assert.Equal(source.State.ToArray(), loaded.State.ToArray());
        Assert.Equal(2, loaded.NBatchesTracked);
    }

    [Fact]
    public void Save_RefusesANonFiniteRunningStatistic()
    {
        NormalisedPair network = Trained();
        network.NRunningVariance[1] = float.PositiveInfinity;
        var error = Assert.Throws<InvalidOperationException>(() => SafeTensors.Serialize(network));
        Assert.Contains("The network's state N.running_var[1] is +∞", error.Message);
        Assert.NotEmpty(SafeTensors.Serialize(network, new SafeTensorsOptions { AllowNonFiniteValues = true }));
    }

    private sealed record Entry(string Name, string DType, long[] Shape, byte[] Data);

    private static Entry[] Entries(INetwork network)
    {
        byte[] file = SafeTensors.Serialize(network);
        SafeTensorsHeader header = SafeTensorsHeader.Parse(file);
        return header.Tensors.Select(t => new Entry(t.Name, t.DType, t.Shape.ToArray(), file.AsSpan((int)(header.DataStart + t.Begin), (int)t.ByteLength).ToArray())).ToArray();
    }

    private static Entry[] Replace(Entry[] entries, Entry replacement) => entries.Select(e => e.Name == replacement.Name ? replacement : e).ToArray();

    private static byte[] Write(Entry[] entries)
    {
        var header = new StringBuilder("{");
        var data = new List<byte>();
        foreach (Entry entry in entries)
        {
            if (header.Length > 1)
                header.Append(',');
            header.Append($"\"{entry.Name}\":{{\"dtype\":\"{entry.DType}\",\"shape\":[{string.Join(",", entry.Shape)}],\"data_offsets\":[{data.Count},{data.Count + entry.Data.Length}]}}");
            data.AddRange(entry.Data);
        }
        return Build(header.Append('}').ToString(), data.ToArray());
    }

    private static byte[] I64(long value) => BitConverter.GetBytes(value);
}

/// <summary>The Trainer keeps a network's state with its parameters: a diverged batch leaves neither changed.</summary>
public class BatchNormTrainerTests
{
    [Fact]
    public void DivergedBatch_PutsTheStateBackAsItWasBeforeIt()
    {
        var network = new NormalisedPair(2);
        Initializers.HeNormal(network, 1);
        float[] inputs = [1f, 2f, 3f, 5f, 0f, 1f, 2f, 2f];
        var data = new Dataset(inputs, [0f, 1f, 1f, 0f], inputSize: 2, targetSize: 1);
        data.Inputs[4] = float.NaN;   // after the Dataset checked it: the second batch's loss is NaN
        var trainer = new Trainer(network, new Sgd(0.01f), new TrainerOptions { BatchSize = 2 });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data, epochs: 1));

        Assert.Equal(2, error.Batch);
        Assert.Equal(1, network.NBatchesTracked);
        // Samples (1, 2) and (3, 5) moved the fresh statistics once: means 2 and 3.5, unbiased variances 2 and 4.5.
        float[] expected = [0.2f, 0.35f, 1.1f, 1.35f], state = network.State.ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - state[i]) < 1e-6, $"state[{i}]: {state[i]} vs {expected[i]}");
    }
}
