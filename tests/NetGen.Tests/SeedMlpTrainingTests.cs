using NetGen.Samples.ThreeLayerMlp;
using Xunit;

namespace NetGen.Tests;

/// <summary>Problem A end to end, with the sample's own code and settings.</summary>
public class SeedMlpTrainingTests
{
    [Fact]
    public void ProblemA_LearnsTheTrueFunction()
    {
        ExperimentResult result = Experiment.Run(seed: 1);

        // Calibration: the same maths from N(0,1) draws ends between 0.016 and 0.35; Var(y) ≈ 2.4.
        Assert.InRange(result.ValidationVariance, 1.5, 3.5);
        Assert.True(result.ValidationMse < 0.1 * result.ValidationVariance,
            $"validation MSE {result.ValidationMse} is not well below Var(y) = {result.ValidationVariance}");
        Assert.True(result.TrainingMse < 0.2f, $"training MSE {result.TrainingMse}");
        // Training made progress all along: the last epoch is far better than the first.
        Assert.True(result.History[^1].TrainingLoss < 0.01f * result.History[0].TrainingLoss);
        Assert.Equal(Problem.Epochs, result.History[^1].Epoch);
    }

    [Fact]
    public void ProblemB_DoesNotChaseTheNoise()
    {
        ExperimentResult result = Experiment.Run(seed: 1, noise: 0.5f);

        // Validation targets are noise-free: a net that followed the noise would miss f_true by about σ² = 0.25.
        Assert.True(result.ValidationMse < 0.25f, $"validation MSE {result.ValidationMse}");
        Assert.True(result.TrainingMse > 0.1f, $"training MSE {result.TrainingMse} is below the noise floor: it memorised the noise");
    }
}
