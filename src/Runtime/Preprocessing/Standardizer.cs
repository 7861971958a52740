using System;

namespace NetGen;

/// <summary>What <see cref="Standardizer"/>.Fit does with a column whose training values are all equal (standard deviation 0).</summary>
public enum ConstantColumns
{
    /// <summary>
    /// As scikit-learn's <c>StandardScaler</c>: the column's scale is 1, so it is only centred and becomes 0 on the
    /// training rows (other rows keep their difference from the training value). <see cref="Standardizer.ConstantColumnIndices"/> lists them.
    /// </summary>
    Center,

    /// <summary>Fitting fails with an <see cref="ArgumentException"/> naming the first constant column.</summary>
    Throw,
}

/// <summary>
/// Standardisation fitted on training rows: x′ = (x − μ) / σ per column, with μ the training rows' mean and σ their
/// population standard deviation (divided by n, as scikit-learn's <c>StandardScaler</c> and <c>numpy.std</c>), both
/// computed in double. Fit once on the training rows, then transform training, validation and test rows with the same μ
/// and σ: the other rows must never influence them. <see cref="Transform(ReadOnlySpan{float}, Span{float})"/> allocates
/// nothing, so it can run on every batch.
/// </summary>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    private Standardizer(float[] mean, float[] scale, int[] constantColumns)
    {
        _mean = mean;
        _scale = scale;
        ConstantColumnIndices = constantColumns;
    }

    /// <summary>Values per row.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>μ per column.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>The divisor per column: σ, or 1 for a constant column (<see cref="ConstantColumns.Center"/>).</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>The columns whose training values were all equal, in increasing order.</summary>
    public int[] ConstantColumnIndices { get; }

    /// <summary>Fits μ and σ on <paramref name="rows"/>, row-major [n, <paramref name="featureCount"/>].</summary>
    public static Standardizer Fit(ReadOnlySpan<float> rows, int featureCount, ConstantColumns constantColumns = ConstantColumns.Center)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (rows.Length == 0 || rows.Length % featureCount != 0)
            throw new ArgumentException($"Standardisation needs at least one whole row of {featureCount} values; {rows.Length} values were given.", nameof(rows));
        int count = rows.Length / featureCount;
        var sum = new double[featureCount];
        for (int i = 0; i < rows.Length; i++)
        {
            if (!float.IsFinite(rows[i]))
                throw new ArgumentException($"Row {i / featureCount}, column {i % featureCount} is {rows[i]}: standardisation needs finite values.", nameof(rows));
            sum[i % featureCount] += rows[i];
        }
        var mean = new double[featureCount];
        for (int k = 0; k < featureCount; k++)
            mean[k] = sum[k] / count;

        // Two passes (mean, then squared deviations) rather than Σx² − nμ², which cancels badly for columns far from 0.
        var squares = new double[featureCount];
        var isConstant = new bool[featureCount];
        Array.Fill(isConstant, true);
        for (int i = 0; i < rows.Length; i++)
        {
            int k = i % featureCount;
            double deviation = rows[i] - mean[k];
            squares[k] += deviation * deviation;
            if (rows[i] != rows[k])
                isConstant[k] = false;
        }

        var meanF = new float[featureCount];
        var scale = new float[featureCount];
        var constant = new System.Collections.Generic.List<int>();
        for (int k = 0; k < featureCount; k++)
        {
            meanF[k] = (float)mean[k];
            // Equal values are tested directly: a σ that rounds to a tiny non-zero number must not blow the column up.
            if (isConstant[k])
            {
                if (constantColumns == ConstantColumns.Throw)
                    throw new ArgumentException(
                        $"Column {k} has the same value ({rows[k]}) in every training row, so its standard deviation is 0 and it cannot be scaled. " +
                        "Drop the column, or fit with ConstantColumns.Center to only centre it (as scikit-learn's StandardScaler does).", nameof(rows));
                scale[k] = 1f;
                constant.Add(k);
            }
            else
            {
                scale[k] = (float)Math.Sqrt(squares[k] / count);
            }
        }
        return new Standardizer(meanF, scale, constant.ToArray());
    }

    /// <summary>Fits on a data set's inputs.</summary>
    public static Standardizer Fit(Dataset training, ConstantColumns constantColumns = ConstantColumns.Center)
    {
        ArgumentNullException.ThrowIfNull(training);
        return Fit(training.Inputs, training.InputSize, constantColumns);
    }

    /// <summary>Fits on a label set's inputs.</summary>
    public static Standardizer Fit(LabelDataset training, ConstantColumns constantColumns = ConstantColumns.Center)
    {
        ArgumentNullException.ThrowIfNull(training);
        return Fit(training.Inputs, training.InputSize, constantColumns);
    }

    /// <summary>
    /// Writes (x − μ) / σ of every row of <paramref name="rows"/> to <paramref name="destination"/> (which may be
    /// <paramref name="rows"/> itself). Allocation-free.
    /// </summary>
    public void Transform(ReadOnlySpan<float> rows, Span<float> destination)
    {
        int featureCount = CheckRows(rows, destination);
        for (int start = 0; start < rows.Length; start += featureCount)
        {
            ReadOnlySpan<float> row = rows.Slice(start, featureCount);
            Span<float> output = destination.Slice(start, featureCount);
            System.Numerics.Tensors.TensorPrimitives.Subtract(row, _mean, output);
            System.Numerics.Tensors.TensorPrimitives.Divide(output, _scale, output);
        }
    }

    /// <summary>A new data set with standardised inputs and the same targets (shared, not copied).</summary>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new Dataset(StandardizedInputs(data.Inputs, data.InputSize), data.Targets, data.InputSize, data.TargetSize);
    }

    /// <summary>A new label set with standardised inputs and the same labels (shared, not copied).</summary>
    public LabelDataset Transform(LabelDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new LabelDataset(StandardizedInputs(data.Inputs, data.InputSize), data.Labels, data.InputSize, data.ClassCount);
    }

    private float[] StandardizedInputs(float[] rows, int inputSize)
    {
        if (inputSize != FeatureCount)
            throw new ArgumentException($"The data set has {inputSize} inputs per sample; this standardiser was fitted on {FeatureCount}.", "data");
        var inputs = new float[rows.Length];
        Transform(rows, inputs);
        return inputs;
    }

    /// <summary>The inverse, x = x′·σ + μ, in place or into <paramref name="destination"/>. Allocation-free.</summary>
    public void InverseTransform(ReadOnlySpan<float> rows, Span<float> destination)
    {
        int featureCount = CheckRows(rows, destination);
        for (int start = 0; start < rows.Length; start += featureCount)
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(rows.Slice(start, featureCount), _scale, _mean, destination.Slice(start, featureCount));
    }

    /// <summary>The feature count, after checking that <paramref name="rows"/> holds whole rows and fits in <paramref name="destination"/>.</summary>
    private int CheckRows(ReadOnlySpan<float> rows, Span<float> destination)
    {
        int featureCount = _mean.Length;
        if (rows.Length % featureCount != 0)
            throw new ArgumentException($"{rows.Length} values are not a whole number of rows of {featureCount}.", nameof(rows));
        if (destination.Length < rows.Length)
            throw new ArgumentException($"The destination holds {destination.Length} values; {rows.Length} are needed.", nameof(destination));
        return featureCount;
    }
}
