using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;
using static NetGen.Runtime.Tests.SafeTensorsFiles;

namespace NetGen.Runtime.Tests;

/// <summary>Weight files on disk: atomic replacement under concurrent writers and readers, folders, and non-finite weights.</summary>
public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"netgen-weights-{Guid.NewGuid():N}");

    public SafeTensorsFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static TinyNetwork Tiny()
    {
        var network = new TinyNetwork();
        TinyParameters.CopyTo(network.Parameters);
        return network;
    }

    /// <summary>
    /// Four writers save networks whose parameters are all 1, 2, 3 or 4 onto one path while two readers load it:
    /// every load must see one whole file (all values equal), and nothing may throw.
    /// </summary>
    [Fact]
    public void ConcurrentWritersAndReaders_NeverSeeATornFile()
    {
        string path = Path.Combine(_folder, "shared.safetensors");
        const int Writers = 4, SavesEach = 12;
        var networks = Enumerable.Range(1, Writers).Select(k =>
        {
            var network = new WideNetwork(); // 197,248 parameters: a 789 KB file, written in many pieces
            network.Parameters.Fill(k);
            return network;
        }).ToArray();
        SafeTensors.Save(networks[0], path);

        var errors = new ConcurrentQueue<Exception>();
        var seen = new ConcurrentDictionary<float, int>();
        int writersLeft = Writers;
        void Guarded(Action action)
        {
            try { action(); } catch (Exception e) { errors.Enqueue(e); }
        }
        var writers = networks.Select(network => new Thread(() => Guarded(() =>
        {
            for (int i = 0; i < SavesEach; i++)
                SafeTensors.Save(network, path);
            Interlocked.Decrement(ref writersLeft);
        }))).ToArray();
        var readers = Enumerable.Range(0, 2).Select(_ => new Thread(() => Guarded(() =>
        {
            var reader = new WideNetwork();
            do
            {
                SafeTensors.Load(reader, path);
                float first = reader.Parameters[0];
                int other = reader.Parameters.IndexOfAnyExcept(first);
                if (other >= 0)
                    Assert.Fail($"a torn file loaded: values {first} and {reader.Parameters[other]} (at {other})");
                seen.AddOrUpdate(first, 1, (_, n) => n + 1);
            }
            while (Volatile.Read(ref writersLeft) > 0 && errors.IsEmpty);
        }))).ToArray();
        Thread[] all = [.. writers, .. readers];
        foreach (Thread thread in all)
            thread.Start();
        foreach (Thread thread in all)
            thread.Join();

        Assert.True(errors.IsEmpty, string.Join("\n\n", errors));
        Assert.NotEmpty(seen);
        Assert.Equal(["shared.safetensors"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName)); // no temporary file left
        var last = new WideNetwork();
        SafeTensors.Load(last, path);
        Assert.Contains(last.Parameters[0], new[] { 1f, 2f, 3f, 4f });
    }

    [Fact]
    public void Save_CreatesMissingFolders()
    {
        string path = Path.Combine(_folder, "a", "b", "tiny.safetensors");
        SafeTensors.Save(Tiny(), path);
        var copy = new TinyNetwork();
        SafeTensors.Load(copy, path);
        Assert.Equal(TinyParameters, copy.Parameters.ToArray());
        Assert.Equal(["tiny.safetensors"], Directory.GetFileSystemEntries(Path.Combine(_folder, "a", "b")).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_OntoADirectory_SaysSo_AndLeavesNothingBehind()
    {
        string directory = Path.Combine(_folder, "weights");
        Directory.CreateDirectory(directory);
        var e = Assert.Throws<IOException>(() => SafeTensors.Save(Tiny(), directory));
        Assert.Equal($"Cannot save weights to '{directory}': it is a directory. Give the path of a file, such as '{Path.Combine(directory, "model.safetensors")}'.", e.Message);
        Assert.Equal(["weights"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void Load_FromADirectory_SaysSo()
    {
        var network = Tiny();
        var e = Assert.Throws<IOException>(() => SafeTensors.Load(network, _folder));
        Assert.Equal($"Cannot load weights from '{_folder}': it is a directory, not a safetensors file.", e.Message);
        Assert.Equal(TinyParameters, network.Parameters.ToArray());
    }

    [Fact]
    public void Save_OfANonFiniteParameter_IsRefused_UnlessAllowed()
    {
        string path = Path.Combine(_folder, "nan.safetensors");
        TinyNetwork network = Tiny();
        network.Parameters[10] = float.NaN; // Output.weight [1, 3] starts at 9
        var e = Assert.Throws<InvalidOperationException>(() => SafeTensors.Save(network, path));
        Assert.Equal("The network's parameter 10 (Output.weight[0, 1]) is NaN: a weight file of it would make every output NaN. Set SafeTensorsOptions.AllowNonFiniteValues to save it anyway.", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));

        var allow = new SafeTensorsOptions { AllowNonFiniteValues = true };
        SafeTensors.Save(network, path, allow);
        var copy = new TinyNetwork();
        var refused = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(copy, path));
        Assert.Equal($"{path}: Tensor 'Output.weight' holds NaN at [0, 1]: non-finite weights make every output NaN. Set SafeTensorsOptions.AllowNonFiniteValues to load it anyway.", refused.Message);
        Assert.All(copy.Parameters.ToArray(), p => Assert.Equal(0f, p));   // nothing loaded
        SafeTensors.Load(copy, path, allow);
        Assert.True(float.IsNaN(copy.Parameters[10]));
    }

    [Fact]
    public void Load_OfAnInfiniteBias_IsRefused()
    {
        float[] values = (float[])TinyParameters.Clone();
        values[12] = float.NegativeInfinity; // Output.bias[0], the very last value
        var network = new TinyNetwork();
        var e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, Build(TinyHeader(), F32(values))));
        Assert.StartsWith("Tensor 'Output.bias' holds −∞ at [0]", e.Message);
    }
}
