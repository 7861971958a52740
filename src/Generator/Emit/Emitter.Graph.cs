using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

// The network's graph for the runtime (NetworkGraph): one GraphNode per node in computing order, written from each
// node's planned description; its tensors are the elements of the tensor arrays above it, not copies.
internal static partial class Emitter
{
    private static void WriteGraph(CodeWriter w, NetworkPlan plan)
    {
        // The tensor arrays list each node's tensors in computing order, as below: the k-th tensor is element k.
        int parameterIndex = 0, stateIndex = 0;
        w.Line("/// <summary>The network's topology, as tools read it (Onnx.Save): every node in computing order with its kind, shape, settings and tensors. Built once per type.</summary>");
        w.Line($"public static global::NetGen.NetworkGraph {GeneratedNames.Graph} {{ get; }} = new(");
        w.Line("[");
        foreach (PlannedNode node in plan.Nodes)
        {
            var settings = new List<string>(Settings(node.Description));
            if (node.Parameters.Count > 0)
                settings.Add($"Parameters = [{string.Join(", ", node.Parameters.Select(_ => $"{GeneratedNames.ParameterTensorArray}[{parameterIndex++}]"))}]");
            if (node.State.Count > 0)
                settings.Add($"State = [{string.Join(", ", node.State.Select(_ => $"{GeneratedNames.StateTensorArray}[{stateIndex++}]"))}]");
            w.Line($"    new(\"{node.Name}\", global::NetGen.GraphNodeKind.{node.Description.Kind}, {TensorShape(node.Shape)}, [{string.Join(", ", node.Sources)}])"
                + (settings.Count > 0 ? " { " + string.Join(", ", settings) + " }" : "") + ",");
        }
        w.Line($"], input: {plan.InputNode}, output: {plan.OutputNode});");
        w.Line();
    }

    /// <summary>The description's settings that differ from a GraphNode's defaults, as object-initialiser assignments.</summary>
    private static IEnumerable<string> Settings(NodeDescription d)
    {
        if (d.Activation != Activation.Identity)
            yield return $"Activation = global::NetGen.Activation.{d.Activation}";
        if (d.Slope != 0f)
            yield return $"Slope = {Names.Float(d.Slope)}";
        if (d.Kernel != 0)
            yield return $"Kernel = {Int(d.Kernel)}, Stride = {Int(d.Stride)}, Padding = {Int(d.Padding)}";
        if (d.Epsilon != 0f)
            yield return $"Epsilon = {Names.Float(d.Epsilon)}";
        if (d.Momentum != 0f)
            yield return $"Momentum = {Names.Float(d.Momentum)}";
        if (d.DropoutProbability != 0f)
            yield return $"DropoutProbability = {Names.Float(d.DropoutProbability)}";
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
