using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Naming;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The table of generated names is complete: every member, parameter and local that emitted code declares is in it.
/// A member added to the emitter without its table entry fails here, instead of colliding silently with a user's name.
/// </summary>
public class GeneratedNamesTests
{
    // Between them, every emission path: transposed weights, L2 (of a mean loss and of a sum), class-index overloads, Add, Max, layers without bias.
    private static readonly string[] s_networks =
    [
        Sources.ThreeLayerMlp,
        Sources.ResidualNetwork,
        """
        using NetGen;
        namespace Samples;
        [Network(Loss = Loss.SoftmaxCrossEntropy, L2 = 0.01f)]
        public partial class Classifier
        {
            [Input(4)]                                           public partial Node X { get; }
            [Dense(32, Activation.Softplus)]                     public partial Node A { get; }
            [Dense(32, Activation.LeakyReLU, From = nameof(X))]  public partial Node B { get; }
            [Max(nameof(A), nameof(B), nameof(A))]               public partial Node M { get; }
            [Dense(3, Activation.Softmax)]                       public partial Node Y { get; }
        }
        """,
        """
        using NetGen;
        namespace Samples;
        [Network(Loss = Loss.BinaryCrossEntropy, Reduction = Reduction.Sum, L2 = 0.01f)]
        public partial class Binary
        {
            [Input(3)]                                  public partial Node X { get; }
            [Dense(3, Bias = false)]                    public partial Node H { get; }
            [Add(nameof(X), nameof(H), nameof(X))]      public partial Node S { get; }
            [Dense(1, Activation.Sigmoid)]              public partial Node Y { get; }
        }
        """,
        """
        using NetGen;
        namespace Samples;
        [Network(Loss = Loss.MeanSquaredError)]
        public partial class Images
        {
            [Input(1, 6, 6)]                            public partial Node X { get; }
            [Conv2D(2, 3, Activation.ReLU)]             public partial Node C { get; }
            [MaxPool2D(2)]                              public partial Node P { get; }
            [Dropout(0.5f)]                             public partial Node D { get; }
            [BatchNorm]                                 public partial Node B { get; }
            [Dense(2)]                                  public partial Node Y { get; }
        }
        """,
        // A batch normalisation of a vector: its training batches need two samples (MinTrainingBatchSize).
        """
        using NetGen;
        namespace Samples;
        [Network(Loss = Loss.MeanSquaredError)]
        public partial class NormalisedVector
        {
            [Input(3)]                                  public partial Node X { get; }
            [BatchNorm]                                 public partial Node N { get; }
            [Dense(1)]                                  public partial Node Y { get; }
        }
        """,
    ];

    [Fact]
    public void EveryNameTheEmittedCodeDeclares_IsInTheTable()
    {
        GeneratorRun run = GeneratorHarness.Run(s_networks);
        Assert.Empty(run.CompilationDiagnostics);
        var classMembers = GeneratedNames.ClassMembers.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var locals = GeneratedNames.Locals.Fixed.ToHashSet(StringComparer.Ordinal);
        var seenMembers = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string hint, string text) in run.Sources)
        {
            SyntaxNode root = CSharpSyntaxTree.ParseText(text).GetRoot();
            ClassDeclarationSyntax type = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Parent is not ClassDeclarationSyntax);
            string className = type.Identifier.ValueText;
            var nodeMembers = new HashSet<string>(StringComparer.Ordinal);
            foreach (PropertyDeclarationSyntax property in type.Members.OfType<PropertyDeclarationSyntax>().Where(p => p.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                string node = property.Identifier.ValueText;
                bool bias = text.Contains($"{node}Bias =>", StringComparison.Ordinal);
                // Kinds with parameters name them as Dense does, batch normalisation its state too; the others (Add,
                // pooling, dropout) have steps only.
                LayerKind kind = text.Contains($"Forward{node}(int batchSize", StringComparison.Ordinal)
                    ? (text.Contains($"{node}RunningMean =>", StringComparison.Ordinal) ? BatchNormLayer.Instance
                        : text.Contains($"{node}Weights =>", StringComparison.Ordinal) ? DenseLayer.Instance : ElementwiseLayer.Add)
                    : InputLayer.Instance;
                LayerArguments arguments = kind == DenseLayer.Instance
                    ? new DenseArguments(1, NetGen.Generator.Model.Activation.Identity, 0.01f, false, bias)
                    : kind == BatchNormLayer.Instance ? new BatchNormArguments(0.1f, 1e-5f) : new OperandArguments();
                NodeMemberNames names = kind.Members(node, arguments);
                nodeMembers.Add(names.Property);
                nodeMembers.UnionWith(names.Derived().Select(m => m.Name));
            }

            foreach (MemberDeclarationSyntax member in type.Members)
            {
                IEnumerable<string> declared = member switch
                {
                    FieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.ValueText),
                    PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } p => [p.Identifier.ValueText],
                    MethodDeclarationSyntax m => [m.Identifier.ValueText],
                    ConstructorDeclarationSyntax c => [c.Identifier.ValueText],
                    ClassDeclarationSyntax nested => [nested.Identifier.ValueText],
                    // The arena view structs: their name, and their fields (their properties are named after the nodes).
                    StructDeclarationSyntax views => views.Members.OfType<FieldDeclarationSyntax>().SelectMany(f => f.Declaration.Variables)
                        .Select(v => v.Identifier.ValueText).Prepend(views.Identifier.ValueText),
                    _ => [],
                };
                foreach (string name in declared)
                {
                    Assert.True(classMembers.Contains(name) || nodeMembers.Contains(name) || name == className,
                        $"{hint} declares '{name}', which is not in GeneratedNames");
                    seenMembers.Add(name);
                }
            }

            IEnumerable<string> bodyNames = type.DescendantNodes().OfType<ParameterSyntax>().Select(p => p.Identifier.ValueText)
                .Concat(type.DescendantNodes().OfType<VariableDeclaratorSyntax>().Where(v => v.Parent?.Parent is not FieldDeclarationSyntax).Select(v => v.Identifier.ValueText));
            foreach (string name in bodyNames)
                Assert.True(locals.Contains(name) || Regex.IsMatch(name, "^[ad][0-9]+$") || GeneratedNames.Locals.IsUnrolledPosition(name), $"{hint} declares the local or parameter '{name}', which is not in GeneratedNames.Locals");
        }

        // The table holds no stale names either (each class member is written by at least one of these networks) ...
        Assert.Empty(classMembers.Except(seenMembers));
        // ... and no local hides a member the bodies use.
        Assert.Empty(locals.Intersect(classMembers));
    }

    [Fact]
    public void TheDiagnosticsPage_ListsEveryReservedName()
    {
        string docs = System.IO.File.ReadAllText(Paths.Repository("docs/diagnostics.md"));
        string section = docs.Substring(docs.IndexOf("## NG0018", StringComparison.Ordinal), docs.IndexOf("## NG0019", StringComparison.Ordinal) - docs.IndexOf("## NG0018", StringComparison.Ordinal));
        Assert.All(GeneratedNames.ClassMembers, m => Assert.Contains("`" + m.Name + "`", section));
        foreach (string derived in new[] { "`Forward<L>`", "`Backward<L>`", "`<L>Weights`", "`<L>WeightGradients`", "`<L>Bias`", "`<L>BiasGradients`" })
            Assert.Contains(derived, section);
    }
}
