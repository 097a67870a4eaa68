namespace Ana.Contracts.Generator.Model;

/// <summary>One type covered by the context.</summary>
/// <param name="TypeName">Fully qualified, without nullable reference annotations, as <c>SymbolDisplayFormat.FullyQualifiedFormat</c> prints it.</param>
/// <param name="PropertyName">The name of the context's <c>JsonTypeInfo&lt;T&gt;</c> property for the type.</param>
/// <param name="PropertyAccessibility"><c>public</c>, or <c>internal</c> when the type is not public.</param>
/// <param name="Kind">How the metadata is built.</param>
/// <param name="Converter">For <see cref="JsonTypeKind.BuiltIn"/>: the converter expression, e.g. <c>global::System.Text.Json.Serialization.Metadata.JsonMetadataServices.Int32Converter</c> or Ana's <c>global::Ana.Contracts.Infrastructure.ContractJsonConverters.TimeSpanConverter</c>.</param>
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
    string? UnsupportedReason)
{
    /// <summary>For enums: each member's name as the serializer writes it, in declaration order.</summary>
    public EquatableArray<string> EnumMembers { get; init; }

    /// <summary>For enums: marked <c>[Flags]</c>, so that combinations are written as <c>"A, B"</c>.</summary>
    public bool IsFlagsEnum { get; init; }

    /// <summary>For a polymorphic base (<c>[JsonDerivedType]</c>): its discriminator and derived types.</summary>
    public JsonPolymorphismModel? Polymorphism { get; init; }
}

/// <summary>The <c>[JsonPolymorphic]</c> and <c>[JsonDerivedType]</c>s of a base type.</summary>
/// <param name="DiscriminatorName">The discriminator property (<c>$type</c> unless <c>[JsonPolymorphic]</c> names another).</param>
/// <param name="DerivedTypes">The derived types, as declared.</param>
internal sealed record JsonPolymorphismModel(string DiscriminatorName, EquatableArray<JsonDerivedTypeModel> DerivedTypes);

/// <summary>One <c>[JsonDerivedType]</c>.</summary>
/// <param name="TypeName">The derived type, fully qualified without annotations.</param>
/// <param name="Discriminator">The discriminator as written, or <see langword="null"/> when it has none.</param>
/// <param name="DiscriminatorIsNumber">Whether the discriminator is an <c>int</c> (written as a JSON number).</param>
internal sealed record JsonDerivedTypeModel(string TypeName, string? Discriminator, bool DiscriminatorIsNumber);

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
