namespace Ana.Contracts.Generator.Model;

/// <summary>
/// One serialized property of an object: a public one, or a <c>[JsonInclude]</c> one accessible from the generated code.
/// </summary>
/// <param name="Name">The C# name.</param>
/// <param name="TypeName">Fully qualified with nullable annotations.</param>
/// <param name="DeclaringTypeName">The type that declares it, fully qualified without annotations.</param>
/// <param name="IsVirtual">Virtual, abstract or override.</param>
/// <param name="HasGetter">Whether it can be read.</param>
/// <param name="Setter">Whether and how it can be written.</param>
/// <param name="JsonName">From <c>[JsonPropertyName]</c>; otherwise the naming policy applies at run time.</param>
/// <param name="Order">From <c>[JsonPropertyOrder]</c>.</param>
/// <param name="IgnoreCondition">From <c>[JsonIgnore]</c>; an <see cref="JsonIgnoreConditionKind.Always"/> property has neither getter nor setter.</param>
/// <param name="IsRequired"><c>required</c> or <c>[JsonRequired]</c>.</param>
/// <param name="HasJsonInclude">Carries <c>[JsonInclude]</c>.</param>
/// <param name="IsNonNullable">
/// A deserialized member of a non-nullable reference type (nullable annotations enabled): its setter refuses <c>null</c>, and
/// so does a check after deserialization (an absent member without an initializer).
/// </param>
/// <param name="JsonTypeName">The type without nullable reference annotations: the key of its <see cref="JsonTypeModel"/>.</param>
/// <param name="RefusedWhenAbsent">
/// Whether reading an object without the member fails: it is required, or it is a non-nullable reference that nothing
/// (an initializer, a constructor parameter's default) fills when absent.
/// </param>
internal sealed record JsonPropertyModel(
    string Name,
    string TypeName,
    string DeclaringTypeName,
    bool IsVirtual,
    bool HasGetter,
    JsonSetterKind Setter,
    string? JsonName,
    int? Order,
    JsonIgnoreConditionKind? IgnoreCondition,
    bool IsRequired,
    bool HasJsonInclude,
    bool IsNonNullable = false,
    string JsonTypeName = "",
    bool RefusedWhenAbsent = false);

/// <summary>How a property's value is set on deserialization.</summary>
internal enum JsonSetterKind
{
    /// <summary>No usable setter.</summary>
    None,

    /// <summary>An ordinary setter.</summary>
    Setter,

    /// <summary>An <c>init</c> accessor: set through a generated <c>[UnsafeAccessor]</c>, or through the parameterized creator.</summary>
    InitOnly,
}

/// <summary>The condition of a property's <c>[JsonIgnore]</c>: the members of <c>System.Text.Json.Serialization.JsonIgnoreCondition</c>, with their values.</summary>
internal enum JsonIgnoreConditionKind
{
    /// <summary>Always serialized and deserialized.</summary>
    Never = 0,

    /// <summary>Never serialized or deserialized (<c>[JsonIgnore]</c> without a condition).</summary>
    Always = 1,

    /// <summary>Not written when it holds its type's default.</summary>
    WhenWritingDefault = 2,

    /// <summary>Not written when it is <c>null</c>.</summary>
    WhenWritingNull = 3,
}
