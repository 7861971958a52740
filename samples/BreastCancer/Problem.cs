using System;
using NetGen.Samples.Data;

namespace NetGen.Samples.BreastCancer;

/// <summary>The fixed protocol: the split, the standardisation and the objective's constants.</summary>
public static class Problem
{
    public const int Features = PublicDataSets.BreastCancerFeatures;

    /// <summary>λ of λ‖w‖².</summary>
    public const float Lambda = 1f;

    /// <summary>Both optimisers run until ‖∇L‖₂ ≤ this.</summary>
    public const double GradientNormTarget = 1e-5;

    /// <summary>
    /// Gradient descent's fixed step. The Hessian of L at the optimum has largest eigenvalue 92.2 (it is 1,537 at w = 0,
    /// where every σ′ is ¼, but the logistic loss flattens as the fit improves): η ≈ 1/92 is the step that converges
    /// fastest there without oscillating. Smaller steps stall in float before ‖∇L‖ reaches 1e−5: the update η·∇L drops
    /// below half a unit in the last place of the weights.
    /// </summary>
    public const float GradientDescentStep = 0.01f;

    /// <summary>The rows of breast_cancer.csv split by index % 5 == 4, standardised with the training rows' statistics.</summary>
    public static (Dataset Training, Dataset Test, Standardizer Standardizer) Load()
    {
        (LabelledTable training, LabelledTable test) = PublicDataSets.Split(PublicDataSets.BreastCancer());
        Standardizer standardizer = Standardizer.Fit(training.Features, Features, ConstantColumns.Throw);
        return (ToDataset(training, standardizer), ToDataset(test, standardizer), standardizer);
    }

    private static Dataset ToDataset(LabelledTable table, Standardizer standardizer)
    {
        var inputs = new float[table.Features.Length];
        standardizer.Transform(table.Features, inputs);
        // Label 1 = benign is the positive class, the target of the sigmoid.
        return new Dataset(inputs, Array.ConvertAll(table.Labels, l => (float)l), Features, 1);
    }
}
