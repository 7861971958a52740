using System;

namespace NetGen.Benchmarks.Engines;

/// <summary>
/// The plain scalar C# reference: the same maths as the generated code, written the obvious way (loops over
/// [out, in] weights, one float accumulator, no vectors, no specialisation). Every buffer is allocated here,
/// so the steps allocate nothing. It shows what a careful but unspecialised implementation costs.
/// </summary>
public sealed class ScalarMlp
{
    private readonly DenseLayer[] _layers;
    private readonly LossFunction _loss;
    private readonly int[] _weightOffsets, _biasOffsets;
    private readonly float[][] _values;   // [layer + 1][batch × size]: the input, then every layer's output
    private readonly float[][] _deltas;   // ∂L/∂z of every layer, [batch × units]
    private readonly float[] _previous;   // ∂L/∂y of the layer below

    public ScalarMlp(DenseLayer[] layers, LossFunction loss, int maxBatch, float[] parameters)
    {
        _layers = layers;
        _loss = loss;
        Parameters = (float[])parameters.Clone();
        Gradients = new float[parameters.Length];
        _weightOffsets = new int[layers.Length];
        _biasOffsets = new int[layers.Length];
        _values = new float[layers.Length + 1][];
        _deltas = new float[layers.Length][];
        _values[0] = new float[maxBatch * layers[0].Inputs];
        int offset = 0, widest = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            _weightOffsets[l] = offset;
            _biasOffsets[l] = offset + layers[l].Units * layers[l].Inputs;
            offset = _biasOffsets[l] + layers[l].Units;
            _values[l + 1] = new float[maxBatch * layers[l].Units];
            _deltas[l] = new float[maxBatch * layers[l].Units];
            widest = Math.Max(widest, layers[l].Inputs);
        }
        _previous = new float[maxBatch * widest];
    }

    public float[] Parameters { get; }

    public float[] Gradients { get; }

    /// <summary>Forward pass; returns the output rows [batch, OutputSize] (a view of an internal buffer).</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> inputs, int batch)
    {
        inputs.CopyTo(_values[0]);
        for (int l = 0; l < _layers.Length; l++)
        {
            DenseLayer layer = _layers[l];
            float[] x = _values[l], y = _values[l + 1];
            int w = _weightOffsets[l], b = _biasOffsets[l];
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < layer.Units; o++)
                {
                    float z = Parameters[b + o];
                    for (int i = 0; i < layer.Inputs; i++)
                        z += Parameters[w + o * layer.Inputs + i] * x[n * layer.Inputs + i];
                    y[n * layer.Units + o] = layer.Activation switch
                    {
                        LayerActivation.Sigmoid => 1f / (1f + MathF.Exp(-z)),
                        LayerActivation.Tanh => MathF.Tanh(z),
                        LayerActivation.ReLU => z > 0 ? z : 0,
                        _ => z,
                    };
                }
                if (layer.Activation == LayerActivation.Softmax)
                    Softmax(y.AsSpan(n * layer.Units, layer.Units));
            }
        }
        return _values[^1].AsSpan(0, batch * _layers[^1].Units);
    }

    /// <summary>Forward and backward pass; writes <see cref="Gradients"/> and returns the loss.</summary>
    public float Backward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batch)
    {
        ReadOnlySpan<float> output = Forward(inputs, batch);
        int outputs = _layers[^1].Units;
        float[] top = _deltas[^1];
        double loss = 0;
        if (_loss == LossFunction.MeanSquaredError)
        {
            float c = 2f / (batch * outputs);
            for (int k = 0; k < batch * outputs; k++)
            {
                float e = output[k] - targets[k];
                loss += e * e;
                top[k] = c * e;
            }
            loss /= batch * outputs;
        }
        else
        {
            // Softmax and cross-entropy together: ∂L/∂z = (p − t)/B; the loss from the probabilities.
            for (int k = 0; k < batch * outputs; k++)
            {
                if (targets[k] != 0)
                    loss -= targets[k] * Math.Log(Math.Max(output[k], 1e-30f));
                top[k] = (output[k] - targets[k]) / batch;
            }
            loss /= batch;
        }

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            DenseLayer layer = _layers[l];
            float[] x = _values[l], dz = _deltas[l];
            int w = _weightOffsets[l], b = _biasOffsets[l];
            Array.Clear(Gradients, w, layer.Units * (layer.Inputs + 1));
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < layer.Units; o++)
                {
                    float d = dz[n * layer.Units + o];
                    Gradients[b + o] += d;
                    for (int i = 0; i < layer.Inputs; i++)
                        Gradients[w + o * layer.Inputs + i] += d * x[n * layer.Inputs + i];
                }
            }
            if (l == 0)
                break;
            // ∂L/∂x = Wᵀ·δz, then through the activation below: δz_below = ∂L/∂y ⊙ f′(y).
            DenseLayer below = _layers[l - 1];
            Array.Clear(_previous, 0, batch * layer.Inputs);
            for (int n = 0; n < batch; n++)
                for (int o = 0; o < layer.Units; o++)
                {
                    float d = dz[n * layer.Units + o];
                    for (int i = 0; i < layer.Inputs; i++)
                        _previous[n * layer.Inputs + i] += d * Parameters[w + o * layer.Inputs + i];
                }
            float[] yBelow = _values[l], dzBelow = _deltas[l - 1];
            for (int k = 0; k < batch * layer.Inputs; k++)
            {
                float y = yBelow[k];
                dzBelow[k] = below.Activation switch
                {
                    LayerActivation.Sigmoid => _previous[k] * y * (1 - y),
                    LayerActivation.Tanh => _previous[k] * (1 - y * y),
                    LayerActivation.ReLU => y > 0 ? _previous[k] : 0,
                    _ => _previous[k],
                };
            }
        }
        return (float)loss;
    }

    /// <summary>θ ← θ − η·∂L/∂θ.</summary>
    public void Step(float learningRate)
    {
        for (int i = 0; i < Parameters.Length; i++)
            Parameters[i] -= learningRate * Gradients[i];
    }

    private static void Softmax(Span<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float v in row)
            max = Math.Max(max, v);
        float sum = 0;
        for (int j = 0; j < row.Length; j++)
            sum += row[j] = MathF.Exp(row[j] - max);
        for (int j = 0; j < row.Length; j++)
            row[j] /= sum;
    }
}
