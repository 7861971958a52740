using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// How a node describes itself to the runtime's <c>NetworkGraph</c> (what tools such as the ONNX exporter read): its
/// kind and the settings of its <c>GraphNode</c>, as its layer kind gives them (<see cref="Layers.LayerKind.Describe"/>).
/// Settings a kind does not have stay at their defaults, which the emitter leaves unwritten.
/// </summary>
/// <param name="Slope">The leaky ReLU's α, or 0 when the activation is another.</param>
/// <param name="Kernel">A convolution's kernel side or a pooling window's.</param>
internal sealed record NodeDescription(
    GraphNodeKind Kind,
    Activation Activation = Activation.Identity,
    float Slope = 0f,
    int Kernel = 0,
    int Stride = 0,
    int Padding = 0,
    float Epsilon = 0f,
    float Momentum = 0f,
    float DropoutProbability = 0f)
{
    /// <summary>A kind with an activation: its slope only when the activation is a leaky ReLU (the attribute keeps a default otherwise).</summary>
    public static NodeDescription WithActivation(GraphNodeKind kind, Activation activation, float slope) =>
        new(kind, activation, activation == Activation.LeakyReLU ? slope : 0f);
}
