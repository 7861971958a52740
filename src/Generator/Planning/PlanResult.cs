using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>The planner's output: a plan when the network is valid, and every diagnostic found on the way.</summary>
internal sealed record PlanResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);
