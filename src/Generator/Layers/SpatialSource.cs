using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>The rule every kind that slides a window shares (convolutions, pooling): it reads [C, L] or [C, H, W].</summary>
internal static class SpatialSource
{
    /// <summary>
    /// Whether <paramref name="shape"/>, the shape of <paramref name="source"/>, has channels and
    /// <paramref name="dimensions"/> spatial dimensions; NG0030 at From (or the attribute) when not.
    /// </summary>
    public static bool HasRank(NodeSpec node, string kind, int dimensions, NodeSpec source, Shape shape, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        if (shape.Rank == dimensions + 1)
            return true;
        LocationInfo? from = node.Locations.Sources.Count > 0 ? node.Locations.Sources[0] : node.Locations.Attribute;
        string reads = dimensions == 1 ? "[channels, length]" : "[channels, height, width]";
        string example = dimensions == 1 ? "[Input(channels, length)]" : "[Input(channels, height, width)]";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSourceShape, from, node.Name, kind, reads, source.Name, shape.ToString(),
            $"read a node of that shape, e.g. {example}"));
        return false;
    }

    /// <summary>"5" for a 1-D window, "5 × 5" (or "5×5" <paramref name="tight"/>) for a 2-D one.</summary>
    public static string Window(int size, int dimensions, bool tight = false) =>
        dimensions == 1 ? $"{size}" : tight ? $"{size}×{size}" : $"{size} × {size}";

    /// <summary>
    /// The output's spatial sizes, ⌊(n + 2p − k) / s⌋ + 1 per dimension as PyTorch floors them, or null after NG0031 at
    /// <paramref name="sizeArgument"/> when the window is larger than a (padded) dimension.
    /// </summary>
    public static int[]? Slide(NodeSpec node, int dimensions, NodeSpec source, Shape shape, int window, int stride, int padding, string sizeArgument,
        ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var sizes = new int[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            long padded = (long)shape[d + 1] + 2L * padding;
            if (padded < window)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WindowLargerThanInput, node.Locations.Of(sizeArgument), node.Name,
                    Window(window, dimensions), source.Name, shape.ToString(), padding > 0 ? $" padded by {padding}" : ""));
                return null;
            }
            sizes[d] = (int)((padded - window) / stride + 1);
        }
        return sizes;
    }
}
