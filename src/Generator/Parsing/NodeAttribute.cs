using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// A node attribute as a layer kind reads it: constructor and named arguments by position and name, with where each
/// is written. Used while parsing only: nothing read from it keeps a symbol or a syntax node.
/// </summary>
internal sealed class NodeAttribute
{
    private readonly AttributeData _attribute;
    private readonly AttributeArguments _arguments;

    public NodeAttribute(AttributeData attribute, LocationInfo? propertyLocation)
    {
        _attribute = attribute;
        _arguments = AttributeArguments.Of(attribute);
        Location = _arguments.Attribute ?? propertyLocation;
    }

    /// <summary>The attribute (or the property, when the attribute has no syntax).</summary>
    public LocationInfo? Location { get; }

    /// <summary>The constructor argument at <paramref name="position"/> (parameter <paramref name="name"/>) as an int, or <paramref name="fallback"/>.</summary>
    public int Int(int position, string name, int fallback, out LocationInfo? location)
    {
        location = _arguments.Positional(position, name);
        ImmutableArray<TypedConstant> constructor = _attribute.ConstructorArguments;
        return constructor.Length > position && constructor[position].Value is int value ? value : fallback;
    }

    /// <summary>The constructor argument at <paramref name="position"/> (parameter <paramref name="name"/>) as a float, or <paramref name="fallback"/>.</summary>
    public float Float(int position, string name, float fallback, out LocationInfo? location)
    {
        location = _arguments.Positional(position, name);
        ImmutableArray<TypedConstant> constructor = _attribute.ConstructorArguments;
        return constructor.Length > position && constructor[position].Value is float value ? value : fallback;
    }

    /// <summary>The named argument <paramref name="name"/>, or <paramref name="fallback"/> when it is not written.</summary>
    public T Named<T>(string name, T fallback)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in _attribute.NamedArguments)
            if (argument.Key == name && argument.Value.Value is T value)
                return value;
        return fallback;
    }

    public bool HasNamed(string name) => _arguments.HasNamed(name);

    /// <summary>Where the named argument is written, or the attribute.</summary>
    public LocationInfo? NamedLocation(string name) => _arguments.Named(name) ?? Location;

    /// <summary>
    /// The values of a params int[] constructor argument starting at <paramref name="position"/> ([Input(1, 28, 28)]),
    /// each with where it is written (the attribute, when one array expression holds them all).
    /// </summary>
    public (ImmutableArray<int> Values, ImmutableArray<LocationInfo> Locations) Ints(int position)
    {
        ImmutableArray<TypedConstant> constructor = _attribute.ConstructorArguments;
        if (constructor.Length <= position || constructor[position].Kind != TypedConstantKind.Array || constructor[position].IsNull)
            return (ImmutableArray<int>.Empty, ImmutableArray<LocationInfo>.Empty);
        ImmutableArray<TypedConstant> items = constructor[position].Values;
        List<LocationInfo?> written = _arguments.PositionalFrom(position);
        var values = ImmutableArray.CreateBuilder<int>(items.Length);
        var locations = ImmutableArray.CreateBuilder<LocationInfo>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            values.Add(items[i].Value is int value ? value : 0);
            LocationInfo? location = written.Count == items.Length ? written[i] : _arguments.Attribute;
            locations.Add(location ?? Location!);
        }
        return (values.MoveToImmutable(), locations.MoveToImmutable());
    }

    /// <summary>The node names of a params string[] constructor argument (Add, Max), each with where it is written.</summary>
    public (ImmutableArray<string> Names, ImmutableArray<LocationInfo> Locations) Operands()
    {
        ImmutableArray<TypedConstant> constructor = _attribute.ConstructorArguments;
        if (constructor.Length == 0 || constructor[0].Kind != TypedConstantKind.Array || constructor[0].IsNull)
            return (ImmutableArray<string>.Empty, ImmutableArray<LocationInfo>.Empty);
        ImmutableArray<TypedConstant> values = constructor[0].Values;
        List<LocationInfo?> written = _arguments.PositionalFrom(0);
        var names = ImmutableArray.CreateBuilder<string>(values.Length);
        var locations = ImmutableArray.CreateBuilder<LocationInfo>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            names.Add(values[i].Value as string ?? "");
            // An inline params list has one argument per operand; an explicit array expression has one for all.
            LocationInfo? location = written.Count == values.Length ? written[i] : _arguments.Attribute;
            locations.Add(location ?? Location!);
        }
        return (names.MoveToImmutable(), locations.MoveToImmutable());
    }

    /// <summary>A named string argument naming a source node (From), as the one source it names, or none when it is not written.</summary>
    public (ImmutableArray<string> Names, ImmutableArray<LocationInfo> Locations) NamedSource(string name)
    {
        if (!HasNamed(name))
            return (ImmutableArray<string>.Empty, ImmutableArray<LocationInfo>.Empty);
        return (ImmutableArray.Create(Named<string?>(name, null) ?? ""), ImmutableArray.Create(NamedLocation(name)!));
    }
}
