using System;
using Xunit;
using NetGen.Testing;

namespace NetGen.Runtime.Tests;

/// <summary>L-BFGS on problems with a known minimum, its stopping rules, its errors, and its allocations.</summary>
public class LbfgsTests
{
    /// <summary>
    /// f(x) = ½(x − x*)ᵀA(x − x*) with A symmetric positive definite: the minimum is x*, where f = 0 (so that a float
    /// loss still resolves the last decreases a line search compares).
    /// </summary>
    private sealed class Quadratic
    {
        public static readonly double[] Minimum = [1, -2, 0.5, 3, -1];
        private static readonly double[,] s_a =
        {
            { 4, 1, 0, 0.5, 0 },
            { 1, 3, 0.2, 0, 0 },
            { 0, 0.2, 2, 0.3, 0.1 },
            { 0.5, 0, 0.3, 5, 1 },
            { 0, 0, 0.1, 1, 1.5 },
        };
        public readonly float[] X = new float[5];
        public readonly float[] Gradient = new float[5];

        public float Evaluate()
        {
            double f = 0;
            for (int i = 0; i < 5; i++)
            {
                double ae = 0;
                for (int j = 0; j < 5; j++)
                    ae += s_a[i, j] * (X[j] - Minimum[j]);
                f += 0.5 * (X[i] - Minimum[i]) * ae;
                Gradient[i] = (float)ae;
            }
            return (float)f;
        }
    }

    /// <summary>f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1), a curved narrow valley.</summary>
    private sealed class Rosenbrock(float x, float y)
    {
        public readonly float[] X = [x, y];
        public readonly float[] Gradient = new float[2];

        public float Evaluate()
        {
            double a = X[0], b = X[1];
            Gradient[0] = (float)(-2 * (1 - a) - 400 * a * (b - a * a));
            Gradient[1] = (float)(200 * (b - a * a));
            return (float)((1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a));
        }
    }

    [Theory]
    [InlineData(LbfgsLineSearch.None)]
    [InlineData(LbfgsLineSearch.StrongWolfe)]
    public void ConvexQuadratic_ReachesTheKnownMinimum(LbfgsLineSearch lineSearch)
    {
        var problem = new Quadratic();
        // toleranceChange = 0: PyTorch's default 1e−9 also bounds gᵀd, which ends the run at ‖g‖ ≈ 3e−5 here.
        var lbfgs = new Lbfgs(5, maxIterations: 100, toleranceGrad: 1e-6f, toleranceChange: 0f, lineSearch: lineSearch);

        LbfgsReport report = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);

