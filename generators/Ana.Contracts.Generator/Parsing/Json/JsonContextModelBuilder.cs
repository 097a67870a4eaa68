using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>
/// Builds the <see cref="JsonContextModel"/> of a contract: walks its root types (parameters and results of its methods)
/// and everything reachable from them, then names the context's properties. The rules follow System.Text.Json's own
/// source generator, so that the emitted metadata behaves like its output.
/// </summary>
internal static class JsonContextModelBuilder
{
    /// <summary>Builds the model of a context covering <paramref name="roots"/> and every type reachable from them.</summary>
    /// <param name="contextNamespace">The namespace of the emitted context; <see langword="null"/> for the global namespace.</param>
    /// <param name="contextClassName">The class name of the emitted context.</param>
    /// <param name="accessibility"><c>public</c> or <c>internal</c> (anything else is taken as <c>internal</c>).</param>
    /// <param name="namingPolicy">How JSON property names and enum member names are derived.</param>
    /// <param name="roots">Each root type, where it is used (diagnostics point there) and by what, e.g. <c>IScheduler.SubmitAsync</c>.</param>
    /// <param name="known">The known symbols of the compilation the types come from.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <param name="names">The type names of the rest of the contract's parse, to share; a cache of its own if none.</param>
    public static JsonContextModel Build(
        string? contextNamespace,
        string contextClassName,
        string? accessibility,
        JsonNamingPolicyKind namingPolicy,
        IEnumerable<(ITypeSymbol Type, LocationInfo? UsedAt, string UsedBy)> roots,
        KnownSymbols known,
        CancellationToken cancellationToken,
        TypeNames? names = null)
    {
        JsonTypeWalker walker = new(known, names ?? new TypeNames(), namingPolicy, cancellationToken);
        foreach ((ITypeSymbol type, LocationInfo? usedAt, string usedBy) in roots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            walker.VisitRoot(type, usedAt, usedBy);
        }

        EquatableArray<JsonTypeModel> types = JsonTypeNaming.Assign(walker.Entries, contextClassName);
        return new JsonContextModel(
            string.IsNullOrEmpty(contextNamespace) ? null : contextNamespace,
            contextClassName,
            accessibility == "public" ? "public" : "internal",
            namingPolicy,
            types,
            walker.Diagnostics.ToEquatableArray())
        {
            HasPolymorphicTypes = walker.Entries.Any(e => e.Polymorphism is not null),
        };
    }
}
