using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>
/// Walks the root types of a contract and everything reachable from them, classifying each (built-in value, enum,
/// nullable, array, collection, object) into a <see cref="JsonTypeEntry"/>; objects are read by the
/// <see cref="JsonObjectShapeReader"/>. What cannot be serialized is reported as ANA007 and left out.
/// </summary>
internal sealed class JsonTypeWalker
{
    private const string MetadataServices = "global::System.Text.Json.Serialization.Metadata.JsonMetadataServices";
    private const string TolerantConverters = "global::Ana.Contracts.Infrastructure.ContractJsonConverters";
    private readonly KnownSymbols _known;
    private readonly CancellationToken _cancellationToken;
    private readonly JsonAttributeReader _attributes;
    private readonly JsonObjectShapeReader _objects;
    private readonly Dictionary<string, JsonTypeEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<JsonTypeEntry> _order = [];
    private readonly Dictionary<string, JsonTypeFailure> _failures = new(StringComparer.Ordinal);
    private readonly HashSet<DiagnosticInfo> _reported = [];
    private readonly JsonNamingPolicyKind _namingPolicy;
    private LocationInfo? _usedAt;
    private string _usedBy = string.Empty;

    public JsonTypeWalker(KnownSymbols known, TypeNames names, JsonNamingPolicyKind namingPolicy, CancellationToken cancellationToken)
    {
        _known = known;
        Names = names;
        _namingPolicy = namingPolicy;
        _cancellationToken = cancellationToken;
        _attributes = new JsonAttributeReader(known);
        _objects = new JsonObjectShapeReader(this, _attributes, known.Compilation);
    }

    public List<DiagnosticInfo> Diagnostics { get; } = [];

    /// <summary>The display strings of the types walked.</summary>
    public TypeNames Names { get; }

    /// <summary>The types covered so far, in the order they were found.</summary>
    public IReadOnlyList<JsonTypeEntry> Entries => _order;

    /// <summary>Covers a root type; what it cannot cover is reported at <paramref name="usedAt"/>, as used by <paramref name="usedBy"/>.</summary>
    public void VisitRoot(ITypeSymbol type, LocationInfo? usedAt, string usedBy)
    {
        _usedAt = usedAt;
        _usedBy = usedBy;
        string path = Names.Of(type, TypeFormats.PathRoot);
        JsonTypeFailure? failure = Visit(type, path);
        if (failure is null)
        {
            return;
        }

        Report(failure, path);
        string typeName = Names.Of(type, TypeFormats.FullyQualified);
        if (!failure.Silent && TypeFacts.IsNameable(type, _known.Compilation) && !_entries.ContainsKey(typeName))
        {
            // A placeholder, so that code naming the root's type info compiles; the ANA007 error stops the build anyway.
            Add(new JsonTypeEntry(type, typeName)
            {
                Kind = JsonTypeKind.Unsupported,
                UnsupportedReason = $"The type '{failure.TypeDisplay}' cannot be serialized: {failure.Reason}.",
                IsPublic = TypeFacts.IsEffectivelyPublic(type),
            });
        }
    }

    /// <summary>Reports ANA007 for <paramref name="failure"/>, met at the member path <paramref name="path"/> of the current root.</summary>
    public void Report(JsonTypeFailure failure, string path)
    {
        if (failure.Silent)
        {
            return;
        }

        DiagnosticInfo diagnostic = DiagnosticInfo.Create(
            DiagnosticDescriptors.TypeNotSerializable,
            _usedAt,
            failure.TypeDisplay,
            _usedBy,
            $"{failure.Reason} (member path '{path}')");
        if (_reported.Add(diagnostic))
        {
            Diagnostics.Add(diagnostic);
        }
    }

