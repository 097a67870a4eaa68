using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>
/// The display strings of the types the contracts' parses write, each made once per format and compilation (held by
/// <see cref="KnownSymbols"/>). A contract names the same few types again and again (its records in every method, their
/// members' types in the JSON walk), contracts share most of theirs (<c>string</c>, <c>int</c>, their common records), and
/// each <c>ToDisplayString</c> costs about half a microsecond and a hundred bytes (docs/performance.md, section 6). Keys
/// compare nullable annotations, so that an annotated format never reuses the string of a differently annotated type.
/// Safe to share between threads: two may make the same string at once, and either is kept.
/// </summary>
internal sealed class TypeNames
{
    private readonly ConcurrentDictionary<(ITypeSymbol Type, SymbolDisplayFormat Format), string> _names = new(KeyComparer.Instance);

    /// <summary><paramref name="type"/> displayed in <paramref name="format"/>.</summary>
    public string Of(ITypeSymbol type, SymbolDisplayFormat format)
    {
        if (!_names.TryGetValue((type, format), out string? name))
        {
            name = _names.GetOrAdd((type, format), type.ToDisplayString(format));
        }

        return name;
    }

    private sealed class KeyComparer : IEqualityComparer<(ITypeSymbol Type, SymbolDisplayFormat Format)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((ITypeSymbol Type, SymbolDisplayFormat Format) x, (ITypeSymbol Type, SymbolDisplayFormat Format) y)
            => ReferenceEquals(x.Format, y.Format) && SymbolEqualityComparer.IncludeNullability.Equals(x.Type, y.Type);

        public int GetHashCode((ITypeSymbol Type, SymbolDisplayFormat Format) key)
            => (SymbolEqualityComparer.IncludeNullability.GetHashCode(key.Type) * 31) + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Format);
    }
}
