using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>The planner's output: a plan when the network is valid, and every diagnostic found on the way.</summary>
/// <param name="Stub">When there is no plan: placeholders for the node properties (see <see cref="StubSpec"/>), or null.</param>
internal sealed record PlanResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics, StubSpec? Stub);
