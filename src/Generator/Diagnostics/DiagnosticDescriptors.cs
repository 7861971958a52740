using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// The one catalogue of NetGen's diagnostics. IDs are stable: never renumber, only add
/// (and record the change in AnalyzerReleases.Unshipped.md). Every message names what is wrong and how to fix it.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    /// <summary>
    /// docs/diagnostics.md of the repository, as an absolute URL (a relative path means nothing to a package user's IDE).
    /// It is set once, as NetGenDiagnosticsUrl in Directory.Build.props, and reaches this assembly as metadata.
    /// </summary>
    public static string DocumentationUrl { get; } = System.Linq.Enumerable.Single(
        System.Reflection.CustomAttributeExtensions.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>(typeof(DiagnosticDescriptors).Assembly),
        a => a.Key == "NetGenDiagnosticsUrl").Value!;

    /// <summary>The diagnostic's section: GitHub-style anchors are the heading in lower case.</summary>
    private static string HelpLink(string id) => DocumentationUrl + "#" + id.ToLowerInvariant();

    public static readonly DiagnosticDescriptor ClassNotPartial = Error("NG0001",
        "Network class must be partial",
        "The network class '{0}' must be declared 'partial' so that NetGen can add the generated members; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor UnsupportedClassShape = Error("NG0002",
        "Network class shape not supported",
        "The network class '{0}' is {1}; NetGen supports only non-generic, non-static, non-abstract classes (not records or structs) declared directly in a namespace: {2}");

    public static readonly DiagnosticDescriptor NoInput = Error("NG0003",
        "Network has no input",
        "The network '{0}' declares no [Input] node; declare one, e.g. '[Input(4)] public partial Node X {{ get; }}', before its first layer");

    public static readonly DiagnosticDescriptor SizeMismatch = Error("NG0004",
        "Operand sizes differ",
        "'{0}' {1} {2}; {3} needs inputs of equal size: make the operands the same size or insert a Dense layer to project one of them");

    public static readonly DiagnosticDescriptor MultipleInputs = Error("NG0005",
        "More than one input",
        "The network '{0}' declares {1} [Input] nodes ({2}); NetGen supports one input node: concatenate the features into a single input");

    public static readonly DiagnosticDescriptor UnknownReference = Error("NG0006",
        "Unknown node reference",
        "'{0}' refers to '{1}', which is not a node of '{2}'; use nameof(...) with one of: {3}");

    public static readonly DiagnosticDescriptor CyclicReference = Error("NG0007",
        "Cyclic node reference",
        "'{0}' depends on itself ({1}); a network must be acyclic: make one of these nodes read an earlier node");

    public static readonly DiagnosticDescriptor InvalidSize = Error("NG0008",
        "Invalid size",
        "'{0}' has size {1}; sizes must be between 1 and {2}: give it a positive size that fits, e.g. [Dense(64)]");

    public static readonly DiagnosticDescriptor NodeNotPartial = Error("NG0009",
        "Node property must be a partial definition",
        "The node property '{0}' must be declared 'partial' with only a getter and no body, e.g. 'public partial Node {0} {{ get; }}'; NetGen writes its implementation");

    public static readonly DiagnosticDescriptor NodeWrongType = Error("NG0010",
        "Node property has the wrong type",
        "The node property '{0}' has type '{1}'; node properties must have type 'NetGen.Node'");

    public static readonly DiagnosticDescriptor NodeWrongShape = Error("NG0011",
        "Node property has an unsupported shape",
        "The node property '{0}' is {1}; a node must be an instance property with only a getter: 'public partial Node {0} {{ get; }}'");

    public static readonly DiagnosticDescriptor MultipleNodeAttributes = Error("NG0012",
        "More than one node attribute",
        "The node property '{0}' has {1}; a node is exactly one of [Input], [Dense], [Add] or [Max]: declare a separate node for each");

    public static readonly DiagnosticDescriptor OutputNotLayer = Error("NG0013",
        "Output is not a layer",
        "The output of '{0}' is '{1}', the input node; the output must be a layer: declare a [Dense] node after the input or name one in [Network(Output = ...)]");

    public static readonly DiagnosticDescriptor LossActivationMismatch = Error("NG0014",
        "Loss and output activation do not fit",
        "{0} needs an output layer with Activation.{1}, but the output '{2}' {3}; declare the output as [Dense(n, Activation.{1})]: NetGen fuses the two into one stable computation");

    public static readonly DiagnosticDescriptor UnreachableNode = Warning("NG0015",
        "Node does not reach the output",
        "'{0}' does not reach the output '{1}': it is computed but never trained; remove it, or read it from a node that leads to the output");

    public static readonly DiagnosticDescriptor InvalidArgument = Error("NG0016",
        "Invalid attribute argument",
        "{0} is {1}; it must be {2}");

    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Error("NG0017",
        "C# language version too old",
        "NetGen nodes are partial properties, which need C# 13 or later, but '{0}' is compiled as C# {1}; set <LangVersion>13</LangVersion> (or later) in the project file");

    public static readonly DiagnosticDescriptor NameCollision = Error("NG0018",
        "Node name collides with a generated member",
        "The node name '{0}' collides with the generated member '{1}' of '{2}' ({3}); rename the node");

    public static readonly DiagnosticDescriptor NoPreviousNode = Error("NG0019",
        "Layer has no node to read",
        "'{0}' is the first node declared, so it has no previous node to read; declare the [Input] first or set From = nameof(...)");

    public static readonly DiagnosticDescriptor TooFewOperands = Error("NG0020",
        "Too few operands",
        "'{0}' {1}; [{2}] needs at least two distinct nodes, e.g. [{2}(nameof(A), nameof(B))]");

    public static readonly DiagnosticDescriptor ReductionWithSquaredError = Error("NG0021",
        "Reduction given twice",
        "Loss.{0} already names its reduction; remove 'Reduction = ...' or use Loss.{1}");

    public static readonly DiagnosticDescriptor SlopeWithoutLeakyReLU = Warning("NG0022",
        "Slope has no effect",
        "'{0}' sets Slope but its activation is {1}; Slope only applies to Activation.LeakyReLU: remove it or change the activation");

    public static readonly DiagnosticDescriptor UnreadableAttribute = Error("NG0023",
        "Attribute arguments cannot be read",
        "NetGen cannot read {0} because its arguments have C# errors, so '{1}' is not generated; fix the compiler errors reported there first");

    public static readonly DiagnosticDescriptor DuplicateNodeName = Error("NG0024",
        "Duplicate node name",
        "'{0}' is declared as a node more than once in '{1}'; node names must be unique: rename or remove one declaration");

    public static readonly DiagnosticDescriptor SoftmaxOverOneUnit = Error("NG0025",
        "Softmax over a single unit",
        "'{0}' applies Softmax to 1 unit, so its output is always 1 and nothing before it can learn; give it one unit per class, or use Activation.Sigmoid (with Loss.BinaryCrossEntropy) for a yes/no output");

    public static readonly DiagnosticDescriptor SoftmaxWithSquaredError = Warning("NG0026",
        "Softmax output trained with squared error",
        "The output '{0}' applies Softmax and is trained with Loss.{1}: squared error on probabilities has vanishing gradients once the softmax saturates; for classification use Loss.SoftmaxCrossEntropy, which NetGen fuses with the softmax into one stable log-sum-exp");

    public static readonly DiagnosticDescriptor ImplicitOrderAcrossParts = Error("NG0027",
        "Node order depends on the order of partial declarations",
        "{0}; the nodes of '{1}' are declared in {2} partial declarations, which C# does not order (the build would follow file names): {3}");

    public static readonly DiagnosticDescriptor MemberCollision = Error("NG0028",
        "Member collides with a generated member",
        "The {0} '{1}' of '{2}' has the name of a member NetGen generates ({3}); {4}");

    public static readonly DiagnosticDescriptor ConstructorConflict = Error("NG0029",
        "Constructor conflicts with the generated constructor",
        "{0}; NetGen generates the constructor '{1}(int maxBatchSize = 1)', which allocates every buffer: {2}");

    public static readonly DiagnosticDescriptor WrongSourceShape = Error("NG0030",
        "Layer reads a node of the wrong shape",
        "'{0}' is a [{1}], which reads {2}, but '{3}' has shape {4}; {5}");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error("NG0031",
        "Window larger than its input",
        "'{0}' slides a window of {1} over '{2}' of shape {3}{4}, which leaves no output; use a smaller kernel, or more Padding");

    public static readonly DiagnosticDescriptor PoolingDropsValues = Warning("NG0032",
        "Pooling leaves values out",
        "'{0}' pools '{1}' of shape {2} with windows of {3} every {4}, which never read {5}; PyTorch drops them too, but the values before them are then trained on nothing there: choose a size and Stride that tile the input, or change the layer before");

    public static readonly DiagnosticDescriptor MomentumOutOfRange = Error("NG0033",
        "Momentum outside [0, 1]",
        "The Momentum of '{0}' is {1}; it must be in [0, 1], the weight each training batch's statistics get in the running ones: 0 keeps the running statistics as they are, 1 replaces them with the latest batch's (PyTorch's default is 0.1f)");

    public static readonly DiagnosticDescriptor EpsilonNotPositive = Error("NG0034",
        "Epsilon not a small positive number",
        "The Epsilon of '{0}' is {1}; it must be a positive, finite number, added to the variance so that a constant channel divides by √ε and not by 0 (PyTorch's default is 1e-5f)");

    public static readonly DiagnosticDescriptor OnnxFileNotListed = Error("NG0035",
        "ONNX file not among the additional files",
        "The ONNX file '{0}' of '{1}' is not among the project's additional files{2}; list it in the project file, e.g. <AdditionalFiles Include=\"{0}\" />, with a name ending in .onnx");

    public static readonly DiagnosticDescriptor OnnxFileUnreadable = Error("NG0036",
        "ONNX file cannot be read",
        "The ONNX file '{0}' of '{1}' cannot be read: {2}; check that the file exists and that the build may read it");

    public static readonly DiagnosticDescriptor NotAnOnnxModel = Error("NG0037",
        "File is not an ONNX model",
        "The file '{0}' of '{1}' is not a well-formed ONNX model: {2}; export the model again, e.g. with torch.onnx.export(model, sample, path, opset_version=13)");

    public static readonly DiagnosticDescriptor OnnxUnsupportedOperator = Error("NG0038",
        "ONNX operator not supported",
        "The node '{0}' of '{1}' is {2}, which NetGen cannot compile{3}; NetGen compiles {4}");

    public static readonly DiagnosticDescriptor OnnxUnsupportedAttribute = Error("NG0039",
        "ONNX attribute not supported",
        "The node '{0}' ({1}) of '{2}' has {3} = {4}; NetGen compiles it only with {5}");

    public static readonly DiagnosticDescriptor OnnxUnsupportedGraph = Error("NG0040",
        "ONNX graph not supported",
        "The graph of '{0}' in '{1}' {2}; {3}");
}
