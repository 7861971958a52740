using System;
using System.Linq;
using System.Reflection;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Kernels;
using Xunit;
using GeneratorActivation = NetGen.Generator.Model.Activation;
using GeneratorLoss = NetGen.Generator.Model.Loss;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator's tables against the runtime they name: the generator compiles the runtime's enums from the same file,
/// and each table has one row per member in the enum's order; every operator struct, span kernel and loss kernel a row
/// names exists in the runtime with the arguments the emitter passes, in the one order (what it writes, then what it
/// reads). A row added without its kernel, or a kernel renamed, fails here rather than in a user's build.
/// </summary>
public class TablesAgainstRuntimeTests
{
    private static readonly Assembly s_runtime = typeof(NetGen.Node).Assembly;

    [Theory]
    [InlineData(typeof(GeneratorActivation), typeof(NetGen.Activation))]
    [InlineData(typeof(GeneratorLoss), typeof(NetGen.Loss))]
    [InlineData(typeof(NetGen.Generator.Model.Reduction), typeof(NetGen.Reduction))]
    [InlineData(typeof(NetGen.Generator.Model.ParameterKind), typeof(NetGen.ParameterKind))]
    [InlineData(typeof(NetGen.Generator.Model.GraphNodeKind), typeof(NetGen.GraphNodeKind))]
    public void GeneratorEnums_AreTheRuntimes_MemberForMember(Type generator, Type runtime)
    {
        Assert.Equal(Enum.GetNames(runtime), Enum.GetNames(generator));
        Assert.Equal(Enum.GetValues(runtime).Cast<object>().Select(Convert.ToInt64), Enum.GetValues(generator).Cast<object>().Select(Convert.ToInt64));
    }

    [Fact]
    public void EveryLayerKind_HasTheGraphNodeKindOfItsName_AndEveryGraphNodeKindALayerKind()
    {
        // The runtime's graph names each node's kind; a kind added to LayerKinds.All without its GraphNodeKind (or the
        // other way round) fails here. NetworkGraphTests checks that each kind describes itself with its own member.
        Assert.Equal(Enum.GetNames<NetGen.GraphNodeKind>(), NetGen.Generator.Layers.LayerKinds.All.Select(kind => kind.Name));
    }

    [Fact]
    public void ActivationTable_HasOneRowPerActivation_InTheEnumsOrder()
    {
        Assert.Equal(Enum.GetValues<GeneratorActivation>(), ActivationTable.Rows.Select(row => row.Kind));
        foreach (GeneratorActivation kind in Enum.GetValues<GeneratorActivation>())
            Assert.Same(ActivationTable.Rows[(int)kind], ActivationTable.Get(kind));
    }

