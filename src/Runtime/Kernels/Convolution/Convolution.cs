using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// The kernels of a convolution layer z = W ⋆ x + b, y = f(z), for a batch, in PyTorch's layouts: a sample of x is
/// [C, H, W] (or [C, L]), of y [out, OH, OW], W is [out, C, kh, kw] and b [out]. Each sample's patches are laid out as a
/// matrix (<see cref="Patches"/>) and the work runs through the register-blocked product of the dense layers
/// (<see cref="Gemm"/>), with bias and f fused into its epilogue; a 1×1 kernel with stride 1 reads the sample as it is.
/// </summary>
/// <remarks>
/// Generated code passes the layer's <see cref="IConvolutionShape"/> as the first type argument, so every size is a
/// constant to the JIT. Arguments come in the one order: what the kernel writes, what it reads, then the batch. The
/// scratch (<see cref="ScratchLength{TShape}"/> floats) holds one sample's patch matrix, refilled by every use.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Convolution
{
    /// <summary>
    /// The floats of scratch the layer's kernels use: the patch matrices of a group of samples side by side (one
    /// sample's in the forward pass and the input gradient; none for a pointwise layer, which reads its samples as
    /// they are), the group's δ laid out the same way, and one group's weight gradient.
    /// </summary>
    public static int ScratchLength<TShape>() where TShape : IConvolutionShape
    {
        int group = ConvolutionSizes<TShape>.Group, positions = ConvolutionSizes<TShape>.Positions;
        int patches = checked(group * ConvolutionSizes<TShape>.Patch * positions + GroupDeltaLength<TShape>() + TShape.OutChannels * ConvolutionSizes<TShape>.Patch);
        if (ConvolutionSizes<TShape>.Direct)
            patches = Math.Max(patches, DirectConvolution.ScratchLength<TShape>());
        return TShape.Stride == 1 && !ConvolutionSizes<TShape>.Pointwise ? Math.Max(patches, GridInputGradients.ScratchLength<TShape>()) : patches;
    }

    /// <summary>The group's δ side by side: none for a group of one, which reads its δ where it is.</summary>
    private static int GroupDeltaLength<TShape>() where TShape : IConvolutionShape
    {
        int group = ConvolutionSizes<TShape>.Group;
        return group > 1 ? group * TShape.OutChannels * ConvolutionSizes<TShape>.Positions : 0;
    }

    /// <summary>y = f(W ⋆ x + b); <paramref name="z"/>, when not empty, receives z. <paramref name="bias"/> may be empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TShape, TActivation>(Span<float> y, Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> scratch, int batch) where TShape : IConvolutionShape where TActivation : IUnaryOperator
    {
        int inputSize = ConvolutionSizes<TShape>.InputSize, outputSize = ConvolutionSizes<TShape>.OutputSize;
        Check(x.Length, batch * inputSize, y.Length, batch * outputSize, weights.Length, TShape.OutChannels * ConvolutionSizes<TShape>.Patch, scratch.Length, ScratchLength<TShape>());
        if ((!bias.IsEmpty && bias.Length < TShape.OutChannels) || (!z.IsEmpty && z.Length < batch * outputSize))
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        if (ConvolutionSizes<TShape>.Direct)
        {
            DirectConvolution.Forward<TShape, TActivation>(y, z, x, weights, bias, scratch, batch);
            return;
        }
        for (int n = 0; n < batch; n++)
        {
            ref float columns = ref Ref(x, n * inputSize);
            if (!ConvolutionSizes<TShape>.Pointwise)
            {
                Patches.ToColumns<TShape>(ref columns, ref Ref(scratch), ConvolutionSizes<TShape>.Positions);
                columns = ref Ref(scratch);
            }
            var epilogue = new ChannelEpilogue<TActivation>(ref Ref(bias), !bias.IsEmpty, ref Ref(z, z.IsEmpty ? 0 : n * outputSize), !z.IsEmpty,
                ref Ref(y, n * outputSize), ConvolutionSizes<TShape>.Positions);
            Gemm.Run(ref Ref(weights), ref columns, default(ConvolutionForwardProduct<TShape>), ref epilogue);
        }
    }

    /// <summary>
    /// ∂L/∂W[o, k] = Σ_n δ_n[o, :]·Cols(x_n)[k, :] ([out, C, kh, kw], overwritten): out × patch dot products over the
    /// output positions, in the dense layers' register tiles of dot products (2 channels × 4 patch rows,
    /// <see cref="DotTiles"/>). The samples go in groups (<see cref="ConvolutionSizes{TShape}.Group"/>): their patch
    /// matrices and their δ side by side in the scratch, so that each dot product runs over the group's positions and
    /// its final reductions are paid once per group; each group's sums are added to the gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradients<TShape>(Span<float> weightGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> x, Span<float> scratch, int batch)
        where TShape : IConvolutionShape
    {
        int inputSize = ConvolutionSizes<TShape>.InputSize, outputSize = ConvolutionSizes<TShape>.OutputSize, patch = ConvolutionSizes<TShape>.Patch;
        int positions = ConvolutionSizes<TShape>.Positions, weights = TShape.OutChannels * patch, group = ConvolutionSizes<TShape>.Group;
        Check(x.Length, batch * inputSize, delta.Length, batch * outputSize, weightGradients.Length, weights, scratch.Length, ScratchLength<TShape>());
        if (ConvolutionSizes<TShape>.Direct)
        {
            DirectConvolution.WeightGradients<TShape>(weightGradients, delta, x, scratch, batch);
            return;
        }
        Span<float> gradients = weightGradients[..weights];
        Span<float> columns = scratch[..(group * patch * positions)];
        Span<float> deltas = scratch.Slice(group * patch * positions, GroupDeltaLength<TShape>());
        Span<float> sums = scratch.Slice(group * patch * positions + GroupDeltaLength<TShape>(), weights);
        gradients.Clear();
        for (int first = 0; first < batch; first += group)
        {
            int samples = Math.Min(group, batch - first), length = samples * positions;
            for (int s = 0; s < samples; s++)
            {
                int n = first + s;
                // Sample s's columns start at s·positions in every row of the group's [patch, samples·positions].
                Patches.ToColumns<TShape>(ref Ref(x, n * inputSize), ref Ref(columns, s * positions), length);
                if (group > 1)
                    for (int o = 0; o < TShape.OutChannels; o++)
                        delta.Slice(n * outputSize + o * positions, positions).CopyTo(deltas.Slice(o * length + s * positions, positions));
            }
            // sums[o, k] = δ_group[o, :]·Cols_group[k, :] (a group of one reads its δ where it is).
            ReadOnlySpan<float> groupDelta = group > 1 ? deltas[..(TShape.OutChannels * length)] : delta.Slice(first * outputSize, outputSize);
            Dense.RowDots(groupDelta, columns[..(patch * length)], sums, TShape.OutChannels, length, patch);
            TensorPrimitives.Add(gradients, sums, gradients);
        }
    }

    /// <summary>∂L/∂b[o] = Σ_n Σ_p δ[n, o, p] (overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasGradients<TShape>(Span<float> biasGradients, ReadOnlySpan<float> delta, int batch) where TShape : IConvolutionShape
    {
        int positions = ConvolutionSizes<TShape>.Positions, outputSize = ConvolutionSizes<TShape>.OutputSize;
        if (delta.Length < batch * outputSize || biasGradients.Length < TShape.OutChannels)
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
        for (int o = 0; o < TShape.OutChannels; o++)
        {
            float sum = 0f;
            for (int n = 0; n < batch; n++)
                sum += TensorPrimitives.Sum(delta.Slice(n * outputSize + o * positions, positions));
            biasGradients[o] = sum;
        }
    }

    /// <summary>δx += Wᵀ ⋆ δ: added to what is there (other readers of the source add theirs), summed where windows overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInputGradients<TShape>(Span<float> inputGradients, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, Span<float> scratch, int batch)
        where TShape : IConvolutionShape
    {
        int inputSize = ConvolutionSizes<TShape>.InputSize, outputSize = ConvolutionSizes<TShape>.OutputSize;
        Check(inputGradients.Length, batch * inputSize, delta.Length, batch * outputSize, weights.Length, TShape.OutChannels * ConvolutionSizes<TShape>.Patch,
            scratch.Length, ScratchLength<TShape>());
        if (TShape.Stride == 1 && !ConvolutionSizes<TShape>.Pointwise)
        {
            GridInputGradients.Add<TShape>(inputGradients, delta, weights, scratch, batch);
            return;
        }
        for (int n = 0; n < batch; n++)
        {
            if (ConvolutionSizes<TShape>.Pointwise)
            {
                // The patch matrix is the sample itself: add Wᵀ·δ straight into it.
                var into = new InputGradientEpilogue<IdentityDerivativeOperator>(ref Ref(inputGradients, n * inputSize), ref Ref(inputGradients), accumulate: true,
                    ConvolutionSizes<TShape>.Positions);
                Gemm.Run(ref Ref(weights), ref Ref(delta, n * outputSize), default(ConvolutionInputGradientProduct<TShape>), ref into);
                continue;
            }
            var epilogue = new StoreEpilogue(ref Ref(scratch), ConvolutionSizes<TShape>.Positions);
            Gemm.Run(ref Ref(weights), ref Ref(delta, n * outputSize), default(ConvolutionInputGradientProduct<TShape>), ref epilogue);
            Patches.AddColumns<TShape>(ref Ref(inputGradients, n * inputSize), ref Ref(scratch));
        }
    }

    private static void Check(int first, int firstNeeds, int second, int secondNeeds, int weights, int weightsNeed, int scratch, int scratchNeeds)
    {
        if (first < firstNeeds || second < secondNeeds || weights < weightsNeed || scratch < scratchNeeds)
            throw new ArgumentException("A buffer is smaller than the batch and the layer's sizes need.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(ReadOnlySpan<float> span, int offset = 0) => ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Ref(Span<float> span, int offset = 0) => ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset);
}
