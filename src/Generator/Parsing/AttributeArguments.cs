using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>The syntax of one attribute's arguments, to point diagnostics at the argument that is wrong.</summary>
internal readonly struct AttributeArguments
{
    private readonly AttributeSyntax? _syntax;

    private AttributeArguments(AttributeSyntax? syntax) => _syntax = syntax;

    public static AttributeArguments Of(AttributeData attribute) =>
        new(attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax);

    public LocationInfo? Attribute => LocationInfo.From(_syntax);

    /// <summary>The positional (or name-colon) argument for the constructor parameter at <paramref name="index"/> called <paramref name="name"/>.</summary>
    public LocationInfo? Positional(int index, string name)
    {
        if (_syntax?.ArgumentList is null)
            return Attribute;
        int position = 0;
        foreach (AttributeArgumentSyntax argument in _syntax.ArgumentList.Arguments)
        {
            if (argument.NameEquals is not null)
                continue;
            if (argument.NameColon is not null ? argument.NameColon.Name.Identifier.ValueText == name : position == index)
                return LocationInfo.From(argument);
            position++;
        }
        return Attribute;
    }

    /// <summary>The locations of all positional arguments from <paramref name="start"/> on (a params array written inline).</summary>
    public List<LocationInfo?> PositionalFrom(int start)
    {
        var locations = new List<LocationInfo?>();
        if (_syntax?.ArgumentList is null)
            return locations;
        int position = 0;
        foreach (AttributeArgumentSyntax argument in _syntax.ArgumentList.Arguments)
        {
            if (argument.NameEquals is not null)
                continue;
            if (position++ >= start)
                locations.Add(LocationInfo.From(argument));
        }
        return locations;
    }

    /// <summary>The named argument <c>Name = value</c>, or the attribute when it is not written.</summary>
    public LocationInfo? Named(string name)
    {
        if (_syntax?.ArgumentList is not null)
            foreach (AttributeArgumentSyntax argument in _syntax.ArgumentList.Arguments)
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                    return LocationInfo.From(argument);
        return Attribute;
    }

    public bool HasNamed(string name)
    {
        if (_syntax?.ArgumentList is not null)
            foreach (AttributeArgumentSyntax argument in _syntax.ArgumentList.Arguments)
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                    return true;
        return false;
    }
}
