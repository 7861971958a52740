using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// Emits a compilation to memory and loads it in a collectible context that shares NetGen.Runtime with the test,
/// so that the generated classes cast to the test's <see cref="INetwork"/>.
/// </summary>
public sealed class NetworkLoader : AssemblyLoadContext, IDisposable
{
    private static readonly Assembly s_runtime = typeof(INetwork).Assembly;

    public Assembly Assembly { get; }

    public NetworkLoader(Compilation compilation) : base("NetGenFuzz", isCollectible: true)
    {
        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image);
        if (!result.Success)
            throw new InvalidOperationException("The compilation does not emit: " + string.Join("; ", result.Diagnostics));
        image.Position = 0;
        Assembly = LoadFromStream(image);
    }

    public INetwork Create(string typeName, int maxBatchSize) =>
        (INetwork)Activator.CreateInstance(Assembly.GetType(typeName, throwOnError: true)!, maxBatchSize)!;

    protected override Assembly? Load(AssemblyName name) =>
        name.Name == s_runtime.GetName().Name ? s_runtime : null; // everything else: the default context

    public void Dispose() => Unload();
}
