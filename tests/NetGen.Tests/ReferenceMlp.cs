using System;

namespace NetGen.Tests;

/// <summary>
/// An independent, plain double-precision MLP for chains of dense layers with MSE loss: loops written from the
/// maths, no vectors, no shared code with the generator or runtime. Generated gradients must agree with it.
/// </summary>
public sealed class ReferenceMlp(int[] sizes, Func<double, double>[] activations, Func<double, double>[] derivativesFromOutput, bool[] bias)
{
    /// <summary>Loss, parameter gradients (in NetGen's layout: per layer W row-major [out, in], then b) and input gradients.</summary>
    public (double Loss, double[] Gradients, double[] InputGradients) Backward(float[] parameters, float[] inputs, float[] targets, int batch)
    {
        int layers = sizes.Length - 1;
        var gradients = new double[parameters.Length];
        var inputGradients = new double[inputs.Length];
        double loss = 0;
        int outputs = sizes[layers];
        for (int n = 0; n < batch; n++)
        {
            var values = new double[layers + 1][];
            values[0] = new double[sizes[0]];
            for (int i = 0; i < sizes[0]; i++)
                values[0][i] = inputs[n * sizes[0] + i];
            int offset = 0;
            var offsets = new int[layers];
            for (int l = 0; l < layers; l++)
            {
                offsets[l] = offset;
                int fanIn = sizes[l], fanOut = sizes[l + 1];
                values[l + 1] = new double[fanOut];
                for (int o = 0; o < fanOut; o++)
                {
                    double z = bias[l] ? parameters[offset + fanOut * fanIn + o] : 0;
                    for (int i = 0; i < fanIn; i++)
                        z += parameters[offset + o * fanIn + i] * values[l][i];
                    values[l + 1][o] = activations[l](z);
                }
                offset += fanOut * fanIn + (bias[l] ? fanOut : 0);
            }

            var delta = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double e = values[layers][o] - targets[n * outputs + o];
                loss += e * e / (batch * outputs);
                delta[o] = 2 * e / (batch * outputs);
            }
            for (int l = layers - 1; l >= 0; l--)
            {
                int fanIn = sizes[l], fanOut = sizes[l + 1];
                var previous = new double[fanIn];
                for (int o = 0; o < fanOut; o++)
                {
                    double dz = delta[o] * derivativesFromOutput[l](values[l + 1][o]);
                    if (bias[l])
                        gradients[offsets[l] + fanOut * fanIn + o] += dz;
                    for (int i = 0; i < fanIn; i++)
                    {
                        gradients[offsets[l] + o * fanIn + i] += dz * values[l][i];
                        previous[i] += dz * parameters[offsets[l] + o * fanIn + i];
                    }
                }
                delta = previous;
            }
            for (int i = 0; i < sizes[0]; i++)
                inputGradients[n * sizes[0] + i] = delta[i];
        }
        return (loss, gradients, inputGradients);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
