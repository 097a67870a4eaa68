namespace Ana.Contracts.Generator.Model;

/// <summary>A parameter that travels as one key of the query's <c>data</c> object.</summary>
/// <param name="Name">The parameter's name as an identifier (keywords escaped: <c>@event</c>).</param>
/// <param name="JsonName">Its key in the <c>data</c> object: the name through the contract's naming policy.</param>
/// <param name="Type">Its type (with nullable annotations) and the JSON metadata for it.</param>
/// <param name="Read">How the dispatcher reads it.</param>
/// <param name="DefaultValue">The declared default as a C# expression, or <see langword="null"/>.</param>
/// <param name="AllowsNull">Whether <c>null</c> is accepted: the type is nullable (a nullable reference, nullable-oblivious, or <c>Nullable&lt;T&gt;</c>).</param>
internal sealed record ParameterModel(
    string Name,
    string JsonName,
    TypeRefModel Type,
    ArgumentRead Read,
    string? DefaultValue,
    bool AllowsNull);

/// <summary>How the dispatcher reads an argument from the query's <c>data</c>.</summary>
internal enum ArgumentRead
{
    /// <summary>Not nullable and no default: it must be present and not <c>null</c>.</summary>
    Required,

    /// <summary>Nullable, or a value type with a default: when absent the default (or <c>null</c>) is used.</summary>
    Optional,

    /// <summary>A non-nullable reference with a default: when absent the default is used; <c>null</c> is a <c>bad_request</c>.</summary>
    OptionalNotNull,
}
