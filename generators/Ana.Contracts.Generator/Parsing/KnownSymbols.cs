using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing.Json;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>
/// The framework and runtime types the parser recognizes, built once per compilation and shared by every contract's
/// parse; each type is looked up on first use. Attributes and framework types are matched against these symbols
/// (<see cref="SymbolEqualityComparer.Default"/>), never by their names.
/// </summary>
internal sealed class KnownSymbols(Compilation compilation)
{
    public const string AnaAgentAttribute = "Ana.Contracts.AnaAgentAttribute";

    private const string Serialization = "System.Text.Json.Serialization.";

    private Lookup? _task;
    private Lookup? _taskOfT;
    private Lookup? _valueTask;
    private Lookup? _valueTaskOfT;
    private Lookup? _cancellationToken;
    private Lookup? _asyncEnumerableOfT;
    private Lookup? _anaStreamWindowAttribute;
    private Lookup? _progressOfT;
    private Lookup? _anaHeartbeatAttribute;
    private Lookup? _jsonSerializerContext;
    private Lookup? _jsonSourceGenerationOptionsAttribute;
    private Lookup? _anaTopicAttribute;
    private Lookup? _anaTimeoutAttribute;
    private Lookup? _anaOneWayAttribute;
    private Lookup? _anaDurableAttribute;
    private Lookup? _anaAgentAttribute;
    private Dictionary<INamedTypeSymbol, JsonAttributeKind>? _jsonAttributes;
    private Dictionary<INamedTypeSymbol, JsonTypeKind>? _collections;
    private Dictionary<INamedTypeSymbol, string>? _converters;
    private HashSet<INamedTypeSymbol>? _tuples;
    private HashSet<INamedTypeSymbol>? _stringEnumConverters;

    /// <summary>The compilation the symbols come from.</summary>
    public Compilation Compilation { get; } = compilation;

    /// <summary>The display strings of the compilation's types, shared by every contract's parse.</summary>
    public TypeNames Names { get; } = new();

    public INamedTypeSymbol? Task => Resolve(ref _task, "System.Threading.Tasks.Task");

    public INamedTypeSymbol? TaskOfT => Resolve(ref _taskOfT, "System.Threading.Tasks.Task`1");

    public INamedTypeSymbol? ValueTask => Resolve(ref _valueTask, "System.Threading.Tasks.ValueTask");

    public INamedTypeSymbol? ValueTaskOfT => Resolve(ref _valueTaskOfT, "System.Threading.Tasks.ValueTask`1");

    public INamedTypeSymbol? CancellationToken => Resolve(ref _cancellationToken, "System.Threading.CancellationToken");

    public INamedTypeSymbol? AsyncEnumerableOfT => Resolve(ref _asyncEnumerableOfT, "System.Collections.Generic.IAsyncEnumerable`1");

    public INamedTypeSymbol? AnaStreamWindowAttribute => Resolve(ref _anaStreamWindowAttribute, "Ana.Contracts.AnaStreamWindowAttribute");

    public INamedTypeSymbol? ProgressOfT => Resolve(ref _progressOfT, "System.IProgress`1");

    public INamedTypeSymbol? AnaHeartbeatAttribute => Resolve(ref _anaHeartbeatAttribute, "Ana.Contracts.AnaHeartbeatAttribute");

    public INamedTypeSymbol? JsonSerializerContext => Resolve(ref _jsonSerializerContext, Serialization + "JsonSerializerContext");

    public INamedTypeSymbol? JsonSourceGenerationOptionsAttribute => Resolve(ref _jsonSourceGenerationOptionsAttribute, Serialization + "JsonSourceGenerationOptionsAttribute");

    public INamedTypeSymbol? AnaTopicAttribute => Resolve(ref _anaTopicAttribute, "Ana.Contracts.AnaTopicAttribute");

    public INamedTypeSymbol? AnaTimeoutAttribute => Resolve(ref _anaTimeoutAttribute, "Ana.Contracts.AnaTimeoutAttribute");

    public INamedTypeSymbol? AnaOneWayAttribute => Resolve(ref _anaOneWayAttribute, "Ana.Contracts.AnaOneWayAttribute");

    public INamedTypeSymbol? AnaDurableAttribute => Resolve(ref _anaDurableAttribute, "Ana.Contracts.AnaDurableAttribute");

    public INamedTypeSymbol? AnaAgentAttributeType => Resolve(ref _anaAgentAttribute, AnaAgentAttribute);

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => type is not null && known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>Which System.Text.Json attribute (or <c>[SetsRequiredMembers]</c>) <paramref name="attribute"/> is.</summary>
    public JsonAttributeKind JsonAttribute(AttributeData attribute)
    {
        _jsonAttributes ??= Map(new Dictionary<string, JsonAttributeKind>
        {
            [Serialization + "JsonConverterAttribute"] = JsonAttributeKind.Converter,
            [Serialization + "JsonPolymorphicAttribute"] = JsonAttributeKind.Polymorphic,
            [Serialization + "JsonDerivedTypeAttribute"] = JsonAttributeKind.DerivedType,
            [Serialization + "JsonNumberHandlingAttribute"] = JsonAttributeKind.NumberHandling,
            [Serialization + "JsonObjectCreationHandlingAttribute"] = JsonAttributeKind.ObjectCreationHandling,
            [Serialization + "JsonUnmappedMemberHandlingAttribute"] = JsonAttributeKind.UnmappedMemberHandling,
            [Serialization + "JsonPropertyNameAttribute"] = JsonAttributeKind.PropertyName,
            [Serialization + "JsonPropertyOrderAttribute"] = JsonAttributeKind.PropertyOrder,
            [Serialization + "JsonRequiredAttribute"] = JsonAttributeKind.Required,
            [Serialization + "JsonIgnoreAttribute"] = JsonAttributeKind.Ignore,
            [Serialization + "JsonExtensionDataAttribute"] = JsonAttributeKind.ExtensionData,
            [Serialization + "JsonIncludeAttribute"] = JsonAttributeKind.Include,
            [Serialization + "JsonConstructorAttribute"] = JsonAttributeKind.Constructor,
            ["System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute"] = JsonAttributeKind.SetsRequiredMembers,
            [Serialization + "JsonStringEnumMemberNameAttribute"] = JsonAttributeKind.StringEnumMemberName,
            ["System.FlagsAttribute"] = JsonAttributeKind.Flags,
        });
        return attribute.AttributeClass is { } type && _jsonAttributes.TryGetValue(type, out JsonAttributeKind kind) ? kind : JsonAttributeKind.None;
    }

