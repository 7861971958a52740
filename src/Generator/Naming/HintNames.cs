using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Generator.Naming;

/// <summary>
/// The name of a generated file, from the full name of its type. Roslyn accepts letters, digits and a few
/// punctuation characters in hint names (not '@', '~', '#', …) and compares them ignoring case; a name it rejects
/// or sees twice makes the whole generator fail, costing every network in the project its code. So the name is
/// built injectively: identifiers as value text (a namespace <c>Models.@event</c> gives "Models.event"), every other
/// character as '-' and its UTF-16 code in hex ('-' never occurs in an identifier), '.' between namespaces, '+'
/// between nested types, '`' and the arity after a generic type; and when another type or namespace on the way
/// differs only in case, a hash of the exact name is appended.
/// </summary>
internal static class HintNames
{
    /// <param name="namespaces">The namespace's parts, outermost first, as value text.</param>
    /// <param name="types">The type and the types containing it, outermost first: name (value text) and arity.</param>
    /// <param name="hasCaseTwin">Whether a namespace or type on the way has a sibling whose name differs only in case.</param>
    public static string For(IReadOnlyList<string> namespaces, IReadOnlyList<(string Name, int Arity)> types, bool hasCaseTwin)
    {
        var name = new StringBuilder();
        foreach (string part in namespaces)
            Append(name, part).Append('.');
        for (int i = 0; i < types.Count; i++)
        {
            if (i > 0)
                name.Append('+');
            Append(name, types[i].Name);
            if (types[i].Arity > 0)
                name.Append('`').Append(types[i].Arity.ToString(CultureInfo.InvariantCulture));
        }
        if (hasCaseTwin)
            name.Append('.').Append(Fnv1a64(name.ToString()).ToString("x16", CultureInfo.InvariantCulture));
        return name.Append(".g.cs").ToString();
    }

    private static StringBuilder Append(StringBuilder name, string identifier)
    {
        foreach (char c in identifier)
        {
            if (c < 128 ? c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' : char.IsLetterOrDigit(c))
                name.Append(c);
            else
                name.Append('-').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return name;
    }

    /// <summary>FNV-1a over UTF-16 code units: stable across runs and platforms, unlike string.GetHashCode.</summary>
    private static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
