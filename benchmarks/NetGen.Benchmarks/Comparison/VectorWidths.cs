using System.Collections.Generic;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// A vector width `compare` measures in a child process of its own, and the .NET runtime switches that make it the
/// widest one that process has. The switches are read when the runtime starts, so a width cannot be changed in-process.
/// </summary>
public sealed record VectorWidth(string Name, int Bits, IReadOnlyDictionary<string, string> Switches)
{
    public const string Scalar = "scalar";

    /// <summary>The switches as a shell would show them ("none" for the widest width).</summary>
    public string SwitchText => Switches.Count == 0 ? "none" : string.Join(" ", System.Linq.Enumerable.Select(Switches, s => $"{s.Key}={s.Value}"));

    /// <summary>The widest width accelerated in this process, as its name.</summary>
    public static string Current() =>
        Vector512.IsHardwareAccelerated ? "512-bit" : Vector256.IsHardwareAccelerated ? "256-bit" : Vector128.IsHardwareAccelerated ? "128-bit" : Scalar;

    /// <summary>
    /// Every width this machine has, widest first. .NET 10's switches: <c>DOTNET_EnableAVX512=0</c> turns off the AVX-512
    /// group (F+BW+CD+DQ+VL, one ISA since .NET 10), leaving AVX2; <c>DOTNET_EnableAVX2=0</c> turns off AVX2 (and
    /// everything that depends on it, FMA included), leaving 128-bit SSE4.2/AVX code; <c>DOTNET_EnableHWIntrinsic=0</c>
    /// turns off every hardware intrinsic, so every Vector128/256/512 operation runs as software. Where the CPU has
    /// AVX-512 but the runtime does not accelerate Vector512 by default (some Intel parts, to avoid down-clocking),
    /// <c>DOTNET_PreferredVectorBitWidth=512</c> makes a 512-bit child, and the 256-bit child still turns AVX-512 off,
    /// because code may use <c>Avx512F</c> directly whatever Vector512 says.
    /// </summary>
    public static IReadOnlyList<VectorWidth> Available()
    {
        var widths = new List<VectorWidth>();
        bool avx512 = Avx512F.IsSupported;
        if (Vector512.IsHardwareAccelerated)
            widths.Add(new("512-bit", 512, new Dictionary<string, string>()));
        else if (avx512)
            widths.Add(new("512-bit", 512, new Dictionary<string, string> { ["DOTNET_PreferredVectorBitWidth"] = "512" }));
        if (Vector256.IsHardwareAccelerated)
            widths.Add(new("256-bit", 256, avx512 ? new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0" } : new Dictionary<string, string>()));
        if (Vector128.IsHardwareAccelerated)
            widths.Add(new("128-bit", 128, Vector256.IsHardwareAccelerated
                ? new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0", ["DOTNET_EnableAVX2"] = "0" }
                : new Dictionary<string, string>()));
        widths.Add(new(Scalar, 0, new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }));
        return widths;
    }
}
