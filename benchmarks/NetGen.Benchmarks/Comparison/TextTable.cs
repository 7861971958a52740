using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Benchmarks.Comparison;

/// <summary>A plain-text table with a header row; the first column is left-aligned, the others right-aligned.</summary>
public sealed class TextTable(params string[] header)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var widths = new int[header.Length];
        foreach (string[] row in _rows.Prepend(header))
            for (int c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        var text = new StringBuilder();
        foreach (string[] row in _rows.Prepend(header))
        {
            for (int c = 0; c < row.Length; c++)
                text.Append(c == 0 ? row[c].PadRight(widths[c]) : "  " + row[c].PadLeft(widths[c]));
            text.AppendLine();
        }
        return text.ToString();
    }
}

/// <summary>Numbers as people read them.</summary>
public static class Format
{
    public static string Time(double seconds) => seconds switch
    {
        < 1e-6 => $"{seconds * 1e9:0.#} ns",
        < 1e-3 => $"{seconds * 1e6:0.##} µs",
        < 1 => $"{seconds * 1e3:0.##} ms",
        _ => $"{seconds:0.##} s",
    };

    public static string Bytes(double bytes) => bytes switch
    {
        < 1024 => $"{bytes:0} B",
        < 1024 * 1024 => $"{bytes / 1024:0.#} KB",
        _ => $"{bytes / (1024 * 1024):0.#} MB",
    };

    public static string Flops(double flops) => flops switch
    {
        < 1e3 => $"{flops:0} FLOP",
        < 1e6 => $"{flops / 1e3:0.#} kFLOP",
        _ => $"{flops / 1e6:0.##} MFLOP",
    };

    public static string Ratio(double ratio) => double.IsFinite(ratio) ? $"{ratio:0.##}×" : "–";
}
