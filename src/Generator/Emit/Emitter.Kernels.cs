using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

// How dense layers reach the runtime's kernels: one shape type per layer, so that the JIT compiles each kernel for the
// layer's exact sizes. What each layer does (kernels or unrolled, Wᵀ scratch, fused derivatives) is in the plan.
internal static partial class Emitter
{
    /// <summary>
    /// The shape type of a layer: the node's name and "Shape", inside the nested class (a node named "Inputs" would
    /// otherwise name a struct like its own member).
    /// </summary>
    private static string ShapeType(PlannedNode node) => Id(node.Name + "Shape");

    private static string Shape(PlannedNode node) => $"{GeneratedNames.LayerShapes}.{ShapeType(node)}";

    private static string Operator(ActivationKind activation) => $"{Names.Kernels}.{ActivationTable.Get(activation).Operator}";

    private static string DerivativeOperator(ActivationKind activation) => $"{Names.Kernels}.{ActivationTable.Get(activation).DerivativeOperator}";

    private static void WriteLayerShapes(CodeWriter w, NetworkPlan plan)
    {
        PlannedNode[] layers = plan.Nodes.Where(n => n.Lowering == DenseLowering.Kernels).ToArray();
        if (layers.Length == 0)
            return;
        w.Line("// Each layer's sizes as a type: the kernels are compiled once per layer, with these as constants.");
        w.Open($"private static class {GeneratedNames.LayerShapes}");
        foreach (PlannedNode node in layers)
            w.Line($"public readonly struct {ShapeType(node)} : {Names.Kernels}.ILayerShape {{ public static int Inputs => {node.FanIn}; public static int Units => {node.Size}; }}");
        w.Close();
        w.Line();
    }
}
