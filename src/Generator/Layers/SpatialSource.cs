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
}
