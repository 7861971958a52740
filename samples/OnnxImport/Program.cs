using System;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen;
using NetGen.Samples.Data;
using NetGen.Samples.OnnxImport;

// A CNN trained in PyTorch, compiled into C# from its ONNX file, fine-tuned on new data in .NET, exported again and
// checked with ONNX Runtime. `--out <folder>` moves the exported model (default: out/).
string folder = args.Length == 2 && args[0] == "--out" ? args[1] : "out";

var (training, test) = Digits.Load();
var network = new DigitsCnn(maxBatchSize: 64);
Console.WriteLine($"DigitsCnn, compiled from models/digits-cnn.onnx: {DigitsCnn.ParameterCount} parameters ({string.Join(", ", network.ParameterTensors.Select(t => t.Name))})");
Console.WriteLine($"PyTorch's weights, test accuracy: {Digits.Accuracy(network, test):P2} on {test.Count} digits");

// New data: the same digits one pixel to the right. The model never saw them placed so.
LabelledTable shiftedTraining = Digits.ShiftedRight(training), shiftedTest = Digits.ShiftedRight(test);
Console.WriteLine($"shifted one pixel right, before fine-tuning: {Digits.Accuracy(network, shiftedTest):P2}");

var trainer = new Trainer(network, new Adam(learningRate: 1e-3f), new TrainerOptions { BatchSize = 64, Shuffle = true, ShuffleSeed = 1 });
var data = new LabelDataset(shiftedTraining.Features, shiftedTraining.Labels, DigitsCnn.InputSize, Digits.Classes);
EpochReport report = trainer.Train(data, epochs: 5);
Console.WriteLine($"fine-tuned for {report.Epochs} epochs on {shiftedTraining.Count} shifted digits (Adam, η = 0.001): training loss {report.TrainingLoss:F4}");
Console.WriteLine($"shifted one pixel right, after fine-tuning: {Digits.Accuracy(network, shiftedTest):P2}; unshifted: {Digits.Accuracy(network, test):P2}");

// Export the fine-tuned network and run the file with ONNX Runtime on the shifted test digits.
Directory.CreateDirectory(folder);
string path = Path.Combine(folder, "digits-cnn-finetuned.onnx");
Onnx.Save(network, path);
var ours = new float[shiftedTest.Count * Digits.Classes];
Digits.Predict(network, shiftedTest.Features, ours);
using var session = new InferenceSession(path);
string input = session.InputMetadata.Keys.Single();
var tensor = new DenseTensor<float>(shiftedTest.Features, [shiftedTest.Count, 1, Digits.Side, Digits.Side]);
using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
float[] theirs = results.Single().AsEnumerable<float>().ToArray();
float largest = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
Console.WriteLine($"exported {Path.GetFullPath(path)} ({new FileInfo(path).Length} bytes); ONNX Runtime's probabilities on the shifted test digits differ from Forward's by at most {largest:E1}");
