using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>
/// Where the <c>JsonTypeInfo&lt;T&gt;</c> of a type comes from: a property of the generated context's <c>Default</c>
/// (<paramref name="owner"/> is the context class), or the <c>Get&lt;T&gt;()</c> of the helper over the user's context
/// (<paramref name="owner"/> is the helper class).
/// </summary>
internal sealed class TypeInfoResolver(JsonContextModel? generated, string owner, TypeNames names)
{
    /// <summary>The display strings of the contract's types.</summary>
    public TypeNames Names => names;

    /// <summary>The type as generated code writes it, and the expression of its <c>JsonTypeInfo&lt;T&gt;</c>.</summary>
    public TypeRefModel TypeRef(ITypeSymbol type)
    {
        string name = names.Of(type, TypeFormats.FullyQualifiedAnnotated);
        string key = names.Of(type, TypeFormats.FullyQualified);
        return new TypeRefModel(name, Expression(key), name == key, key);
    }

    private string Expression(string fullyQualifiedType)
        => generated is not null
            ? owner + ".Default." + generated.PropertyNameFor(fullyQualifiedType)
            : owner + ".Get<" + fullyQualifiedType + ">()";
}
