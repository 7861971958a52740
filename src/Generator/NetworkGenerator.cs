using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Onnx;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator;

/// <summary>
/// The NetGen source generator: for every class marked [Network], parse → plan → emit.
/// Only this file knows the pipeline; each stage lives in its own folder.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for tests that check what was cached.</summary>
    public static class TrackingNames
    {
        public const string Parse = nameof(Parse);
        public const string Plan = nameof(Plan);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Emit = nameof(Emit);
        public const string Stub = nameof(Stub);
        /// <summary>Reading and decoding an .onnx additional file.</summary>
        public const string OnnxFile = nameof(OnnxFile);
        /// <summary>Reading an [OnnxNetwork] class.</summary>
        public const string OnnxDeclaration = nameof(OnnxDeclaration);
        /// <summary>The import: an [OnnxNetwork] class and its file into a network spec (the parse stage of such a network).</summary>
        public const string Import = nameof(Import);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // ForAttributeWithMetadataName looks only at classes carrying the attribute, so an edit elsewhere
        // costs nothing; the parser turns symbols into plain records right there, so nothing later holds a
        // compilation alive and unchanged networks compare equal and are not re-emitted.
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.NetworkAttributeName,
                // Any type declaration, not only classes: a [Network] record or struct must get NG0002, not silence.
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (syntax, cancellationToken) => Parser.Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        Generate(context, parsed);

        // [OnnxNetwork(path)]: the file's graph becomes the same spec a declaration gives, then the same stages run. Each
        // .onnx additional file is read and decoded once, in its own step, so an unchanged file stops the pipeline there.
        IncrementalValuesProvider<OnnxFile> onnxFiles = context.AdditionalTextsProvider
            .Where(static text => OnnxFile.IsOnnx(text))
            .Select(static (text, cancellationToken) => OnnxFile.Read(text, cancellationToken))
            .WithTrackingName(TrackingNames.OnnxFile);
        IncrementalValuesProvider<OnnxDeclaration?> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                OnnxDeclaration.AttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (syntax, cancellationToken) => OnnxDeclaration.Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.OnnxDeclaration);
        IncrementalValuesProvider<ParseResult> imported = declarations
            .Combine(onnxFiles.Collect())
            .Select(static (pair, _) => OnnxImporter.Import(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Import);
        Generate(context, imported);
    }

    /// <summary>Plan, diagnostics, emit and stubs of the networks a parse stage produced.</summary>
    private static void Generate(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ParseResult> parsed)
    {
        IncrementalValuesProvider<PlanResult> planned = parsed
            .Select(static (result, _) => Planner.Plan(result))
            .WithTrackingName(TrackingNames.Plan);

        // Diagnostics travel on their own stream: a change that only moves an error does not re-emit code. They are
        // attached to the compilation's own syntax trees only when reported (a cheap step that runs on every edit),
        // so that #pragma warning disable and the IDE see them in the user's file.
        IncrementalValuesProvider<DiagnosticInfo> diagnostics = planned
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Collect().Combine(context.CompilationProvider), static (output, pair) =>
        {
            foreach (DiagnosticInfo diagnostic in pair.Left)
                output.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
        });

        IncrementalValuesProvider<NetworkPlan> plans = planned
            .Where(static result => result.Plan is not null)
            .Select(static (result, _) => result.Plan!)
            .WithTrackingName(TrackingNames.Emit);
        context.RegisterSourceOutput(plans, static (output, plan) => output.AddSource(Emitter.HintName(plan), Emitter.Emit(plan)));

        // A declaration that cannot be generated still gets its partial node properties implemented (by placeholders),
        // so that the build shows NetGen's error and not one CS9248 per node.
        IncrementalValuesProvider<StubSpec> stubs = planned
            .Where(static result => result.Plan is null && result.Stub is not null)
            .Select(static (result, _) => result.Stub!)
            .WithTrackingName(TrackingNames.Stub);
        context.RegisterSourceOutput(stubs, static (output, stub) => output.AddSource(stub.HintName, StubEmitter.Emit(stub)));
    }
}
