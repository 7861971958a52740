using System;
using System.Text;

namespace NetGen.Generator.Emit;

/// <summary>A string builder that tracks indentation; braces open and close blocks.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
            _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    public CodeWriter Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
        return this;
    }

    public CodeWriter Open()
    {
        Line("{");
        _depth++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _depth--;
        if (_depth < 0)
            throw new InvalidOperationException("More blocks closed than opened.");
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
