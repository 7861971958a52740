using System;
using System.Collections.Generic;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// Every built-in optimiser's step cut into slices (as the threads of a cut batch run it) against the whole step, over
/// three steps with fresh gradients: the parameters must be bitwise the same, or training on threads would depend on
/// where the slices fall.
/// </summary>
public class OptimizerSliceTests
{
    public static IEnumerable<object[]> Optimizers() =>
    [
        ["sgd"], ["sgd-momentum"], ["sgd-nesterov-decay"], ["sgd-decay"], ["adam"], ["adam-decay"], ["adamw"],
    ];

    private static IOptimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.1f),
        "sgd-momentum" => new Sgd(0.1f, momentum: 0.9f),
        "sgd-nesterov-decay" => new Sgd(0.1f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f),
        "sgd-decay" => new Sgd(0.1f, weightDecay: 0.01f),
        "adam" => new Adam(0.01f),
        "adam-decay" => new Adam(0.01f, weightDecay: 0.01f),
        "adamw" => new AdamW(0.01f),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void SlicedSteps_GiveTheBitsOfWholeSteps(string name)
    {
        var whole = new WideChain(1);
        var sliced = new WideChain(1);
        Initializers.GlorotUniform(whole, 3);
        whole.Parameters.CopyTo(sliced.Parameters);
        float[] initial = whole.Parameters.ToArray();
        IOptimizer wholeOptimizer = Create(name);
        var slicedOptimizer = (ISlicedOptimizer)Create(name);
        int n = WideChain.ParameterCount;
        // Boundaries that fall inside vectors of every width, out of order as threads would take them.
        int[] cuts = [0, 7, 100, 101, n - 5, n];
        var random = new SeededRandom(11);
        for (int step = 0; step < 3; step++)
        {
            random.FillNormal(whole.Gradients);
            whole.Gradients.CopyTo(sliced.Gradients);
            wholeOptimizer.Step(whole);
            slicedOptimizer.BeginStep(sliced);
            for (int s = cuts.Length - 2; s >= 0; s--)
                slicedOptimizer.StepSlice(sliced, cuts[s], cuts[s + 1] - cuts[s]);
        }
        Assert.NotEqual(initial, whole.Parameters.ToArray());   // it stepped
        Assert.Equal(whole.Parameters.ToArray(), sliced.Parameters.ToArray());
    }
}
