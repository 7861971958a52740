using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

internal static partial class Emitter
{
    private static string LossFormula(NetworkPlan plan)
    {
        string scale = plan.LossScale == 1f ? "" : Names.Float(plan.LossScale).TrimEnd('f') + "·";
        string y = plan.Output.Name;
        string reduce = plan.MeanReduction
            ? (plan.Loss == LossKind.SoftmaxCrossEntropy ? "(1/B)·Σ_n " : "(1/(B·" + plan.Output.Size + "))·Σ ")
            : "Σ ";
        return plan.Loss switch
        {
            LossKind.MeanSquaredError or LossKind.SumSquaredError => $"L = {scale}{reduce}({y} − t)²",
            LossKind.BinaryCrossEntropy => $"L = {scale}{reduce}[max(z, 0) − z·t + log(1 + e^−|z|)], z the logit of {y} = σ(z)",
            _ => $"L = {scale}{reduce}Σ_j t_j (logsumexp(z) − z_j), z the logits of {y} = softmax(z)",
        };
    }

    /// <summary>The factor that turns the loss's sum over elements into the loss: scale divided by the reduction's count.</summary>
    private static string Coefficient(NetworkPlan plan)
    {
        string scale = Names.Float(plan.LossScale);
        if (!plan.MeanReduction)
            return scale;
        return plan.Loss == LossKind.SoftmaxCrossEntropy ? $"{scale} / batchSize" : $"{scale} / (batchSize * OutputSize)";
    }

    private static void WriteLoss(CodeWriter w, NetworkPlan plan)
    {
        PlannedNode output = plan.Output;
        string y = $"new {Names.ReadOnlySpan}(_activations, {Slot(output.ValueSlot)}, batchSize * OutputSize)";
        string z = $"new {Names.ReadOnlySpan}(_activations, {Slot(output.PreActivationSlot)}, batchSize * OutputSize)";
        string sum = plan.Loss switch
        {
            LossKind.MeanSquaredError or LossKind.SumSquaredError => $"{Names.Losses}.SquaredError({y}, targets)",
            LossKind.BinaryCrossEntropy => $"{Names.Losses}.BinaryCrossEntropyWithLogits({z}, targets)",
            _ => $"{Names.Losses}.SoftmaxCrossEntropy({z}, targets, OutputSize)",
        };
        string penalty = plan.L2 > 0 ? " + L2Penalty()" : "";

        w.Line($"// {LossFormula(plan)}");
        w.Open($"private float LossOfLatestBatch({Names.ReadOnlySpan} targets, int batchSize)");
        w.Line($"return (float)({sum} * ({Coefficient(plan)}){penalty});");
        w.Close();
        w.Line();
        if (plan.Loss == LossKind.SoftmaxCrossEntropy)
        {
            w.Open("private float LossOfLatestBatch(global::System.ReadOnlySpan<int> classes, int batchSize)");
            w.Line($"return (float)({Names.Losses}.SoftmaxCrossEntropy({z}, classes, OutputSize) * ({Coefficient(plan)}){penalty});");
            w.Close();
            w.Line();
        }

        string delta = $"new {Names.Span}(_deltas, {Slot(output.ValueSlot)}, batchSize * OutputSize)";
        w.Line(plan.Loss switch
        {
            LossKind.MeanSquaredError or LossKind.SumSquaredError => $"// δ{output.Name} = ∂L/∂{output.Name} = 2·c·({output.Name} − t), c = {Coefficient(plan)}",
            LossKind.BinaryCrossEntropy => $"// Fused with the sigmoid: δz = ∂L/∂z = c·(σ(z) − t), c = {Coefficient(plan)}",
            _ => $"// Fused with the softmax: δz = ∂L/∂z = c·(softmax(z)·Σ_j t_j − t), c = {Coefficient(plan)}",
        });
        w.Open($"private void SeedOutputDelta({Names.ReadOnlySpan} targets, int batchSize)");
        w.Line(plan.Loss switch
        {
            LossKind.MeanSquaredError or LossKind.SumSquaredError => $"{Names.Losses}.SquaredErrorGradient({y}, targets, {Coefficient(plan)}, {delta});",
            LossKind.BinaryCrossEntropy => $"{Names.Losses}.BinaryCrossEntropyGradient({y}, targets, {Coefficient(plan)}, {delta});",
            _ => $"{Names.Losses}.SoftmaxCrossEntropyGradient({y}, targets, OutputSize, {Coefficient(plan)}, {delta});",
        });
        w.Close();
        w.Line();
        if (plan.Loss == LossKind.SoftmaxCrossEntropy)
        {
            w.Open("private void SeedOutputDelta(global::System.ReadOnlySpan<int> classes, int batchSize)");
            w.Line($"{Names.Losses}.SoftmaxCrossEntropyGradient({y}, classes, OutputSize, {Coefficient(plan)}, {delta});");
            w.Close();
            w.Line();
        }

        if (plan.L2 > 0)
            WriteL2(w, plan);
    }

    private static void WriteL2(CodeWriter w, NetworkPlan plan)
    {
        string lambda = Names.Float(plan.L2);
        PlannedNode[] layers = plan.Nodes.Where(n => n.HasWeights).OrderBy(n => n.WeightOffset).ToArray();
        w.Line($"// λ‖W‖² over every weight matrix (biases excluded), λ = {lambda}");
        w.Open("private double L2Penalty()");
        w.Line("double penalty = 0;");
        foreach (PlannedNode n in layers)
            w.Line($"penalty += {Names.Losses}.L2(new {Names.ReadOnlySpan}(_parameters, {n.WeightOffset}, {n.Size * n.FanIn}), {lambda});");
        w.Line("return penalty;");
        w.Close();
        w.Line();
        w.Line("// ∂(λ‖W‖²)/∂W = 2λW");
        w.Open("private void AddL2Gradients()");
        foreach (PlannedNode n in layers)
            w.Line($"{Names.Losses}.L2Gradient(new {Names.ReadOnlySpan}(_parameters, {n.WeightOffset}, {n.Size * n.FanIn}), {lambda}, new {Names.Span}(_gradients, {n.WeightOffset}, {n.Size * n.FanIn}));");
        w.Close();
        w.Line();
    }
}
