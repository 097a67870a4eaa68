namespace Ana.Contracts.Generator.Model;

/// <summary>The serializable shape of a class, record or struct.</summary>
/// <param name="IsValueType">Whether the type is a struct (its setters go through <c>Unsafe.Unbox</c>).</param>
/// <param name="Creator">How it is instantiated.</param>
/// <param name="ConstructorArguments">The constructor's arguments in order, for <see cref="JsonCreatorKind.Parameterized"/>.</param>
/// <param name="MemberInitializers">The <c>required</c> and <c>init</c> members set in the object initializer, as parameters after the constructor's.</param>
/// <param name="Properties">The properties, most derived type first, each in declaration order.</param>
internal sealed record JsonObjectModel(
    bool IsValueType,
    JsonCreatorKind Creator,
    EquatableArray<JsonParameterModel> ConstructorArguments,
    EquatableArray<JsonParameterModel> MemberInitializers,
    EquatableArray<JsonPropertyModel> Properties);

/// <summary>How an object is instantiated on deserialization.</summary>
internal enum JsonCreatorKind
{
    /// <summary><c>new T()</c> and property setters.</summary>
    Parameterless,

    /// <summary><c>new T(args...) { InitOrRequired = args[n], ... }</c>.</summary>
    Parameterized,

    /// <summary>Never instantiated: an abstract polymorphic base, read as one of its derived types.</summary>
    None,
}
