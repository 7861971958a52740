using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>The parser's output: the declared network (null when the class cannot be generated) and what was wrong with it.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