        Assert.Equal(LbfgsStop.GradientTolerance, report.Stop);
        for (int i = 0; i < 5; i++)
            Assert.Equal(Quadratic.Minimum[i], problem.X[i], 1e-5);
        // On a 5-dimensional quadratic, L-BFGS with exact-enough steps needs about n iterations, not hundreds.
        Assert.InRange(report.Iterations, 3, 25);
    }

    [Theory]
    [InlineData(-1.5f, 2f)]
    [InlineData(-1.2f, 1f)]
    [InlineData(2f, -1f)]
    public void Rosenbrock_WithStrongWolfe_ReachesOneOne(float x, float y)
    {
        var problem = new Rosenbrock(x, y);
        var lbfgs = new Lbfgs(2, maxIterations: 200, toleranceGrad: 1e-5f, toleranceChange: 0f, lineSearch: LbfgsLineSearch.StrongWolfe);

        LbfgsReport report = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);

        Assert.True(report.Stop is LbfgsStop.GradientTolerance or LbfgsStop.NoDescentDirection, $"stopped by {report.Stop} at ({problem.X[0]}, {problem.X[1]})");
        Assert.Equal(1f, problem.X[0], 1e-4);
        Assert.Equal(1f, problem.X[1], 1e-4);
        Assert.True(report.Loss < 1e-8, $"f = {report.Loss}");
        Assert.True(report.Evaluations < 200, $"{report.Evaluations} evaluations");
    }

    [Fact]
    public void Rosenbrock_WithoutLineSearch_ReachesOneOne()
    {
        var problem = new Rosenbrock(-1.5f, 2f);
        var lbfgs = new Lbfgs(2, maxIterations: 20, toleranceGrad: 1e-5f, toleranceChange: 0f);

        // Steps of 20 iterations, as a PyTorch user calls step(closure) in a loop, until one starts at the minimum.
        LbfgsReport report = default;
        for (int step = 0; step < 500 && !(step > 0 && report.Iterations == 0); step++)
            report = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);

        Assert.Equal(LbfgsStop.GradientTolerance, report.Stop);

        Assert.Equal(1f, problem.X[0], 1e-5);
        Assert.Equal(1f, problem.X[1], 1e-5);
    }

    /// <summary>Rosenbrock in float, as PyTorch computes it, for the comparison with PyTorch's own run.</summary>
    private sealed class FloatRosenbrock(float x, float y)
    {
        public readonly float[] X = [x, y];
        public readonly float[] Gradient = new float[2];

        public float Evaluate()
        {
            float a = X[0], b = X[1];
            Gradient[0] = -2 * (1 - a) - 400 * a * (b - a * a);
            Gradient[1] = 200 * (b - a * a);
            return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
        }
    }

    /// <summary>
    /// Four step() calls of torch.optim.LBFGS(lr=1, max_iter=5, history_size=3, tolerance_grad=0, tolerance_change=0)
    /// from (−1.5, 2), printed by Fixtures/lbfgs_reference.py with PyTorch 1.13.1: the loss step() returned, x, y,
    /// state["n_iter"] and state["func_evals"] after each. The counts must agree exactly (same iterations, same
    /// evaluations, same stopping rules); the points agree to float rounding, which the valley amplifies a little.
    /// </summary>
    [Theory]
    [InlineData(LbfgsLineSearch.StrongWolfe, new[] { 12.5, -1.4190157651901245, 2.015231132507324, 4, 6, 5.851902008056641, -1.1383297443389893, 1.2446937561035156, 9, 12,
        4.833583831787109, -0.5679205656051636, 0.3230971395969391, 13, 18, 2.458406686782837, -0.09591720253229141, 0.03406227007508278, 17, 24 })]
    [InlineData(LbfgsLineSearch.None, new[] { 12.5, -1.4105720520019531, 2.0043985843658447, 5, 5, 5.832422733306885, -1.3565870523452759, 1.8105857372283936, 10, 10,
        5.641964912414551, -0.8586502075195312, 0.7562873363494873, 15, 15, 3.4907076358795166, -0.7409238815307617, 0.5079033374786377, 20, 20 })]
    public void Rosenbrock_StepByStep_AsPyTorch(LbfgsLineSearch lineSearch, double[] torch) =>
        AssertAsPyTorch(-1.5f, 2f, 1f, lineSearch, torch);

    /// <summary>The same with other starts and learning rates (strong Wolfe): first trials too long and too short, so the zoom runs.</summary>
    [Theory]
    [InlineData(2f, -1f, 1f, new[] { 2501.0, 0.32002711296081543, -0.009206444025039673, 5, 6, 1.7083503007888794, 0.5341305136680603, 0.2679961621761322, 10, 13,
        0.24696072936058044, 0.7925286889076233, 0.6165415644645691, 14, 19, 0.05640803277492523, 0.9714441895484924, 0.9409225583076477, 19, 25 })]
    [InlineData(-1.2f, 1f, 5f, new[] { 24.20000457763672, -1.0265644788742065, 1.0556334257125854, 2, 6, 4.107287883758545, -0.8046979308128357, 0.6100643873214722, 4, 13,
        3.3973679542541504, -0.3901502192020416, 0.12475234270095825, 6, 19, 2.0079493522644043, -0.20673097670078278, 0.01110825128853321, 8, 25 })]
    [InlineData(0.5f, 3f, 0.5f, new[] { 756.5, 1.4101176261901855, 2.0224719047546387, 4, 6, 0.28407007455825806, 1.419628620147705, 2.017549753189087, 9, 12,
        0.17657412588596344, 1.4192261695861816, 2.0138700008392334, 14, 18, 0.1757616549730301, 1.3471747636795044, 1.802560567855835, 19, 24 })]
    public void Rosenbrock_StrongWolfe_FromOtherStarts_AsPyTorch(float x, float y, float learningRate, double[] torch) =>
        AssertAsPyTorch(x, y, learningRate, LbfgsLineSearch.StrongWolfe, torch);

    private static void AssertAsPyTorch(float x, float y, float learningRate, LbfgsLineSearch lineSearch, double[] torch)
    {
        var problem = new FloatRosenbrock(x, y);
        var lbfgs = new Lbfgs(2, learningRate: learningRate, maxIterations: 5, toleranceGrad: 0f, toleranceChange: 0f, historySize: 3, lineSearch: lineSearch);
        for (int step = 0; step < 4; step++)
        {
            LbfgsReport report = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);
            ReadOnlySpan<double> expected = torch.AsSpan(step * 5, 5);
            Assert.Equal(expected[0], report.InitialLoss, 1e-3 * expected[0]);
            Assert.Equal(expected[1], problem.X[0], 5e-4);
            Assert.Equal(expected[2], problem.X[1], 5e-4);
            Assert.Equal((int)expected[3], lbfgs.TotalIterations);
            Assert.Equal((int)expected[4], lbfgs.TotalEvaluations);
        }
    }

    [Fact]
    public void Step_AtAMinimum_EvaluatesOnceAndStops()
    {
        var problem = new Quadratic();
        for (int i = 0; i < 5; i++)
            problem.X[i] = (float)Quadratic.Minimum[i];
        var lbfgs = new Lbfgs(5, toleranceGrad: 1e-5f);

        LbfgsReport report = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);

        Assert.Equal(new LbfgsReport(report.InitialLoss, report.InitialLoss, 0, 1, LbfgsStop.GradientTolerance), report);
    }

    [Fact]
    public void Budgets_AreRespected_AndTheHistoryCarriesOverToTheNextStep()
    {
        var problem = new Rosenbrock(-1.5f, 2f);
        var lbfgs = new Lbfgs(2, maxIterations: 3, maxEvaluations: 100, toleranceGrad: 0f, toleranceChange: 0f, historySize: 2, lineSearch: LbfgsLineSearch.StrongWolfe);

        LbfgsReport first = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);
        Assert.Equal(3, first.Iterations);
        Assert.Equal(LbfgsStop.MaxIterations, first.Stop);
        LbfgsReport second = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);
        Assert.Equal(6, lbfgs.TotalIterations);
        Assert.Equal(first.Evaluations + second.Evaluations, lbfgs.TotalEvaluations);
        Assert.True(second.Loss < first.Loss);

        var limited = new Lbfgs(2, maxIterations: 100, maxEvaluations: 7, toleranceGrad: 0f, toleranceChange: 0f, lineSearch: LbfgsLineSearch.StrongWolfe);
        LbfgsReport report = limited.Step(new Rosenbrock(-1.5f, 2f).X, problem.Gradient, new Rosenbrock(-1.5f, 2f).Evaluate);
        Assert.Equal(LbfgsStop.MaxEvaluations, report.Stop);
        Assert.InRange(report.Evaluations, 7, 7 + 26);   // the check comes after an iteration's line search, as PyTorch's
    }

    [Fact]
    public void AFullHistory_DropsTheOldestPair_AndStillConverges()
    {
        var problem = new Quadratic();
        var lbfgs = new Lbfgs(5, maxIterations: 200, toleranceGrad: 1e-6f, toleranceChange: 0f, historySize: 1, lineSearch: LbfgsLineSearch.StrongWolfe);
        LbfgsReport report = lbfgs.Step(problem.X, problem.Gradient, problem.Evaluate);
        Assert.Equal(LbfgsStop.GradientTolerance, report.Stop);
        for (int i = 0; i < 5; i++)
            Assert.Equal(Quadratic.Minimum[i], problem.X[i], 1e-5);
    }

    [Fact]
    public void NaNLoss_IsAClearError()
    {
        float[] x = [1f], g = [1f];
        var lbfgs = new Lbfgs(1);
        var error = Assert.Throws<InvalidOperationException>(() => lbfgs.Step(x, g, () => float.NaN));
        Assert.Contains("L-BFGS diverged: the loss is NaN", error.Message);
        Assert.Throws<ArgumentException>(() => lbfgs.Step(new float[2], new float[2], () => 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs(1, learningRate: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs(1, historySize: 0));
    }

    [Fact]
    public void Network_FullBatchThatDoesNotFit_IsAClearError()
    {
        var network = new TinyNetwork(maxBatchSize: 4);
        var data = new Dataset(new float[10], new float[5], 2, 1);
        var lbfgs = new Lbfgs(TinyNetwork.ParameterCount);
        Assert.Contains("maxBatchSize: 5", Assert.Throws<ArgumentException>(() => lbfgs.Step(network, data)).Message);
        Assert.Contains("built for 3 parameters", Assert.Throws<ArgumentException>(() => new Lbfgs(3).Step(network, new Dataset(new float[8], new float[4], 2, 1))).Message);
    }

    [Theory]
    [InlineData(LbfgsLineSearch.None)]
    [InlineData(LbfgsLineSearch.StrongWolfe)]
    public void Steps_OnANetwork_AllocateNothing(LbfgsLineSearch lineSearch)
    {
        var network = new TinyNetwork(maxBatchSize: 16);
        Initializers.HeNormal(network, seed: 3);
        var random = new SeededRandom(5);
        var inputs = new float[32];
        var targets = new float[16];
        random.FillNormal(inputs);
        random.FillNormal(targets);
        var data = new Dataset(inputs, targets, 2, 1);
        var lbfgs = new Lbfgs(TinyNetwork.ParameterCount, maxIterations: 5, toleranceGrad: 0f, toleranceChange: 0f, lineSearch: lineSearch);
        lbfgs.Step(network, data);
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 20; i++)
                lbfgs.Step(network, data);
        }));
    }
}
