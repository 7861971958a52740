using System;
using System.Globalization;
using System.Linq;
using NetGen;

// Declares a network, trains it, saves and reloads its weights, and prints what the package test checks.
var net = new Xor(maxBatchSize: 4);
Initializers.GlorotUniform(net, seed: 1);
float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];
var data = new Dataset(inputs, [0, 1, 1, 0], inputSize: 2, targetSize: 1);
var trainer = new Trainer(net, new Adam(0.05f), new TrainerOptions { BatchSize = 4 });
EpochReport last = trainer.Train(data, epochs: 500);
SafeTensors.Save(net, "xor.safetensors");

var copy = new Xor(maxBatchSize: 4);
SafeTensors.Load(copy, "xor.safetensors");
var outputs = new float[4];
var reloaded = new float[4];
net.Forward(inputs, outputs, 4);
copy.Forward(inputs, reloaded, 4);

Console.WriteLine($"parameters {Xor.ParameterCount}");
Console.WriteLine($"loss {last.TrainingLoss.ToString("R", CultureInfo.InvariantCulture)}");
// Rounded to whole numbers: an output of −10⁻⁶ is 0 here, not "-0".
Console.WriteLine($"xor {string.Join(' ', outputs.Select(o => (int)MathF.Round(o)))}");
Console.WriteLine($"reloaded identical {outputs.SequenceEqual(reloaded)}");
Console.WriteLine($"tensors {string.Join(' ', SafeTensorsHeader.Parse(System.IO.File.ReadAllBytes("xor.safetensors")).Tensors.Select(t => $"{t.Name}{t.ShapeText.Replace(" ", "")}"))}");

[Network(Loss = Loss.MeanSquaredError)]
public partial class Xor
{
    [Input(2)]                  public partial Node X { get; }
    [Dense(8, Activation.Tanh)] public partial Node H { get; }
    [Dense(1)]                  public partial Node Y { get; }
}
