using System.Text;

namespace NetGen.Generator.Emit;

/// <summary>
/// The body of a C# string literal holding arbitrary UTF-16 code units (an imported network's weight bits). Printable
/// characters are written as they are, so that the generated file stays a few bytes a float; everything that a literal
/// cannot hold as written or that an editor could mangle is a \u escape: controls, quotes and backslashes, surrogates
/// (lone ones are legal only escaped), line and paragraph separators, non-characters and the byte-order mark.
/// </summary>
internal static class WeightLiteral
{
    public static string Escape(string units)
    {
        var text = new StringBuilder(units.Length + units.Length / 4);
        foreach (char c in units)
        {
            if (AsWritten(c))
                text.Append(c);
            else
                text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static bool AsWritten(char c) =>
        (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
        || (c >= 0xA0 && !char.IsSurrogate(c) && c is not ('\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF')
            && char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.Control));
}
