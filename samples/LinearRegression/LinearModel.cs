using NetGen;

namespace NetGen.Samples.LinearRegression;

// Seed problem J: ŷ = wᵀx with no bias; x carries a leading 1, so w₀ is the intercept.
// Minimising the squared error is maximising the Gaussian likelihood Π N(yᵢ; wᵀxᵢ, σ²).
[Network(Loss = Loss.MeanSquaredError)]
public partial class LinearModel
{
    [Input(Problem.Features)] public partial Node X { get; }
    [Dense(1, Bias = false)]  public partial Node Y { get; }
}
