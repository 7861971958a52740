using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

// The loss, its gradient and the L2 term, written from the loss's row of the loss table.
internal static partial class Emitter
{
    private static string LossFormula(NetworkPlan plan)
    {
        LossInfo loss = plan.LossInfo;
        string scale = plan.LossScale == 1f ? "" : Names.Float(plan.LossScale).TrimEnd('f') + "·";
        string reduce = !plan.MeanReduction ? "Σ " : loss.MeanOverOutputs ? $"(1/(B·{plan.Output.Size}))·Σ " : "(1/B)·Σ_n ";
        return loss.Formula.Replace("{s}", scale).Replace("{r}", reduce).Replace("{y}", plan.Output.Name);
    }

    /// <summary>The factor that turns the loss's sum over elements into the loss: scale divided by the reduction's count.</summary>
    private static string Coefficient(NetworkPlan plan)
    {
        string scale = Names.Float(plan.LossScale);
        if (!plan.MeanReduction)
            return scale;
        return plan.LossInfo.MeanOverOutputs ? $"{scale} / (batchSize * OutputSize)" : $"{scale} / batchSize";
    }

    /// <summary>A kernel call of the loss's row with its placeholders filled in.</summary>
    private static string LossCall(NetworkPlan plan, string template, string targets) =>
        Names.Losses + "." + template
            .Replace("{y}", Tensors.Access(plan.Output.Values))
            .Replace("{z}", plan.Output.PreActivations is null ? "{z}" : Tensors.Access(plan.Output.PreActivations))
            .Replace("{d}", Tensors.Access(plan.Output.Deltas))
            .Replace("{t}", targets)
            .Replace("{n}", "OutputSize")
            .Replace("{c}", Coefficient(plan));

    private static void WriteLoss(CodeWriter w, NetworkPlan plan)
    {
        LossInfo loss = plan.LossInfo;
        string penalty = SplitsPenalty(plan) ? $" + ({GeneratedNames.CarriesPenaltyField} ? L2Penalty() : 0)"
            : plan.L2 > 0 ? " + L2Penalty()" : "";
        w.Line($"// {LossFormula(plan)}");
        w.Open($"private float LossOfLatestBatch({Names.ReadOnlySpan} targets, int batchSize)");
        w.Line($"return (float)({LossCall(plan, loss.Value, "targets")} * ({Coefficient(plan)}){penalty});");
        w.Close();
        w.Line();
        if (loss.HasClassIndexApi)
        {
            w.Open("private float LossOfLatestBatch(global::System.ReadOnlySpan<int> labels, int batchSize)");
            w.Line($"return (float)({LossCall(plan, loss.Value, "labels")} * ({Coefficient(plan)}){penalty});");
            w.Close();
            w.Line();
        }

        w.Line("// " + loss.GradientComment.Replace("{y}", plan.Output.Name).Replace("{c}", Coefficient(plan)));
        w.Open($"private void SeedOutputDelta({Names.ReadOnlySpan} targets, int batchSize)");
        w.Line(LossCall(plan, loss.Gradient, "targets") + ";");
        w.Close();
        w.Line();
        if (loss.HasClassIndexApi)
        {
            w.Open("private void SeedOutputDelta(global::System.ReadOnlySpan<int> labels, int batchSize)");
            w.Line(LossCall(plan, loss.Gradient, "labels") + ";");
            w.Close();
            w.Line();
        }

        if (plan.L2 > 0)
            WriteL2(w, plan);
    }

    private static void WriteL2(CodeWriter w, NetworkPlan plan)
    {
        string lambda = Names.Float(plan.L2);
        PlannedParameter[] penalised = ParametersInBufferOrder(plan).Where(p => p.Penalised).ToArray();
        w.Line($"// λ‖W‖² over every weight tensor (biases excluded), λ = {lambda}");
        w.Open("private double L2Penalty()");
        w.Line("double penalty = 0;");
        foreach (PlannedParameter parameter in penalised)
            w.Line($"penalty += {Names.Losses}.L2({Tensors.Access(parameter.Value)}, {lambda});");
        w.Line("return penalty;");
        w.Close();
        w.Line();
        w.Line("// ∂(λ‖W‖²)/∂W = 2λW");
        w.Open("private void AddL2Gradients()");
        foreach (PlannedParameter parameter in penalised)
            w.Line($"{Names.Losses}.L2Gradient({Tensors.Access(parameter.Gradient)}, {Tensors.Access(parameter.Value)}, {lambda});");
        w.Close();
        w.Line();
    }
}
