using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// What is needed to give a broken declaration's node properties a placeholder implementation, so that the user
/// sees NetGen's diagnostic and not one CS9248 ("partial property must have an implementation") per node.
/// </summary>
/// <param name="HintName">The generated file's name (the same one a valid network would get).</param>
/// <param name="Namespace">Dotted value text, like <see cref="NetworkSpec.Namespace"/>.</param>
/// <param name="TypeHeaders">The declarations to reopen, outermost first, e.g. "partial class Outer", "partial class Net&lt;T&gt;".</param>
internal sealed record StubSpec(string HintName, string? Namespace, EquatableArray<string> TypeHeaders, EquatableArray<StubProperty> Properties);

/// <summary>One partial property definition without an implementation.</summary>
/// <param name="Modifiers">Accessibility and 'static', as declared.</param>
/// <param name="Type">The property's type, fully qualified.</param>
/// <param name="Name">The property's name as C# (escaped).</param>
/// <param name="Accessors">The accessor list to implement, e.g. "get; private set;" rendered as "get", "private set".</param>
internal sealed record StubProperty(string Modifiers, string Type, string Name, EquatableArray<string> Accessors);