    /// <summary>The collection kind of a generic collection type the JSON context supports (by its generic definition).</summary>
    public JsonTypeKind? CollectionKind(INamedTypeSymbol type)
    {
        _collections ??= Map(new Dictionary<string, JsonTypeKind>
        {
            ["System.Collections.Generic.List`1"] = JsonTypeKind.List,
            ["System.Collections.Generic.IList`1"] = JsonTypeKind.IList,
            ["System.Collections.Generic.ICollection`1"] = JsonTypeKind.ICollection,
            ["System.Collections.Generic.IEnumerable`1"] = JsonTypeKind.IEnumerable,
            ["System.Collections.Generic.IReadOnlyList`1"] = JsonTypeKind.IEnumerable,
            ["System.Collections.Generic.IReadOnlyCollection`1"] = JsonTypeKind.IEnumerable,
            ["System.Collections.Generic.Dictionary`2"] = JsonTypeKind.Dictionary,
            ["System.Collections.Generic.IDictionary`2"] = JsonTypeKind.IDictionary,
            ["System.Collections.Generic.IReadOnlyDictionary`2"] = JsonTypeKind.IReadOnlyDictionary,
        });
        return _collections.TryGetValue(type.OriginalDefinition, out JsonTypeKind kind) ? kind : null;
    }

    /// <summary>The <c>JsonMetadataServices</c> converter of a framework value type without a <see cref="SpecialType"/> (<c>Guid</c>, <c>DateOnly</c>, ...).</summary>
    public string? Converter(INamedTypeSymbol type)
    {
        _converters ??= Map(new Dictionary<string, string>
        {
            ["System.DateTimeOffset"] = "DateTimeOffsetConverter",
            ["System.TimeSpan"] = "TimeSpanConverter",
            ["System.Guid"] = "GuidConverter",
            ["System.Uri"] = "UriConverter",
            ["System.Version"] = "VersionConverter",
            ["System.DateOnly"] = "DateOnlyConverter",
            ["System.TimeOnly"] = "TimeOnlyConverter",
            ["System.Int128"] = "Int128Converter",
            ["System.UInt128"] = "UInt128Converter",
            ["System.Half"] = "HalfConverter",
            ["System.Text.Json.JsonElement"] = "JsonElementConverter",
        });
        return _converters.TryGetValue(type, out string? converter) ? converter : null;
    }

    /// <summary>Whether <paramref name="type"/> is a <c>System.Tuple</c> of one to eight elements.</summary>
    public bool IsTuple(INamedTypeSymbol type)
        => (_tuples ??= Set(
            "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8"))
            .Contains(type.OriginalDefinition);

    /// <summary>Whether <paramref name="type"/> is <c>JsonStringEnumConverter</c> or <c>JsonStringEnumConverter&lt;T&gt;</c>.</summary>
    public bool IsStringEnumConverter(INamedTypeSymbol type)
        => (_stringEnumConverters ??= Set(Serialization + "JsonStringEnumConverter", Serialization + "JsonStringEnumConverter`1"))
            .Contains(type.OriginalDefinition);

    private HashSet<INamedTypeSymbol> Set(params string[] metadataNames)
    {
        HashSet<INamedTypeSymbol> set = new(SymbolEqualityComparer.Default);
        foreach (string metadataName in metadataNames)
        {
            if (Compilation.GetTypeByMetadataName(metadataName) is { } type)
            {
                set.Add(type);
            }
        }

        return set;
    }

    private Dictionary<INamedTypeSymbol, T> Map<T>(Dictionary<string, T> byMetadataName)
    {
        Dictionary<INamedTypeSymbol, T> map = new(SymbolEqualityComparer.Default);
        foreach (KeyValuePair<string, T> entry in byMetadataName)
        {
            if (Compilation.GetTypeByMetadataName(entry.Key) is { } type)
            {
                map[type] = entry.Value;
            }
        }

        return map;
    }

    private INamedTypeSymbol? Resolve(ref Lookup? field, string metadataName)
        => (field ??= new Lookup(Compilation.GetTypeByMetadataName(metadataName))).Symbol;

    /// <summary>A type looked up once; <see langword="null"/> as the field means not looked up yet.</summary>
    private sealed class Lookup(INamedTypeSymbol? symbol)
    {
        public INamedTypeSymbol? Symbol { get; } = symbol;
    }
}
