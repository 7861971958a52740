using System;
using NetGen;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// The one combined test every generated call makes of its batch size and lengths (NetworkArguments.Check), and the
/// element-by-element copies of short inputs and outputs (SmallCopy): the same errors, in the same order, as the three
/// separate tests and Span.CopyTo they replaced.
/// </summary>
public class ArgumentCheckTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(int.MinValue)]   // batchSize − 1 overflows to int.MaxValue
    [InlineData(int.MaxValue)]   // batchSize × 3 overflows: still the batch size's error
    public void A_batch_size_out_of_range_is_named_before_any_length(int batchSize)
    {
        var network = new SigmoidChain(maxBatchSize: 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(new float[5], new float[1], batchSize));
        Assert.Equal("batchSize", error.ParamName);
        Assert.Equal(batchSize, error.ActualValue);
        Assert.StartsWith("The batch size must be between 1 and 2, the maxBatchSize given to the network's constructor.", error.Message);
    }

    [Fact]
    public void The_inputs_are_named_before_the_outputs_and_each_message_gives_the_sizes()
    {
        var network = new SigmoidChain(maxBatchSize: 2);
        var both = Assert.Throws<ArgumentException>(() => network.Forward(new float[5], new float[1], 2));
        Assert.Equal("inputs", both.ParamName);
        Assert.StartsWith("'inputs' holds 5 values, but a batch of 2 needs 2 × 3 = 6.", both.Message);
        var outputs = Assert.Throws<ArgumentException>(() => network.Forward(new float[6], new float[1], 2));
        Assert.Equal("outputs", outputs.ParamName);
        Assert.StartsWith($"'outputs' holds 1 values, but a batch of 2 needs 2 × {SigmoidChain.OutputSize} = {2 * SigmoidChain.OutputSize}.", outputs.Message);
        var single = Assert.Throws<ArgumentException>(() => network.Forward(new float[3], Span<float>.Empty));
        Assert.Equal("outputs", single.ParamName);
    }

    [Fact]
    public void Check_passes_exactly_the_right_sizes()
    {
        for (int batch = 1; batch <= 4; batch++)
            NetworkArguments.Check(batch, 4, batch * 3, 3, batch * 2, 2, "outputs");
        Assert.Throws<ArgumentException>(() => NetworkArguments.Check(4, 4, 12, 3, 7, 2, "outputs"));
        Assert.Throws<ArgumentException>(() => NetworkArguments.Check(4, 4, 13, 3, 8, 2, "outputs"));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkArguments.Check(5, 4, 15, 3, 10, 2, "outputs"));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkArguments.Check(1, 0, 3, 3, 2, 2, "outputs"));
    }

    [Fact]
    public void Short_and_long_spans_are_copied_whole_into_the_start_of_the_destination()
    {
        for (int length = 0; length <= SmallCopy.ElementwiseLimit + 3; length++)
        {
            float[] source = new float[length], destination = new float[length + 2];
            for (int i = 0; i < length; i++)
                source[i] = i + 0.5f;
            destination[length] = destination[length + 1] = -7f;
            SmallCopy.Copy(source, destination);
            Assert.Equal(source, destination[..length]);
            Assert.Equal([-7f, -7f], destination[length..]);
        }
    }

    [Fact]
    public void A_destination_too_short_throws_as_CopyTo_does_on_both_paths()
    {
        Assert.Throws<ArgumentException>(() => SmallCopy.Copy(new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => SmallCopy.Copy(new float[SmallCopy.ElementwiseLimit + 1], new float[SmallCopy.ElementwiseLimit]));
    }
}
