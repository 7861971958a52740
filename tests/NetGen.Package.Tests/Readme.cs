using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Package.Tests;

/// <summary>README.md read as a user reads it: its fenced code blocks and the commands it shows.</summary>
public static partial class Readme
{
    public sealed record CodeBlock(string Language, string Text, int Line);

    public static string Text(string root) => File.ReadAllText(Path.Combine(root, "README.md"));

    /// <summary>Every fenced block (```lang … ```), with the line its fence opens on.</summary>
    public static IReadOnlyList<CodeBlock> CodeBlocks(string markdown)
    {
        var blocks = new List<CodeBlock>();
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
                continue;
            string language = lines[i][3..].Trim();
            int open = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
                body.Add(lines[i]);
            if (i == lines.Length)
                throw new FormatException($"README.md: the code block opened on line {open + 1} is never closed.");
            blocks.Add(new CodeBlock(language, string.Join('\n', body), open + 1));
        }
        return blocks;
    }

    /// <summary>
    /// The commands a user would type: each line of a <c>sh</c> block (comments aside) and each inline code span,
    /// outside code blocks, that starts with <c>dotnet </c> or names a script (<c>.ci/…</c>, <c>./…</c>).
    /// </summary>
    public static IReadOnlyList<string> Commands(string markdown)
    {
        var commands = new List<string>();
        foreach (CodeBlock block in CodeBlocks(markdown))
        {
            if (block.Language is "sh" or "bash" or "shell" or "console")
                commands.AddRange(block.Text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
            else if (block.Language.Length == 0)
                throw new FormatException($"README.md: the code block on line {block.Line} names no language; say sh, csharp, xml….");
        }
        foreach (Match span in InlineCode().Matches(WithoutCodeBlocks(markdown)))
        {
            string code = string.Join(' ', span.Groups[1].Value.Split('\n', StringSplitOptions.TrimEntries)).Trim(); // a span may wrap
            if (code.StartsWith("dotnet ", StringComparison.Ordinal) || code.StartsWith(".ci/", StringComparison.Ordinal) || code.StartsWith("./", StringComparison.Ordinal))
                commands.Add(code);
        }
        return commands.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The targets of the Markdown links [text](target) outside code blocks.</summary>
    public static IEnumerable<string> LinkTargets(string markdown) =>
        Link().Matches(WithoutCodeBlocks(markdown)).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    private static string WithoutCodeBlocks(string markdown) => CodeBlockPattern().Replace(markdown.Replace("\r\n", "\n", StringComparison.Ordinal), "");

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex("^```.*?^```[^\n]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlockPattern();
}
