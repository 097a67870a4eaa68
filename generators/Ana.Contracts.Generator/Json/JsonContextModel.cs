namespace Ana.Contracts.Generator.Json;

/// <summary>
/// Everything needed to emit one JSON context: plain values only (strings, enums, records, equatable arrays), so that the
/// incremental pipeline can compare two models by value. No symbol, compilation, syntax node or location is held.
/// </summary>
/// <param name="Namespace">The namespace of the emitted context; <see langword="null"/> for the global namespace.</param>
/// <param name="ClassName">The context's class name.</param>
/// <param name="Accessibility"><c>public</c> or <c>internal</c>.</param>
/// <param name="NamingPolicy">The naming policy of the context's default options and of its enum converters.</param>
/// <param name="Types">Every type the context covers, ordered by <see cref="JsonTypeModel.TypeName"/>.</param>
/// <param name="Diagnostics">ANA007 for every type or member that could not be covered.</param>
internal sealed record JsonContextModel(
    string? Namespace,
    string ClassName,
    string Accessibility,
    JsonNamingPolicyKind NamingPolicy,
    EquatableArray<JsonTypeModel> Types,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>How the metadata of a type is built.</summary>
internal enum JsonTypeKind
{
    /// <summary>A type with a built-in converter of <c>JsonMetadataServices</c> (<see cref="JsonTypeModel.Converter"/>).</summary>
    BuiltIn,

    /// <summary>An enum, written as a string.</summary>
    Enum,

    /// <summary><c>Nullable&lt;T&gt;</c> of <see cref="JsonTypeModel.ElementTypeName"/>.</summary>
    Nullable,

    /// <summary>A class, record or struct described property by property (<see cref="JsonTypeModel.Object"/>).</summary>
    Object,

    /// <summary><c>T[]</c>.</summary>
    Array,

    /// <summary><c>List&lt;T&gt;</c>.</summary>
    List,

    /// <summary><c>IList&lt;T&gt;</c>.</summary>
    IList,

    /// <summary><c>ICollection&lt;T&gt;</c>.</summary>
    ICollection,

    /// <summary><c>IEnumerable&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c> or <c>IReadOnlyCollection&lt;T&gt;</c>.</summary>
    IEnumerable,

    /// <summary><c>Dictionary&lt;string, T&gt;</c>.</summary>
    Dictionary,

    /// <summary><c>IDictionary&lt;string, T&gt;</c>.</summary>
    IDictionary,

    /// <summary><c>IReadOnlyDictionary&lt;string, T&gt;</c>.</summary>
    IReadOnlyDictionary,

    /// <summary>
    /// A root type that cannot be serialized (reported as ANA007): its property still exists, so that code naming it
    /// compiles, but creating its metadata throws <c>NotSupportedException</c> with <see cref="JsonTypeModel.UnsupportedReason"/>.
    /// </summary>
    Unsupported,
}

/// <summary>One type covered by the context.</summary>
/// <param name="TypeName">Fully qualified, without nullable reference annotations, as <c>SymbolDisplayFormat.FullyQualifiedFormat</c> prints it.</param>
/// <param name="PropertyName">The name of the context's <c>JsonTypeInfo&lt;T&gt;</c> property for the type.</param>
/// <param name="PropertyAccessibility"><c>public</c>, or <c>internal</c> when the type is not public.</param>
/// <param name="Kind">How the metadata is built.</param>
/// <param name="Converter">For <see cref="JsonTypeKind.BuiltIn"/>: the <c>JsonMetadataServices</c> converter property, e.g. <c>Int32Converter</c>.</param>
/// <param name="ElementTypeName">The element, value or underlying type, for collections, dictionaries and nullables.</param>
/// <param name="KeyTypeName">The key type of dictionaries.</param>
/// <param name="EnumNamingPolicy">For enums: whether the context's naming policy applies to member names (no <c>[JsonConverter(typeof(JsonStringEnumConverter))]</c> on the enum).</param>
/// <param name="Object">For <see cref="JsonTypeKind.Object"/>: the properties and the creator.</param>
/// <param name="UnsupportedReason">For <see cref="JsonTypeKind.Unsupported"/>: why.</param>
internal sealed record JsonTypeModel(
    string TypeName,
    string PropertyName,
    string PropertyAccessibility,
    JsonTypeKind Kind,
    string? Converter,
    string? ElementTypeName,
    string? KeyTypeName,
    bool EnumNamingPolicy,
    JsonObjectModel? Object,
    string? UnsupportedReason);

/// <summary>How an object is instantiated on deserialization.</summary>
internal enum JsonCreatorKind
{
    /// <summary><c>new T()</c> and property setters.</summary>
    Parameterless,

    /// <summary><c>new T(args...) { InitOrRequired = args[n], ... }</c>.</summary>
    Parameterized,
}

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

/// <summary>
/// A constructor parameter or a member initializer of the parameterized creator. <paramref name="Position"/> is its index in the
/// creator's argument array, or -1 for a constructor argument whose type cannot be serialized (passed as <c>default!</c>).
/// </summary>
/// <param name="Name">The parameter's name, or the member's name for a member initializer.</param>
/// <param name="TypeName">Fully qualified with nullable annotations, for casts.</param>
/// <param name="TypeOfName">Fully qualified without nullable annotations, for <c>typeof</c>.</param>
/// <param name="Position">Index in the argument array, or -1.</param>
/// <param name="HasDefaultValue">Whether the constructor parameter is optional.</param>
/// <param name="DefaultValueLiteral">Its default value as a C# expression.</param>
internal sealed record JsonParameterModel(
    string Name,
    string TypeName,
    string TypeOfName,
    int Position,
    bool HasDefaultValue,
    string? DefaultValueLiteral);

/// <summary>How a property's value is set on deserialization.</summary>
internal enum JsonSetterKind
{
    /// <summary>No usable setter.</summary>
    None,

    /// <summary>An ordinary setter.</summary>
    Setter,

    /// <summary>An <c>init</c> accessor: the value arrives through the parameterized creator.</summary>
    InitOnly,
}

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
/// <param name="IgnoreCondition">A <c>JsonIgnoreCondition</c> member name; an <c>Always</c> property has neither getter nor setter.</param>
/// <param name="IsRequired"><c>required</c> or <c>[JsonRequired]</c>.</param>
/// <param name="HasJsonInclude">Carries <c>[JsonInclude]</c>.</param>
internal sealed record JsonPropertyModel(
    string Name,
    string TypeName,
    string DeclaringTypeName,
    bool IsVirtual,
    bool HasGetter,
    JsonSetterKind Setter,
    string? JsonName,
    int? Order,
    string? IgnoreCondition,
    bool IsRequired,
    bool HasJsonInclude);
