using System;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests.OnnxExport;

/// <summary>
/// Exported models run: ONNX Runtime loads each exported network, one of every layer kind and activation, and gives the
/// outputs of NetGen's Forward for the same inputs (1e-5 relative), at batch 1 and at batch 5 of the one file (the batch
/// dimension is symbolic).
/// </summary>
public class OnnxRuntimeExportTests
{
    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (string name in ExportedModels.Networks.Keys)
        {
            cases.Add(name, 1);
            cases.Add(name, 5);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxRuntime_GivesForwardsOutputs(string name, int batch)
    {
        INetwork network = ExportedModels.Create(name);
        byte[] model = Onnx.Serialize(network);
        float[] inputs = ExportedModels.Inputs(network, batch, seed: 7 + batch);
        var expected = new float[batch * network.OutputSize];
        network.Forward(inputs, expected, batch);

        float[] actual = ExportedModels.Run(model, network.Graph!, inputs, batch);

        Assert.Equal(expected.Length, actual.Length);
        // The comparison means something only if the outputs do: finite, and not one repeated value.
        Assert.All(expected, value => Assert.True(float.IsFinite(value)));
        Assert.True(expected.Distinct().Count() >= 2, $"{name}'s outputs do not vary: {string.Join(", ", expected)}");
        AssertClose(expected, actual, network.OutputSize);
    }

    /// <summary>
    /// Each output within 1e-5 of NetGen's, relative to its size, or absolute for outputs below 1: the layers' terms are
    /// of size 1 or so and are summed in another order, so an output that cancels to near 0 (0.0029 from terms near 1)
    /// differs by their rounding, about 1e-7, not by its own.
    /// </summary>
    internal static void AssertClose(float[] expected, float[] actual, int outputSize)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            float tolerance = 1e-5f * MathF.Max(MathF.Abs(expected[i]), 1f);
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance,
                $"sample {i / outputSize}, output {i % outputSize}: NetGen {expected[i]:R}, ONNX Runtime {actual[i]:R} (tolerance {tolerance:G3})");
        }
    }

    [Fact]
    public void TheComparison_CatchesAChangedWeight()
    {
        // A test that cannot fail is no test: the same check fails when the model holds one weight changed by 1 %
        // (C1.weight[0, 0, 1, 2]: every output depends on it).
        INetwork network = ExportedModels.Create("Conv2D");
        float[] inputs = ExportedModels.Inputs(network, 3, seed: 3);
        var expected = new float[3 * network.OutputSize];
        network.Forward(inputs, expected, 3);
        network.Parameters[5] *= 1.01f;
        float[] changed = ExportedModels.Run(Onnx.Serialize(network), network.Graph!, inputs, 3);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertClose(expected, changed, network.OutputSize));
    }

    [Fact]
    public void Save_ChangesNothingInTheNetwork()
    {
        INetwork network = ExportedModels.Create("Norms");
        float[] parameters = network.Parameters.ToArray(), state = network.State.ToArray();
        long[] counts = network.StateCounts.ToArray();
        float[] inputs = ExportedModels.Inputs(network, 4, seed: 1);
        var before = new float[4 * network.OutputSize];
        network.Forward(inputs, before, 4);

        byte[] first = Onnx.Serialize(network);
        using (var stream = new System.IO.MemoryStream())
            Onnx.Save(network, stream);

        Assert.Equal(parameters, network.Parameters.ToArray());
        Assert.Equal(state, network.State.ToArray());
        Assert.Equal(counts, network.StateCounts.ToArray());
        var after = new float[4 * network.OutputSize];
        network.Forward(inputs, after, 4);
        Assert.Equal(before, after);
        Assert.Equal(first, Onnx.Serialize(network));   // and the export is deterministic
    }
}