    /// <summary>Reports ANA015: the initializer of the <c>init</c> member <paramref name="member"/> of a generic type is lost when it is absent.</summary>
    public void ReportDefaultLost(string member, string path)
    {
        DiagnosticInfo diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.DefaultLostWhenAbsent, _usedAt, member, _usedBy, path);
        if (_reported.Add(diagnostic))
        {
            Diagnostics.Add(diagnostic);
        }
    }

    /// <summary>
    /// Reports ANA016 when the discriminator of the polymorphic <paramref name="baseEntry"/> is the JSON name of a property
    /// of the base or of a derived type (System.Text.Json would throw on first use).
    /// </summary>
    public void CheckDiscriminator(JsonTypeEntry baseEntry)
    {
        if (baseEntry.Polymorphism is not { } polymorphism)
        {
            return;
        }

        IEnumerable<JsonTypeEntry> family = polymorphism.DerivedTypes
            .Select(d => _entries.TryGetValue(Names.Of(d.Type, TypeFormats.FullyQualified), out JsonTypeEntry? entry) ? entry : null)
            .Where(e => e is not null)
            .Prepend(baseEntry)!;
        foreach (JsonTypeEntry member in family)
        {
            if (member.Object is null)
            {
                continue;
            }

            foreach (JsonPropertyModel property in member.Object.Properties)
            {
                string jsonName = property.JsonName ?? JsonNaming.Convert(property.Name, _namingPolicy);
                if (property.IgnoreCondition != JsonIgnoreConditionKind.Always && string.Equals(jsonName, polymorphism.DiscriminatorName, StringComparison.Ordinal))
                {
                    DiagnosticInfo diagnostic = DiagnosticInfo.Create(
                        DiagnosticDescriptors.DiscriminatorClash,
                        _usedAt,
                        polymorphism.DiscriminatorName,
                        baseEntry.Symbol.ToDisplayString(TypeFormats.ErrorMessage),
                        _usedBy,
                        property.Name,
                        member.Symbol.ToDisplayString(TypeFormats.ErrorMessage));
                    if (_reported.Add(diagnostic))
                    {
                        Diagnostics.Add(diagnostic);
                    }

                    return;
                }
            }
        }
    }

    public void Add(JsonTypeEntry entry)
    {
        _entries.Add(entry.TypeName, entry);
        _order.Add(entry);
    }

    /// <summary>Covers <paramref name="type"/> (and what it reaches); returns why not when it cannot be serialized.</summary>
    public JsonTypeFailure? Visit(ITypeSymbol type, string path)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        string typeName = Names.Of(type, TypeFormats.FullyQualified);
        if (_entries.ContainsKey(typeName))
        {
            return null;
        }

        if (_failures.TryGetValue(typeName, out JsonTypeFailure? known))
        {
            return known;
        }

        JsonTypeFailure? failure = Classify(type, typeName, path);
        if (failure is not null)
        {
            _failures[typeName] = failure;
        }

        return failure;
    }

    private JsonTypeFailure? Classify(ITypeSymbol type, string typeName, string path)
    {
        switch (type.TypeKind)
        {
            case TypeKind.Error:
                return new JsonTypeFailure(type.ToDisplayString(TypeFormats.ErrorMessage), "the type could not be resolved", Silent: true);
            case TypeKind.Dynamic:
                return JsonTypeFailure.Of(type, "'dynamic' has no fixed shape; use a concrete type");
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
                return JsonTypeFailure.Of(type, "pointers cannot be serialized");
            case TypeKind.TypeParameter:
                return JsonTypeFailure.Of(type, "open generic types cannot be serialized; use a closed type");
            case TypeKind.Delegate:
                return JsonTypeFailure.Of(type, "delegates cannot be serialized");
            default:
                break;
        }

        if (TypeFacts.ContainsTypeParameter(type))
        {
            return JsonTypeFailure.Of(type, "open generic types cannot be serialized; use a closed type");
        }

        Compilation compilation = _known.Compilation;
        if (!TypeFacts.IsAccessibleType(type, compilation))
        {
            return JsonTypeFailure.Of(type, "the type is not accessible from the generated context (a private or protected nested type, or an internal type of another assembly)");
        }

        if (type is IArrayTypeSymbol array)
        {
            return ClassifyArray(array, typeName, path);
        }

        if (type is not INamedTypeSymbol named)
        {
            return JsonTypeFailure.Of(type, "this kind of type cannot be serialized");
        }

        if (named.IsRefLikeType)
        {
            return JsonTypeFailure.Of(type, "ref structs cannot be serialized");
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            ITypeSymbol underlying = named.TypeArguments[0];
            JsonTypeFailure? inner = Visit(underlying, path);
            if (inner is not null)
            {
                return inner;
            }

            AddIfMissing(new JsonTypeEntry(type, typeName)
            {
                Kind = JsonTypeKind.Nullable,
                ElementTypeName = Names.Of(underlying, TypeFormats.FullyQualified),
                IsPublic = TypeFacts.IsEffectivelyPublic(type),
            });
            return null;
        }

        if (named.SpecialType == SpecialType.System_Object)
        {
            return JsonTypeFailure.Of(type, "'object' has no fixed shape; use a concrete type");
        }

        if (BuiltInConverter(named) is { } converter)
        {
            AddIfMissing(new JsonTypeEntry(type, typeName) { Kind = JsonTypeKind.BuiltIn, Converter = QualifiedConverter(converter), IsPublic = true });
            return null;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            return ClassifyEnum(named, typeName);
        }

        if (named.IsTupleType || _known.IsTuple(named))
        {
            return JsonTypeFailure.Of(type, "tuples cannot be serialized; use a record");
        }

        if (named.IsGenericType && _known.CollectionKind(named) is { } collection)
        {
            return ClassifyCollection(named, typeName, path, collection);
        }

        if (named.SpecialType == SpecialType.System_String)
        {
            // Unreachable (string has a built-in converter); kept so that string never counts as a collection below.
            return null;
        }

        if (TypeFacts.ImplementsEnumerable(named))
        {
            return JsonTypeFailure.Of(type, "this collection type is not supported; use T[], List<T>, IList<T>, ICollection<T>, IEnumerable<T>, IReadOnlyList<T>, IReadOnlyCollection<T>, or a Dictionary<string, T>, IDictionary<string, T> or IReadOnlyDictionary<string, T>");
        }

        if (named.TypeKind == TypeKind.Interface)
        {
            return JsonTypeFailure.Of(type, "interfaces cannot be deserialized (only the collection interfaces IList<T>, ICollection<T>, IEnumerable<T>, IReadOnlyList<T>, IReadOnlyCollection<T>, IDictionary<string, T> and IReadOnlyDictionary<string, T> are supported)");
        }

        if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return JsonTypeFailure.Of(type, "this kind of type cannot be serialized");
        }

        string? ns = named.ContainingNamespace?.ToDisplayString();
        if (ns is not null && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns == "Microsoft" || ns.StartsWith("Microsoft.", StringComparison.Ordinal)))
        {
            return JsonTypeFailure.Of(type, "this framework type is not supported by the generated JSON context");
        }

        return _objects.Read(named, typeName, path);
    }

    private JsonTypeFailure? ClassifyArray(IArrayTypeSymbol array, string typeName, string path)
    {
        if (!array.IsSZArray || array.Rank != 1)
        {
            return JsonTypeFailure.Of(array, "multi-dimensional arrays cannot be serialized; use jagged arrays or lists");
        }

        if (array.ElementType.SpecialType == SpecialType.System_Byte)
        {
            // System.Text.Json writes byte[] as a base64 string, not as an array of numbers.
            AddIfMissing(new JsonTypeEntry(array, typeName) { Kind = JsonTypeKind.BuiltIn, Converter = QualifiedConverter("ByteArrayConverter"), IsPublic = true });
            return null;
        }

        JsonTypeFailure? inner = Visit(array.ElementType, path);
        if (inner is not null)
        {
            return inner;
        }

        AddIfMissing(new JsonTypeEntry(array, typeName)
        {
            Kind = JsonTypeKind.Array,
            ElementTypeName = Names.Of(array.ElementType, TypeFormats.FullyQualified),
            IsPublic = TypeFacts.IsEffectivelyPublic(array),
        });
        return null;
    }

    private JsonTypeFailure? ClassifyEnum(INamedTypeSymbol type, string typeName)
    {
        bool namingPolicy = _attributes.EnumUsesNamingPolicy(type, out string? problem);
        if (problem is not null)
        {
            return JsonTypeFailure.Of(type, problem);
        }

        AddIfMissing(new JsonTypeEntry(type, typeName)
        {
            Kind = JsonTypeKind.Enum,
            EnumNamingPolicy = namingPolicy,
            EnumMembers = _attributes.EnumMemberNames(type, _namingPolicy, namingPolicy),
            IsFlagsEnum = _attributes.Has(type, JsonAttributeKind.Flags),
            IsPublic = TypeFacts.IsEffectivelyPublic(type),
        });
        return null;
    }

    private JsonTypeFailure? ClassifyCollection(INamedTypeSymbol type, string typeName, string path, JsonTypeKind kind)
    {
        ITypeSymbol element;
        string? keyTypeName = null;
        if (kind is JsonTypeKind.Dictionary or JsonTypeKind.IDictionary or JsonTypeKind.IReadOnlyDictionary)
        {
            ITypeSymbol key = type.TypeArguments[0];
            if (key.SpecialType != SpecialType.System_String)
            {
                return JsonTypeFailure.Of(type, "dictionary keys must be strings");
            }

            JsonTypeFailure? keyFailure = Visit(key, path);
            if (keyFailure is not null)
            {
                return keyFailure;
            }

            keyTypeName = Names.Of(key, TypeFormats.FullyQualified);
            element = type.TypeArguments[1];
        }
        else
        {
            element = type.TypeArguments[0];
        }

        JsonTypeFailure? inner = Visit(element, path);
        if (inner is not null)
        {
            return inner;
        }

        AddIfMissing(new JsonTypeEntry(type, typeName)
        {
            Kind = kind,
            ElementTypeName = Names.Of(element, TypeFormats.FullyQualified),
            KeyTypeName = keyTypeName,
            IsPublic = TypeFacts.IsEffectivelyPublic(type),
        });
        return null;
    }

    private void AddIfMissing(JsonTypeEntry entry)
    {
        // A recursive walk (T -> List<T> -> T) may have covered the type meanwhile.
        if (!_entries.ContainsKey(entry.TypeName))
        {
            Add(entry);
        }
    }

    /// <summary>
    /// The converter expression for a <c>JsonMetadataServices</c> converter name: Ana's tolerant converter where a Python
    /// peer writes other forms than System.Text.Json reads (durations, decimals, dates and times; they write the same bytes),
    /// else the built-in one.
    /// </summary>
    private static string QualifiedConverter(string name) => name switch
    {
        "TimeSpanConverter" or "DecimalConverter" or "DateTimeConverter" or "DateTimeOffsetConverter" or "DateOnlyConverter" or "TimeOnlyConverter"
            => TolerantConverters + "." + name,
        _ => MetadataServices + "." + name,
    };

    /// <summary>The <c>JsonMetadataServices</c> converter of a type that System.Text.Json writes as a single value (all exist in .NET 8).</summary>
    private string? BuiltInConverter(INamedTypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return "BooleanConverter";
            case SpecialType.System_Byte: return "ByteConverter";
            case SpecialType.System_SByte: return "SByteConverter";
            case SpecialType.System_Int16: return "Int16Converter";
            case SpecialType.System_UInt16: return "UInt16Converter";
            case SpecialType.System_Int32: return "Int32Converter";
            case SpecialType.System_UInt32: return "UInt32Converter";
            case SpecialType.System_Int64: return "Int64Converter";
            case SpecialType.System_UInt64: return "UInt64Converter";
            case SpecialType.System_Single: return "SingleConverter";
            case SpecialType.System_Double: return "DoubleConverter";
            case SpecialType.System_Decimal: return "DecimalConverter";
            case SpecialType.System_Char: return "CharConverter";
            case SpecialType.System_String: return "StringConverter";
            case SpecialType.System_DateTime: return "DateTimeConverter";
            default: return _known.Converter(type);
        }
    }
}
