using System;
using System.Linq;
using Xunit;
using static NetGen.Benchmarks.LayerActivation;

namespace NetGen.Benchmarks.Tests;

/// <summary>The layer shapes and FLOP counts of the CNN workloads, against numbers worked out by hand.</summary>
public class FlopsTests
{
    [Fact]
    public void LeNet_layers_have_the_issues_shapes_and_61706_parameters()
    {
        Layer[] lenet = Architectures.LeNet();
        Assert.Equal(["6×28×28", "6×14×14", "16×10×10", "16×5×5", "400", "120", "84", "10"], lenet.Select(l => l.Output.ToString()));
        // C1 6·(25 + 1) = 156, C3 16·(150 + 1) = 2416, F5 120·401 = 48120, F6 84·121 = 10164, Output 10·85 = 850.
        Assert.Equal([156, 0, 2416, 0, 0, 48120, 10164, 850], lenet.Select(l => l.ParameterCount));
        Assert.Equal(61706, LayerStack.Validate(lenet));
        Assert.Equal([6, 1, 5, 5], lenet[0].ParameterShapes[0]);
    }

    [Fact]
    public void LeNet_multiply_adds_per_image_are_counted_per_output_value()
    {
        // C1: 6·28·28 outputs × 1·5·5 = 117,600; C3: 16·10·10 × 6·5·5 = 240,000; F5 400·120 = 48,000; F6 120·84 = 10,080;
        // Output 84·10 = 840; pooling and flattening none. Sum 416,520.
        Assert.Equal([117_600L, 0, 240_000, 0, 0, 48_000, 10_080, 840], Architectures.LeNet().Select(l => l.MultiplyAdds));
    }

    [Fact]
    public void LeNet_forward_is_two_flops_per_multiply_add()
    {
        Assert.Equal(833_040, Flops.Forward(Architectures.LeNet(), batch: 1));
        Assert.Equal(106_629_120, Flops.Forward(Architectures.LeNet(), batch: 128));
    }

    [Fact]
    public void LeNet_training_adds_the_weight_gradients_and_every_input_gradient_but_C1s()
    {
        // Forward 416,520 + weight gradients 416,520 + input gradients 416,520 − 117,600 = 1,131,960 multiply-adds an image;
        // × 2 FLOPs × 128 images = 289,781,760.
        Assert.Equal(289_781_760, Flops.TrainingStep(Architectures.LeNet(), batch: 128));
    }

    [Fact]
    public void The_1d_cnn_counts_its_kernels_along_one_axis()
    {
        Layer[] cnn = Architectures.SignalCnn();
        Assert.Equal(["16×128", "16×64", "32×64", "32×32", "1024", "64", "4"], cnn.Select(l => l.Output.ToString()));
        // 16·128 × 1·7 = 14,336; 32·64 × 16·5 = 163,840; 1024·64 = 65,536; 64·4 = 256.
        Assert.Equal([14_336L, 0, 163_840, 0, 0, 65_536, 256], cnn.Select(l => l.MultiplyAdds));
        Assert.Equal(487_936, Flops.Forward(cnn, batch: 1));
        // 2·128·(2·14,336 + 3·(163,840 + 65,536 + 256)) = 183,697,408.
        Assert.Equal(183_697_408, Flops.TrainingStep(cnn, batch: 128));
    }

    [Fact]
    public void Dense_stacks_count_as_before_the_convolutions()
    {
        // The seed MLP 1 → 64 → 64 → 1 at B = 128: 2·128·(2·64 + 3·4096 + 3·64) = 3,227,648 (docs/benchmarks.md's 3.23 M).
        Layer[] seed = [new DenseLayer(1, 64, Sigmoid), new DenseLayer(64, 64, Sigmoid), new DenseLayer(64, 1, Identity)];
        Assert.Equal(3_227_648, Flops.TrainingStep(seed, batch: 128));
    }

    [Fact]
    public void Strided_padded_convolutions_and_floored_pooling_size_their_outputs_as_pytorch()
    {
        // ⌊(9 + 2·1 − 3)/2⌋ + 1 = 5 and ⌊(8 + 2 − 3)/2⌋ + 1 = 4; pooling by 2 floors 5 to 2.
        Layer[] layers = LayerStack.From(2, 9, 8).Conv(3, 3, ReLU, padding: 1, stride: 2).MaxPool(2).Layers;
        Assert.Equal("3×5×4", layers[0].Output.ToString());
        Assert.Equal("3×2×2", layers[1].Output.ToString());
        Assert.Equal(3L * 5 * 4 * 2 * 9, layers[0].MultiplyAdds);
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LayerStack.From(1, 4, 4).Conv(2, 5, ReLU));
        Assert.Throws<ArgumentException>(() => LayerStack.From(10).Conv(2, 3, ReLU));
        Assert.Throws<ArgumentException>(() => LayerStack.From(1, 3).MaxPool(4));
        Assert.Throws<ArgumentException>(() => LayerStack.Validate([]));
    }
}
