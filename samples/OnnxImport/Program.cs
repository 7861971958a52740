using System;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen;
using NetGen.Samples.OnnxImport;

// A CNN trained in PyTorch, compiled into C# from its ONNX file, fine-tuned on new data in .NET, exported again and
// checked with ONNX Runtime. `--out <folder>` moves the exported model (default: out/).
string folder = args.Length == 2 && args[0] == "--out" ? args[1] : "out";

var (training, test) = DigitImages.Load();
var network = new DigitsCnn(maxBatchSize: 64);
Console.WriteLine($"DigitsCnn, compiled from models/digits-cnn.onnx: {DigitsCnn.ParameterCount} parameters ({string.Join(", ", network.ParameterTensors.Select(t => t.Name))})");
Console.WriteLine($"PyTorch's weights, test accuracy: {DigitImages.Accuracy(network, test):P2} on {test.Count} digits");

// New data: the same digits one pixel to the right. The model never saw them placed so.
DigitSet shiftedTraining = DigitImages.ShiftedRight(training), shiftedTest = DigitImages.ShiftedRight(test);
Console.WriteLine($"shifted one pixel right, before fine-tuning: {DigitImages.Accuracy(network, shiftedTest):P2}");

var trainer = new Trainer(network, new Adam(learningRate: 3e-3f), new TrainerOptions { BatchSize = 64, Shuffle = true, ShuffleSeed = 1 });
var data = new LabelDataset(shiftedTraining.Features, shiftedTraining.Labels, DigitsCnn.InputSize, DigitImages.Classes);
EpochReport report = trainer.Train(data, epochs: 10);
Console.WriteLine($"fine-tuned for {report.Epochs} epochs on {shiftedTraining.Count} shifted digits (Adam, η = 0.003): training loss {report.TrainingLoss:F4}");
Console.WriteLine($"shifted one pixel right, after fine-tuning: {DigitImages.Accuracy(network, shiftedTest):P2}; unshifted: {DigitImages.Accuracy(network, test):P2}");

// Export the fine-tuned network and run the file with ONNX Runtime on the shifted test digits.
Directory.CreateDirectory(folder);
string path = Path.Combine(folder, "digits-cnn-finetuned.onnx");
Onnx.Save(network, path);
var ours = new float[shiftedTest.Count * DigitImages.Classes];
Trainer.Predict(network, shiftedTest.Features, ours);
using var session = new InferenceSession(path);
string input = session.InputMetadata.Keys.Single();
var tensor = new DenseTensor<float>(shiftedTest.Features, [shiftedTest.Count, 1, DigitImages.Side, DigitImages.Side]);
using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
float[] theirs = results.Single().AsEnumerable<float>().ToArray();
float largest = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
Console.WriteLine($"exported {Path.GetFullPath(path)} ({new FileInfo(path).Length} bytes); ONNX Runtime's probabilities on the shifted test digits differ from Forward's by at most {largest:E1}");
