using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

// Which runtime kernel each dense layer uses and what it fuses: decided here, from the layer's sizes, once per network.
internal static partial class Emitter
{
    /// <summary>Below this many units a vector of units is mostly empty: such layers compute one dot product per unit.</summary>
    private const int NarrowLayerUnits = 16;

    /// <summary>
    /// The batch from which a forward product refreshes Wᵀ and runs the register-blocked kernel; smaller batches (a single
    /// sample above all) read W as it is, by dot products, instead of paying in·out moves for the copy.
    /// </summary>
    private const int TransposedProductMinimumBatch = 8;

    /// <summary>A narrow layer always computes by rows (dot products over W's rows).</summary>
    private static bool AlwaysByRows(PlannedNode node) => node.Size < NarrowLayerUnits;

    /// <summary>
    /// The register-blocked forward product reads Wᵀ [in, out]. With one input, W [out, 1] already is Wᵀ [1, out] in
    /// memory; otherwise the network keeps a transposed copy, refreshed by each batched forward pass.
    /// </summary>
    private static bool NeedsTransposedWeights(PlannedNode node) => node.Kind == NodeKind.Dense && !AlwaysByRows(node) && node.FanIn > 1;

    private static int TransposedWeightsFloats(NetworkPlan plan) =>
        plan.Nodes.Where(NeedsTransposedWeights).Sum(n => n.Size * n.FanIn);

    private static int TransposedWeightsOffset(NetworkPlan plan, PlannedNode node) =>
        plan.Nodes.TakeWhile(n => n != node).Where(NeedsTransposedWeights).Sum(n => n.Size * n.FanIn);

    /// <summary>The operator struct that computes the activation inside a kernel, or null when it cannot be fused (it needs a parameter or a whole row).</summary>
    private static string? ActivationOperator(ActivationKind activation) => activation switch
    {
        ActivationKind.Identity => "IdentityOperator",
        ActivationKind.Sigmoid => "SigmoidOperator",
        ActivationKind.Tanh => "TanhOperator",
        ActivationKind.ReLU => "ReluOperator",
        ActivationKind.Softplus => "SoftplusOperator",
        ActivationKind.BipolarSigmoid => "BipolarSigmoidOperator",
        _ => null,
    };

    /// <summary>The operator struct that multiplies δy by f′ inside a kernel, or null when it cannot be fused.</summary>
    private static string? DerivativeOperator(ActivationKind activation) => activation switch
    {
        ActivationKind.Identity => "IdentityDerivativeOperator",
        ActivationKind.Sigmoid => "SigmoidDerivativeOperator",
        ActivationKind.Tanh => "TanhDerivativeOperator",
        ActivationKind.ReLU => "ReluDerivativeOperator",
        ActivationKind.Softplus => "SoftplusDerivativeOperator",
        ActivationKind.BipolarSigmoid => "BipolarSigmoidDerivativeOperator",
        _ => null,
    };

    private static int IndexOf(NetworkPlan plan, PlannedNode node) => plan.Nodes.AsImmutableArray().IndexOf(node);

    /// <summary>How many times nodes that take part in the backward pass read <paramref name="node"/> (an Add of X and X reads it twice).</summary>
    private static int Readers(NetworkPlan plan, PlannedNode node)
    {
        int index = IndexOf(plan, node);
        return plan.Nodes.Where(n => n.ReachesOutput).Sum(n => n.Sources.Count(s => s == index));
    }

    /// <summary>
    /// δ of a node is written, not added, by its reader when it has exactly one reader, a dense layer, and is not the
    /// output (whose δ the loss seeds first). Otherwise readers add to it, and it is cleared at the start of the pass.
    /// </summary>
    private static bool DeltaIsOverwritten(NetworkPlan plan, PlannedNode node)
    {
        if (node == plan.Output || Readers(plan, node) != 1)
            return false;
        int index = IndexOf(plan, node);
        return plan.Nodes.Single(n => n.ReachesOutput && n.Sources.Contains(index)).Kind == NodeKind.Dense;
    }

    /// <summary>
    /// A dense node's activation derivative is applied by its one reader's input-gradient kernel (δz = (δ·W) ⊙ f′, one
    /// pass instead of two) when its δ is overwritten there and the derivative is a plain element-wise operator.
    /// </summary>
    private static bool DerivativeFusedIntoReader(NetworkPlan plan, PlannedNode node) =>
        node.Kind == NodeKind.Dense && !node.FusedWithLoss && DeltaIsOverwritten(plan, node) && DerivativeOperator(node.Activation) is not null;
}
