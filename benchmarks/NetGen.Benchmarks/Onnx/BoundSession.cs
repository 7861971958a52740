using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// An ONNX Runtime session as the benchmark runs every model: one thread (intra- and inter-op pools of one, sequential
/// execution), every graph optimisation, and its one input and one output bound once as <see cref="OrtValue"/>s over
/// memory allocated once: <see cref="Inputs"/> holds the input batches one after another, each with a binding of its
/// own, so a call is one RunWithBinding that allocates nothing on our side. The input's shape is the model's with its
/// symbolic batch dimension set to the batch.
/// </summary>
public sealed class BoundSession : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding[] _bindings;

    /// <summary>A session over the model's bytes, or, with <paramref name="path"/>, over the file.</summary>
    public BoundSession(byte[]? model, string? path, int batch, int batches)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = model is not null ? new InferenceSession(model, _options)
            : new InferenceSession(path ?? throw new ArgumentNullException(nameof(path)), _options);
        (string inputName, NodeMetadata input) = _session.InputMetadata.Single();
        (string outputName, NodeMetadata output) = _session.OutputMetadata.Single();
        long[] inputShape = [batch, .. input.Dimensions.Skip(1).Select(d => (long)d)];
        InputSize = (int)inputShape.Skip(1).Aggregate(1L, (a, d) => a * d);
        OutputSize = output.Dimensions.Skip(1).Aggregate(1, (a, d) => a * d);
        Batches = batches;
        Inputs = new float[batches * batch * InputSize];
        Outputs = new float[batch * OutputSize];
        _outputValue = OrtValue.CreateTensorValueFromMemory(Outputs, [batch, .. output.Dimensions.Skip(1).Select(d => (long)d)]);
        _inputValues = new OrtValue[batches];
        _bindings = new OrtIoBinding[batches];
        for (int k = 0; k < batches; k++)
        {
            _inputValues[k] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(Inputs, k * batch * InputSize, batch * InputSize), inputShape);
            _bindings[k] = _session.CreateIoBinding();
            _bindings[k].BindInput(inputName, _inputValues[k]);
            _bindings[k].BindOutput(outputName, _outputValue);
        }
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>How many input batches <see cref="Inputs"/> holds.</summary>
    public int Batches { get; }

    /// <summary>Every input batch, one after another; fill before the first run (the bindings read it in place).</summary>
    public float[] Inputs { get; }

    /// <summary>The latest run's outputs.</summary>
    public float[] Outputs { get; }

    /// <summary>Runs the model on input batch <paramref name="inputBatch"/>.</summary>
    public void Run(int inputBatch) => _session.RunWithBinding(_run, _bindings[inputBatch]);

    public void Dispose()
    {
        foreach (OrtIoBinding binding in _bindings) binding.Dispose();
        foreach (OrtValue value in _inputValues) value.Dispose();
        _outputValue.Dispose();
        _run.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
