using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// Names a user may give that are hard on a generator: keywords (written escaped), contextual keywords, unicode
/// (sometimes written as \u escapes), and the names of locals in generated code. The fuzzer's models hold value text;
/// <see cref="Spell"/> writes it as source, with the compiler's own keyword tables (not the generator's escaping).
/// </summary>
public static class FuzzNames
{
    public static readonly string[] Nodes =
    [
        "class", "int", "void", "event", "checked", "object", "string", "return", "namespace", "base", "this", "params",
        "var", "nameof", "value", "partial", "record", "async", "await", "global", "field", "file", "required", "scoped",
        "dynamic", "get", "set", "init", "when", "where", "yield", "select", "from", "let", "and", "or", "not", "with",
        "Δ", "Вход", "Сеть", "名前", "Ωμέγα", "é", "naïve", "x\u0301", "_", "__", "_1", "Ä_ö",
        "y", "dy", "dz", "x", "w", "wt", "b", "z", "k", "d0", "d1", "a0", "running", "loss", "penalty", "batchSize", "inputs",
        "outputs", "targets", "labels", "name", "input", "output", "inputGradients", "maxBatchSize", "wantInputGradients",
        "System", "NetGen", "Node", "Math", "Span", "TensorPrimitives",
    ];

    public static readonly string[] Classes = ["checked", "class", "var", "nameof", "Сеть", "Δ", "y", "Net_1", "名前", "System", "global", "record"];

    public static readonly string[] NamespaceParts = ["event", "class", "namespace", "Δ", "Модели", "var", "global", "nameof", "é", "_"];

    /// <summary>Source text for an identifier: '@' before a keyword, sometimes a \u escape for a first non-ASCII character.</summary>
    public static string Spell(string name)
    {
        if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None)
            return "@" + name;
        if (name.Length > 0 && name[0] > 127 && name.Length % 2 == 0)
            return "\\u" + ((int)name[0]).ToString("X4", CultureInfo.InvariantCulture) + name.Substring(1);
        return name;
    }
}
