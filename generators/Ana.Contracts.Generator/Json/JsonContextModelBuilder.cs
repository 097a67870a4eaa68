// STUB: replaced by the json branch's implementation at merge.
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Json;

/// <summary>STUB of the JSON context model builder: records the root types, checks nothing, reports nothing.</summary>
internal static class JsonContextModelBuilder
{
    public static JsonContextModel Build(
        string? contextNamespace,
        string contextClassName,
        string? accessibility,
        JsonNamingPolicyKind namingPolicy,
        IEnumerable<(ITypeSymbol Type, LocationInfo? UsedAt, string UsedBy)> roots,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        _ = compilation;
        cancellationToken.ThrowIfCancellationRequested();
        string[] types = roots
            .Select(root => root.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            .Distinct(System.StringComparer.Ordinal)
            .ToArray();
        return new JsonContextModel(
            contextNamespace,
            contextClassName,
            accessibility ?? "internal",
            namingPolicy,
            types.ToEquatableArray(),
            EquatableArray<DiagnosticInfo>.Empty);
    }
}
