namespace Ana.Contracts.Generator.Model;

/// <summary>The serializable shape of a class, record or struct.</summary>
/// <param name="IsValueType">Whether the type is a struct (its setters go through <c>Unsafe.Unbox</c>).</param>
/// <param name="Creator">How it is instantiated.</param>
/// <param name="ConstructorArguments">The constructor's arguments in order, for <see cref="JsonCreatorKind.Parameterized"/>.</param>
/// <param name="MemberInitializers">The <c>required</c> and <c>init</c> members set in the object initializer, as parameters after the constructor's.</param>
/// <param name="Properties">The properties, most derived type first, each in declaration order.</param>
/// <param name="UsesAccessors">
/// Whether <c>init</c> members are set after construction through generated <c>[UnsafeAccessor]</c> setters (so that absent
/// ones keep their initializer) rather than as <paramref name="MemberInitializers"/>; false for generic types, whose
/// accessors the .NET 8 and .NET 10 runtimes bind differently.
/// </param>
/// <param name="ConstructsThroughAccessor">
/// Whether the constructor is called through a generated <c>[UnsafeAccessor(UnsafeAccessorKind.Constructor)]</c>: the type has
/// <c>required</c> members that the constructor does not set (C# refuses <c>new T()</c> without them; the JSON required check
/// refuses an absent one instead).
/// </param>
/// <param name="ImplicitStructConstructor">A struct constructed through its implicit parameterless constructor (<c>default</c>).</param>
internal sealed record JsonObjectModel(
    bool IsValueType,
    JsonCreatorKind Creator,
    EquatableArray<JsonParameterModel> ConstructorArguments,
    EquatableArray<JsonParameterModel> MemberInitializers,
    EquatableArray<JsonPropertyModel> Properties,
    bool UsesAccessors = false,
    bool ConstructsThroughAccessor = false,
    bool ImplicitStructConstructor = false);

/// <summary>How an object is instantiated on deserialization.</summary>
internal enum JsonCreatorKind
{
    /// <summary><c>new T()</c> and property setters.</summary>
    Parameterless,

    /// <summary><c>new T(args...)</c>, or <c>new T(args...) { InitOrRequired = args[n], ... }</c> without accessors.</summary>
    Parameterized,

    /// <summary>Never instantiated: an abstract polymorphic base, read as one of its derived types.</summary>
    None,
}