    [Fact]
    public void LossTable_HasOneRowPerLoss_InTheEnumsOrder()
    {
        Assert.Equal(Enum.GetValues<GeneratorLoss>(), LossTable.Rows.Select(row => row.Kind));
        Assert.All(Enum.GetValues<GeneratorLoss>(), kind => Assert.True(LossTable.IsDefined(kind)));
        Assert.False(LossTable.IsDefined((GeneratorLoss)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossTable.Get((GeneratorLoss)99));
    }

    [Fact]
    public void ActivationRows_NameOperatorStructs_ThatImplementTheOperatorInterfaces()
    {
        foreach (ActivationInfo row in ActivationTable.Rows)
        {
            Assert.Equal(row.Operator is null, row.DerivativeOperator is null);
            if (row.Operator is null)
                continue;
            Assert.True(typeof(IUnaryOperator).IsAssignableFrom(KernelType(row.Operator)), $"{row.Operator} is not an IUnaryOperator");
            Assert.True(typeof(IBinaryOperator).IsAssignableFrom(KernelType(row.DerivativeOperator!)), $"{row.DerivativeOperator} is not an IBinaryOperator");
        }
    }

    [Fact]
    public void ActivationRows_NameSpanKernels_WrittenThenRead_ThenTheirExtraArgument()
    {
        foreach (ActivationInfo row in ActivationTable.Rows)
        {
            if (row.KernelName is null)
            {
                // Only an activation that computes nothing may lack kernels: the planner never asks for them.
                Assert.Equal(GeneratorActivation.Identity, row.Kind);
                continue;
            }
            Type[] extra = row.Extra switch
            {
                ActivationExtra.None => [],
                ActivationExtra.Slope => [typeof(float)],
                ActivationExtra.RowLength => [typeof(int)],
                _ => throw new ArgumentOutOfRangeException(nameof(row), row.Extra, "A new extra argument needs its type here."),
            };
            Type[] parameters = [typeof(Span<float>), typeof(ReadOnlySpan<float>), .. extra];
            Assert.NotNull(typeof(Activations).GetMethod(row.KernelName, parameters));
            Assert.NotNull(typeof(Activations).GetMethod(row.KernelName + "Backward", parameters));
        }
    }

    [Fact]
    public void LossRows_NameKernels_ThatTakeTheArgumentsTheTemplatesPass()
    {
        foreach (LossInfo row in LossTable.Rows)
        {
            // The loss's value reads only: every argument a ReadOnlySpan<float> but the row length.
            AssertKernel(row.Value, reads: typeof(ReadOnlySpan<float>));
            // Its gradient writes first ({d}), then reads.
            Assert.StartsWith("{d}", Arguments(row.Gradient)[0]);
            MethodInfo gradient = AssertKernel(row.Gradient, reads: typeof(ReadOnlySpan<float>));
            Assert.Equal(typeof(Span<float>), gradient.GetParameters()[0].ParameterType);
            if (row.HasClassIndexApi)
            {
                // The class-index API calls the same kernels with the targets as ReadOnlySpan<int>.
                AssertKernel(row.Value, reads: typeof(ReadOnlySpan<float>), targets: typeof(ReadOnlySpan<int>));
                AssertKernel(row.Gradient, reads: typeof(ReadOnlySpan<float>), targets: typeof(ReadOnlySpan<int>));
            }
        }
    }

    [Fact]
    public void LossRows_NameTargetChecks_ThatTheRuntimeHas()
    {
        Type[] parameters = [typeof(ReadOnlySpan<float>), typeof(int), typeof(string)];
        foreach (LossInfo row in LossTable.Rows)
        {
            if (row.TargetCheck is null)
            {
                Assert.Null(row.TargetDescription);
                continue;
            }
            MethodInfo? check = typeof(NetGen.NetworkArguments).GetMethod(row.TargetCheck, parameters);
            MethodInfo? describe = typeof(NetGen.NetworkArguments).GetMethod(row.TargetDescription!, parameters);
            Assert.True(check is { ReturnType: var r } && r == typeof(void), $"NetworkArguments.{row.TargetCheck}(targets, size, name) is missing");
            Assert.True(describe is { ReturnType: var d } && d == typeof(string), $"NetworkArguments.{row.TargetDescription}(targets, size, name) is missing");
        }
    }

    private static Type KernelType(string name) =>
        s_runtime.GetType("NetGen.Kernels." + name) ?? throw new Xunit.Sdk.XunitException($"NetGen.Kernels.{name} does not exist in the runtime.");

    private static string[] Arguments(string template)
    {
        int open = template.IndexOf('(');
        return template[(open + 1)..template.LastIndexOf(')')].Split(", ");
    }

    /// <summary>The Losses kernel a template calls, with each placeholder's type: {t} the targets, {n} an int, {c} a float, others spans.</summary>
    private static MethodInfo AssertKernel(string template, Type reads, Type? targets = null)
    {
        string name = template[..template.IndexOf('(')];
        Type[] parameters = Arguments(template).Select((argument, i) => argument switch
        {
            "{d}" when i == 0 => typeof(Span<float>),
            "{t}" => targets ?? typeof(ReadOnlySpan<float>),
            "{n}" => typeof(int),
            "{c}" => typeof(float),
            "{y}" or "{z}" => reads,
            _ => throw new Xunit.Sdk.XunitException($"'{argument}' in '{template}' is not a placeholder the emitter fills."),
        }).ToArray();
        return typeof(Losses).GetMethod(name, parameters)
            ?? throw new Xunit.Sdk.XunitException($"{Names.Losses}.{name}({string.Join(", ", parameters.Select(p => p.Name))}) does not exist for '{template}'.");
    }
}
