namespace Ana.Contracts.Generator.Model;

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
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>Whether a covered type is a polymorphic base (<c>[JsonDerivedType]</c>): the options then read its discriminator anywhere in the object on .NET 9+.</summary>
    public bool HasPolymorphicTypes { get; init; }

    /// <summary>The name of the context's <c>JsonTypeInfo&lt;T&gt;</c> property for a type.</summary>
    /// <param name="fullyQualifiedTypeName">The type as <c>SymbolDisplayFormat.FullyQualifiedFormat</c> prints it, e.g. <c>global::System.Collections.Generic.List&lt;global::My.Job&gt;</c>.</param>
    /// <exception cref="ArgumentException">The context does not cover the type (it was never reachable from a root).</exception>
    public string PropertyNameFor(string fullyQualifiedTypeName)
    {
        foreach (JsonTypeModel type in Types)
        {
            if (string.Equals(type.TypeName, fullyQualifiedTypeName, StringComparison.Ordinal))
            {
                return type.PropertyName;
            }
        }

        throw new ArgumentException(
            $"The JSON context '{ClassName}' does not cover the type '{fullyQualifiedTypeName}'; pass it (or a type that reaches it) as a root.",
            nameof(fullyQualifiedTypeName));
    }
}
