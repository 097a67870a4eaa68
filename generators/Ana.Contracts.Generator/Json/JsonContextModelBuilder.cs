using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Json;

/// <summary>
/// Walks the root types of a contract (parameters and results of its methods) and everything reachable from them, and
/// describes each as a <see cref="JsonTypeModel"/>. What cannot be serialized is reported as ANA007 and left out.
/// The rules follow System.Text.Json's own source generator, so that the emitted metadata behaves like its output.
/// </summary>
internal static class JsonContextModelBuilder
{
    /// <summary>Builds the model of a context covering <paramref name="roots"/> and every type reachable from them.</summary>
    /// <param name="contextNamespace">The namespace of the emitted context; <see langword="null"/> for the global namespace.</param>
    /// <param name="contextClassName">The class name of the emitted context.</param>
    /// <param name="accessibility"><c>public</c> or <c>internal</c> (anything else is taken as <c>internal</c>).</param>
    /// <param name="namingPolicy">How JSON property names and enum member names are derived.</param>
    /// <param name="roots">Each root type, where it is used (diagnostics point there) and by what, e.g. <c>IScheduler.SubmitAsync</c>.</param>
    /// <param name="compilation">The compilation the types come from (for accessibility checks only).</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public static JsonContextModel Build(
        string? contextNamespace,
        string contextClassName,
        string? accessibility,
        JsonNamingPolicyKind namingPolicy,
        IEnumerable<(ITypeSymbol Type, LocationInfo? UsedAt, string UsedBy)> roots,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        var walker = new Walker(compilation, cancellationToken);
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
            walker.Diagnostics.ToEquatableArray());
    }

    /// <summary>A type found by the walk, before its context property is named. Holds a symbol: never leaves the builder.</summary>
    internal sealed class Entry(ITypeSymbol symbol, string typeName)
    {
        public ITypeSymbol Symbol { get; } = symbol;

        public string TypeName { get; } = typeName;

        public JsonTypeKind Kind { get; set; }

        public string? Converter { get; set; }

        public string? ElementTypeName { get; set; }

        public string? KeyTypeName { get; set; }

        public bool EnumNamingPolicy { get; set; }

        public JsonObjectModel? Object { get; set; }

        public string? UnsupportedReason { get; set; }

        public bool IsPublic { get; set; }
    }

    /// <summary>Why a type cannot be serialized. <see cref="Silent"/> failures (unresolved types) are reported by the compiler already.</summary>
    private sealed record Failure(string TypeDisplay, string Reason, bool Silent = false);

    private sealed class Walker(Compilation compilation, CancellationToken cancellationToken)
    {
        private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

        private static readonly SymbolDisplayFormat FullyQualifiedAnnotated = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat PathRoot = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        private static readonly SymbolDisplayFormat Display = SymbolDisplayFormat.CSharpErrorMessageFormat
            .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
        private readonly List<Entry> _order = [];
        private readonly Dictionary<string, Failure> _failures = new(StringComparer.Ordinal);
        private readonly HashSet<DiagnosticInfo> _reported = [];
        private LocationInfo? _usedAt;
        private string _usedBy = string.Empty;

        public List<DiagnosticInfo> Diagnostics { get; } = [];

        public IReadOnlyList<Entry> Entries => _order;

        public void VisitRoot(ITypeSymbol type, LocationInfo? usedAt, string usedBy)
        {
            _usedAt = usedAt;
            _usedBy = usedBy;
            string path = type.ToDisplayString(PathRoot);
            Failure? failure = Visit(type, path);
            if (failure is null)
            {
                return;
            }

            Report(failure, path);
            string typeName = type.ToDisplayString(FullyQualified);
            if (!failure.Silent && IsNameable(type) && !_entries.ContainsKey(typeName))
            {
                // A placeholder, so that code naming the root's type info compiles; the ANA007 error stops the build anyway.
                Add(new Entry(type, typeName)
                {
                    Kind = JsonTypeKind.Unsupported,
                    UnsupportedReason = $"The type '{failure.TypeDisplay}' cannot be serialized: {failure.Reason}.",
                    IsPublic = IsEffectivelyPublic(type),
                });
            }
        }

        private void Report(Failure failure, string path)
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

        private void Add(Entry entry)
        {
            _entries.Add(entry.TypeName, entry);
            _order.Add(entry);
        }

        /// <summary>Covers <paramref name="type"/> (and what it reaches); returns why not when it cannot be serialized.</summary>
        private Failure? Visit(ITypeSymbol type, string path)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string typeName = type.ToDisplayString(FullyQualified);
            if (_entries.ContainsKey(typeName))
            {
                return null;
            }

            if (_failures.TryGetValue(typeName, out Failure? known))
            {
                return known;
            }

            Failure? failure = Classify(type, typeName, path);
            if (failure is not null)
            {
                _failures[typeName] = failure;
            }

            return failure;
        }

        private static Failure Fail(ITypeSymbol type, string reason) => new(type.ToDisplayString(Display), reason);

        private Failure? Classify(ITypeSymbol type, string typeName, string path)
        {
            switch (type.TypeKind)
            {
                case TypeKind.Error:
                    return new Failure(type.ToDisplayString(Display), "the type could not be resolved", Silent: true);
                case TypeKind.Dynamic:
                    return Fail(type, "'dynamic' has no fixed shape; use a concrete type");
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    return Fail(type, "pointers cannot be serialized");
                case TypeKind.TypeParameter:
                    return Fail(type, "open generic types cannot be serialized; use a closed type");
                case TypeKind.Delegate:
                    return Fail(type, "delegates cannot be serialized");
                default:
                    break;
            }

            if (ContainsTypeParameter(type))
            {
                return Fail(type, "open generic types cannot be serialized; use a closed type");
            }

            if (!compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                return Fail(type, "the type is not accessible from the generated context (a private or protected nested type, or an internal type of another assembly)");
            }

            if (type is IArrayTypeSymbol array)
            {
                return ClassifyArray(array, typeName, path);
            }

            if (type is not INamedTypeSymbol named)
            {
                return Fail(type, "this kind of type cannot be serialized");
            }

            if (named.IsRefLikeType)
            {
                return Fail(type, "ref structs cannot be serialized");
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                ITypeSymbol underlying = named.TypeArguments[0];
                Failure? inner = Visit(underlying, path);
                if (inner is not null)
                {
                    return inner;
                }

                AddIfMissing(new Entry(type, typeName)
                {
                    Kind = JsonTypeKind.Nullable,
                    ElementTypeName = underlying.ToDisplayString(FullyQualified),
                    IsPublic = IsEffectivelyPublic(type),
                });
                return null;
            }

            if (named.SpecialType == SpecialType.System_Object)
            {
                return Fail(type, "'object' has no fixed shape; use a concrete type");
            }

            if (BuiltInConverter(named) is { } converter)
            {
                AddIfMissing(new Entry(type, typeName) { Kind = JsonTypeKind.BuiltIn, Converter = converter, IsPublic = true });
                return null;
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                return ClassifyEnum(named, typeName);
            }

            if (named.IsTupleType || MetadataName(named.OriginalDefinition) is "System.Tuple`1" or "System.Tuple`2" or "System.Tuple`3" or "System.Tuple`4" or "System.Tuple`5" or "System.Tuple`6" or "System.Tuple`7" or "System.Tuple`8")
            {
                return Fail(type, "tuples cannot be serialized; use a record");
            }

            if (named.IsGenericType && CollectionKind(named) is { } collection)
            {
                return ClassifyCollection(named, typeName, path, collection);
            }

            if (named.SpecialType == SpecialType.System_String)
            {
                // Unreachable (string has a built-in converter); kept so that string never counts as a collection below.
                return null;
            }

            if (ImplementsEnumerable(named))
            {
                return Fail(type, "this collection type is not supported; use T[], List<T>, IList<T>, ICollection<T>, IEnumerable<T>, IReadOnlyList<T>, IReadOnlyCollection<T>, or a Dictionary<string, T>, IDictionary<string, T> or IReadOnlyDictionary<string, T>");
            }

            if (named.TypeKind == TypeKind.Interface)
            {
                return Fail(type, "interfaces cannot be deserialized (only the collection interfaces IList<T>, ICollection<T>, IEnumerable<T>, IReadOnlyList<T>, IReadOnlyCollection<T>, IDictionary<string, T> and IReadOnlyDictionary<string, T> are supported)");
            }

            if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                return Fail(type, "this kind of type cannot be serialized");
            }

            string? ns = named.ContainingNamespace?.ToDisplayString();
            if (ns is not null && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns == "Microsoft" || ns.StartsWith("Microsoft.", StringComparison.Ordinal)))
            {
                return Fail(type, "this framework type is not supported by the generated JSON context");
            }

            return ClassifyObject(named, typeName, path);
        }

        private Failure? ClassifyArray(IArrayTypeSymbol array, string typeName, string path)
        {
            if (!array.IsSZArray || array.Rank != 1)
            {
                return Fail(array, "multi-dimensional arrays cannot be serialized; use jagged arrays or lists");
            }

            if (array.ElementType.SpecialType == SpecialType.System_Byte)
            {
                // System.Text.Json writes byte[] as a base64 string, not as an array of numbers.
                AddIfMissing(new Entry(array, typeName) { Kind = JsonTypeKind.BuiltIn, Converter = "ByteArrayConverter", IsPublic = true });
                return null;
            }

            Failure? inner = Visit(array.ElementType, path);
            if (inner is not null)
            {
                return inner;
            }

            AddIfMissing(new Entry(array, typeName)
            {
                Kind = JsonTypeKind.Array,
                ElementTypeName = array.ElementType.ToDisplayString(FullyQualified),
                IsPublic = IsEffectivelyPublic(array),
            });
            return null;
        }

        private Failure? ClassifyEnum(INamedTypeSymbol type, string typeName)
        {
            bool namingPolicy = true;
            foreach (AttributeData attribute in type.GetAttributes())
            {
                string? attributeName = attribute.AttributeClass?.ToDisplayString();
                if (attributeName == "System.Text.Json.Serialization.JsonConverterAttribute")
                {
                    if (attribute.ConstructorArguments.Length == 1
                        && attribute.ConstructorArguments[0].Value is INamedTypeSymbol converterType
                        && MetadataName(converterType.OriginalDefinition) is "System.Text.Json.Serialization.JsonStringEnumConverter" or "System.Text.Json.Serialization.JsonStringEnumConverter`1")
                    {
                        // [JsonConverter(typeof(JsonStringEnumConverter))]: strings with the names as declared, as System.Text.Json does.
                        namingPolicy = false;
                    }
                    else
                    {
                        return Fail(type, "custom converters ([JsonConverter]) are not supported; only JsonStringEnumConverter is accepted on an enum");
                    }
                }
            }

            AddIfMissing(new Entry(type, typeName) { Kind = JsonTypeKind.Enum, EnumNamingPolicy = namingPolicy, IsPublic = IsEffectivelyPublic(type) });
            return null;
        }

        private Failure? ClassifyCollection(INamedTypeSymbol type, string typeName, string path, JsonTypeKind kind)
        {
            ITypeSymbol element;
            string? keyTypeName = null;
            if (kind is JsonTypeKind.Dictionary or JsonTypeKind.IDictionary or JsonTypeKind.IReadOnlyDictionary)
            {
                ITypeSymbol key = type.TypeArguments[0];
                if (key.SpecialType != SpecialType.System_String)
                {
                    return Fail(type, "dictionary keys must be strings");
                }

                Failure? keyFailure = Visit(key, path);
                if (keyFailure is not null)
                {
                    return keyFailure;
                }

                keyTypeName = key.ToDisplayString(FullyQualified);
                element = type.TypeArguments[1];
            }
            else
            {
                element = type.TypeArguments[0];
            }

            Failure? inner = Visit(element, path);
            if (inner is not null)
            {
                return inner;
            }

            AddIfMissing(new Entry(type, typeName)
            {
                Kind = kind,
                ElementTypeName = element.ToDisplayString(FullyQualified),
                KeyTypeName = keyTypeName,
                IsPublic = IsEffectivelyPublic(type),
            });
            return null;
        }

        private void AddIfMissing(Entry entry)
        {
            // A recursive walk (T -> List<T> -> T) may have covered the type meanwhile.
            if (!_entries.ContainsKey(entry.TypeName))
            {
                Add(entry);
            }
        }

        private Failure? ClassifyObject(INamedTypeSymbol type, string typeName, string path)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "System.Text.Json.Serialization.JsonConverterAttribute":
                        return Fail(type, "custom converters ([JsonConverter]) are not supported by the generated JSON context");
                    case "System.Text.Json.Serialization.JsonPolymorphicAttribute":
                    case "System.Text.Json.Serialization.JsonDerivedTypeAttribute":
                        return Fail(type, "polymorphic serialization ([JsonPolymorphic], [JsonDerivedType]) is not supported by the generated JSON context");
                    case "System.Text.Json.Serialization.JsonNumberHandlingAttribute":
                    case "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute":
                    case "System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute":
                        return Fail(type, $"[{attribute.AttributeClass!.Name.Replace("Attribute", string.Empty)}] is not supported by the generated JSON context");
                    default:
                        break;
                }
            }

            if (type.IsAbstract)
            {
                return Fail(type, "abstract types cannot be deserialized; use a concrete type");
            }

            if (type.IsStatic)
            {
                return Fail(type, "static types cannot be serialized");
            }

            if (SelectConstructor(type, out IMethodSymbol? constructor) is { } constructorFailure)
            {
                return constructorFailure;
            }

            bool setsRequiredMembers = constructor is not null && HasAttribute(constructor, "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");

            // The serialized properties: public ones and [JsonInclude] ones, the most derived type first, each in declaration order.
            var candidates = new List<(IPropertySymbol Symbol, bool Include, bool IsPublic)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                foreach (ISymbol member in current.GetMembers())
                {
                    if (member is IFieldSymbol { IsRequired: true, IsStatic: false } requiredField && !setsRequiredMembers)
                    {
                        return Fail(type, $"the required field '{requiredField.Name}' cannot be set: fields are not serialized; make it a property");
                    }

                    if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer || property.ExplicitInterfaceImplementations.Length > 0)
                    {
                        continue;
                    }

                    bool include = HasAttribute(property, "System.Text.Json.Serialization.JsonIncludeAttribute");
                    bool isPublic = property.DeclaredAccessibility == Accessibility.Public;
                    if (!isPublic && !include)
                    {
                        if (property.IsRequired && !setsRequiredMembers)
                        {
                            return Fail(type, $"the required property '{property.Name}' is not public");
                        }

                        continue;
                    }

                    // A property overridden or hidden by one of a more derived type is left out: the derived one wins, as in System.Text.Json.
                    if (seen.Add(property.Name))
                    {
                        candidates.Add((property, include, isPublic));
                    }
                }
            }

            // Constructor parameters bind to properties by name (exact, then ignoring case) and type, as in System.Text.Json.
            var bindings = new List<(IParameterSymbol Parameter, IPropertySymbol Property)>();
            foreach (IParameterSymbol parameter in constructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty)
            {
                if (parameter.RefKind is not (RefKind.None or RefKind.In))
                {
                    return Fail(type, $"the constructor parameter '{parameter.Name}' is passed by reference");
                }

                IPropertySymbol? match = candidates.FirstOrDefault(p => string.Equals(p.Symbol.Name, parameter.Name, StringComparison.Ordinal)).Symbol
                    ?? candidates.FirstOrDefault(p => string.Equals(p.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)).Symbol;
                if (match is null || !SymbolEqualityComparer.Default.Equals(match.Type, parameter.Type))
                {
                    return Fail(type, $"the constructor parameter '{parameter.Name}' does not match a public property of the same name (ignoring case) and type");
                }

                bindings.Add((parameter, match));
            }

            // Register before visiting members, so that recursive types (Node -> List<Node>) end here.
            var entry = new Entry(type, typeName) { Kind = JsonTypeKind.Object, IsPublic = IsEffectivelyPublic(type) };
            Add(entry);

            var properties = new List<(IPropertySymbol Symbol, JsonPropertyModel? Model)>();
            foreach ((IPropertySymbol property, bool include, bool isPublic) in candidates)
            {
                string memberPath = path + "." + property.Name;
                (JsonPropertyModel? model, Failure? problem) = DescribeProperty(type, property, include, isPublic, setsRequiredMembers, memberPath);
                if (problem is not null)
                {
                    Report(problem, memberPath);
                }

                properties.Add((property, model));
            }

            var constructorArguments = new List<JsonParameterModel>();
            var boundToParameter = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
            int position = 0;
            foreach ((IParameterSymbol parameter, IPropertySymbol match) in bindings)
            {
                boundToParameter.Add(match);
                string memberPath = path + "." + match.Name;
                Failure? parameterFailure = Visit(parameter.Type, memberPath);
                if (parameterFailure is not null)
                {
                    Report(parameterFailure, memberPath);
                }

                constructorArguments.Add(new JsonParameterModel(
                    parameter.Name,
                    parameter.Type.ToDisplayString(FullyQualifiedAnnotated),
                    parameter.Type.ToDisplayString(FullyQualified),
                    parameterFailure is null ? position++ : -1,
                    parameter.HasExplicitDefaultValue,
                    parameter.HasExplicitDefaultValue ? DefaultValueLiteral(parameter) : null));
            }

            // Members set in the object initializer: required members (a compile error otherwise) and init-only ones.
            var memberInitializers = new List<JsonParameterModel>();
            foreach ((IPropertySymbol symbol, JsonPropertyModel? model) in properties)
            {
                if (boundToParameter.Contains(symbol))
                {
                    continue;
                }

                bool mustInitialize = symbol.IsRequired && !setsRequiredMembers;
                bool serializable = model is not null && model.IgnoreCondition != "Always";
                bool initOnly = serializable && model!.Setter == JsonSetterKind.InitOnly;
                if (!mustInitialize && !initOnly)
                {
                    continue;
                }

                if (mustInitialize && model?.IgnoreCondition == "Always")
                {
                    Report(Fail(type, $"the required property '{symbol.Name}' is ignored by [JsonIgnore]"), path + "." + symbol.Name);
                }

                memberInitializers.Add(new JsonParameterModel(
                    symbol.Name,
                    symbol.Type.ToDisplayString(FullyQualifiedAnnotated),
                    symbol.Type.ToDisplayString(FullyQualified),
                    serializable ? position++ : -1,
                    HasDefaultValue: false,
                    DefaultValueLiteral: null));
            }

            JsonCreatorKind creator = constructorArguments.Count > 0 || memberInitializers.Count > 0
                ? JsonCreatorKind.Parameterized
                : JsonCreatorKind.Parameterless;

            entry.Object = new JsonObjectModel(
                type.IsValueType,
                creator,
                constructorArguments.ToEquatableArray(),
                memberInitializers.ToEquatableArray(),
                properties.Where(p => p.Model is not null).Select(p => p.Model!).ToEquatableArray());
            return null;
        }

        /// <summary>Describes one property; returns a problem (and no model, unless the property is only partly usable) when it cannot be serialized.</summary>
        private (JsonPropertyModel? Model, Failure? Problem) DescribeProperty(
            INamedTypeSymbol owner, IPropertySymbol property, bool include, bool isPublic, bool setsRequiredMembers, string memberPath)
        {
            string? jsonName = null;
            int? order = null;
            string? ignoreCondition = null;
            bool jsonRequired = false;
            foreach (AttributeData attribute in property.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "System.Text.Json.Serialization.JsonPropertyNameAttribute":
                        jsonName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                        break;
                    case "System.Text.Json.Serialization.JsonPropertyOrderAttribute":
                        order = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int value ? value : null;
                        break;
                    case "System.Text.Json.Serialization.JsonRequiredAttribute":
                        jsonRequired = true;
                        break;
                    case "System.Text.Json.Serialization.JsonIgnoreAttribute":
                        ignoreCondition = "Always";
                        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                        {
                            if (argument.Key == "Condition" && argument.Value.Value is int condition)
                            {
                                ignoreCondition = condition switch
                                {
                                    0 => "Never",
                                    1 => "Always",
                                    2 => "WhenWritingDefault",
                                    3 => "WhenWritingNull",
                                    _ => "Always",
                                };
                            }
                        }

                        break;
                    case "System.Text.Json.Serialization.JsonConverterAttribute":
                        return (null, Fail(property.Type, "custom converters ([JsonConverter]) on properties are not supported by the generated JSON context"));
                    case "System.Text.Json.Serialization.JsonExtensionDataAttribute":
                        return (null, Fail(property.Type, "[JsonExtensionData] is not supported by the generated JSON context"));
                    case "System.Text.Json.Serialization.JsonNumberHandlingAttribute":
                    case "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute":
                        return (null, Fail(property.Type, $"[{attribute.AttributeClass!.Name.Replace("Attribute", string.Empty)}] is not supported by the generated JSON context"));
                    default:
                        break;
                }
            }

            if (property.ReturnsByRef || property.ReturnsByRefReadonly)
            {
                return (null, Fail(property.Type, "ref-returning properties are not supported"));
            }

            string declaringTypeName = property.ContainingType.ToDisplayString(FullyQualified);
            bool isVirtual = property.IsVirtual || property.IsOverride || property.IsAbstract;
            if (ignoreCondition == "Always")
            {
                // Kept, without accessors, like System.Text.Json: it still hides base members and binds constructor parameters.
                if (!IsNameable(property.Type))
                {
                    return (null, null);
                }

                return (new JsonPropertyModel(
                    property.Name,
                    property.Type.ToDisplayString(FullyQualifiedAnnotated),
                    declaringTypeName,
                    isVirtual,
                    HasGetter: false,
                    JsonSetterKind.None,
                    jsonName,
                    order,
                    ignoreCondition,
                    IsRequired: false,
                    include), null);
            }

            if (!isPublic && !IsAccessible(property))
            {
                return (null, Fail(owner, $"the [JsonInclude] property '{owner.Name}.{property.Name}' is not accessible from the generated context"));
            }

            bool hasGetter = false;
            if (property.GetMethod is { } getter)
            {
                if (getter.DeclaredAccessibility == Accessibility.Public)
                {
                    hasGetter = true;
                }
                else if (include)
                {
                    if (!IsAccessible(getter))
                    {
                        return (null, Fail(owner, $"the getter of the [JsonInclude] property '{owner.Name}.{property.Name}' is not accessible from the generated context"));
                    }

                    hasGetter = true;
                }
            }

            JsonSetterKind setter = JsonSetterKind.None;
            if (property.SetMethod is { } setMethod)
            {
                bool usable = setMethod.DeclaredAccessibility == Accessibility.Public;
                if (!usable && include)
                {
                    if (!IsAccessible(setMethod))
                    {
                        return (null, Fail(owner, $"the setter of the [JsonInclude] property '{owner.Name}.{property.Name}' is not accessible from the generated context"));
                    }

                    usable = true;
                }

                if (usable)
                {
                    setter = setMethod.IsInitOnly ? JsonSetterKind.InitOnly : JsonSetterKind.Setter;
                }
            }

            if (ignoreCondition == "WhenWritingNull" && property.Type.IsValueType && property.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
            {
                return (null, Fail(property.Type, "JsonIgnoreCondition.WhenWritingNull is not valid on a property of a non-nullable value type"));
            }

            Failure? typeFailure = Visit(property.Type, memberPath);
            if (typeFailure is not null)
            {
                return (null, typeFailure);
            }

            return (new JsonPropertyModel(
                property.Name,
                property.Type.ToDisplayString(FullyQualifiedAnnotated),
                declaringTypeName,
                isVirtual,
                hasGetter,
                setter,
                jsonName,
                order,
                ignoreCondition,
                jsonRequired || (property.IsRequired && !setsRequiredMembers),
                include), null);
        }

        /// <summary>
        /// Picks the deserialization constructor like System.Text.Json: the one with [JsonConstructor], else the public parameterless
        /// one (always there for structs), else the only public one. <paramref name="constructor"/> is null only on failure.
        /// </summary>
        private Failure? SelectConstructor(INamedTypeSymbol type, out IMethodSymbol? constructor)
        {
            constructor = null;
            IMethodSymbol[] candidates = type.InstanceConstructors.Where(c => !c.IsStatic).ToArray();
            IMethodSymbol[] marked = candidates.Where(c => HasAttribute(c, "System.Text.Json.Serialization.JsonConstructorAttribute")).ToArray();
            if (marked.Length > 1)
            {
                return Fail(type, "more than one constructor has [JsonConstructor]");
            }

            if (marked.Length == 1)
            {
                if (marked[0].DeclaredAccessibility != Accessibility.Public && !IsAccessible(marked[0]))
                {
                    return Fail(type, "the [JsonConstructor] constructor is not accessible from the generated context");
                }

                constructor = marked[0];
                return null;
            }

            IMethodSymbol[] publicConstructors = candidates.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToArray();
            IMethodSymbol? parameterless = publicConstructors.FirstOrDefault(c => c.Parameters.Length == 0);
            if (parameterless is not null)
            {
                constructor = parameterless;
                return null;
            }

            if (publicConstructors.Length == 1)
            {
                constructor = publicConstructors[0];
                return null;
            }

            return publicConstructors.Length == 0
                ? Fail(type, "it has no public constructor; add one, or mark an accessible one with [JsonConstructor]")
                : Fail(type, "it has no public parameterless constructor and several public constructors; mark one with [JsonConstructor]");
        }

        private bool IsAccessible(ISymbol symbol) =>
            symbol.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
            && compilation.IsSymbolAccessibleWithin(symbol, compilation.Assembly);

        private bool IsNameable(ITypeSymbol type) =>
            type.TypeKind is not (TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.TypeParameter)
            && !type.IsRefLikeType
            && type.SpecialType != SpecialType.System_Void
            && !ContainsTypeParameter(type)
            && !(type is INamedTypeSymbol { IsStatic: true })
            && !(type is INamedTypeSymbol { IsUnboundGenericType: true })
            && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);
    }

    private static bool HasAttribute(ISymbol symbol, string fullName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == fullName);

    private static string MetadataName(INamedTypeSymbol type)
    {
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() + "." : string.Empty;
        string outer = string.Empty;
        for (INamedTypeSymbol? containingType = type.ContainingType; containingType is not null; containingType = containingType.ContainingType)
        {
            outer = containingType.MetadataName + "+" + outer;
        }

        return ns + outer + type.MetadataName;
    }

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        IPointerTypeSymbol pointer => ContainsTypeParameter(pointer.PointedAtType),
        INamedTypeSymbol named => named.IsUnboundGenericType || named.TypeArguments.Any(ContainsTypeParameter)
            || (named.ContainingType is not null && ContainsTypeParameter(named.ContainingType)),
        _ => false,
    };

    private static bool ImplementsEnumerable(INamedTypeSymbol type) =>
        type.SpecialType == SpecialType.System_Collections_IEnumerable
        || type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);

    /// <summary>Whether code outside the assembly could name the type: decides between a public and an internal property.</summary>
    private static bool IsEffectivelyPublic(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsEffectivelyPublic(array.ElementType);
            case INamedTypeSymbol named:
                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    if (current.DeclaredAccessibility != Accessibility.Public)
                    {
                        return false;
                    }
                }

                return named.TypeArguments.All(IsEffectivelyPublic);
            default:
                return true;
        }
    }

    private static JsonTypeKind? CollectionKind(INamedTypeSymbol type) => MetadataName(type.OriginalDefinition) switch
    {
        "System.Collections.Generic.List`1" => JsonTypeKind.List,
        "System.Collections.Generic.IList`1" => JsonTypeKind.IList,
        "System.Collections.Generic.ICollection`1" => JsonTypeKind.ICollection,
        "System.Collections.Generic.IEnumerable`1" => JsonTypeKind.IEnumerable,
        "System.Collections.Generic.IReadOnlyList`1" => JsonTypeKind.IEnumerable,
        "System.Collections.Generic.IReadOnlyCollection`1" => JsonTypeKind.IEnumerable,
        "System.Collections.Generic.Dictionary`2" => JsonTypeKind.Dictionary,
        "System.Collections.Generic.IDictionary`2" => JsonTypeKind.IDictionary,
        "System.Collections.Generic.IReadOnlyDictionary`2" => JsonTypeKind.IReadOnlyDictionary,
        _ => null,
    };

    /// <summary>The <c>JsonMetadataServices</c> converter of a type that System.Text.Json writes as a single value (all exist in .NET 8).</summary>
    private static string? BuiltInConverter(INamedTypeSymbol type)
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
            default: break;
        }

        return MetadataName(type) switch
        {
            "System.DateTimeOffset" => "DateTimeOffsetConverter",
            "System.TimeSpan" => "TimeSpanConverter",
            "System.Guid" => "GuidConverter",
            "System.Uri" => "UriConverter",
            "System.Version" => "VersionConverter",
            "System.DateOnly" => "DateOnlyConverter",
            "System.TimeOnly" => "TimeOnlyConverter",
            "System.Int128" => "Int128Converter",
            "System.UInt128" => "UInt128Converter",
            "System.Half" => "HalfConverter",
            "System.Text.Json.JsonElement" => "JsonElementConverter",
            _ => null,
        };
    }

    /// <summary>A constructor parameter's default value as a C# expression of the parameter's type.</summary>
    private static string DefaultValueLiteral(IParameterSymbol parameter)
    {
        ITypeSymbol type = parameter.Type;
        object? value = parameter.ExplicitDefaultValue;
        string typeName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (value is null)
        {
            return $"default({typeName})";
        }

        ITypeSymbol valueType = type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
            ? ((INamedTypeSymbol)type).TypeArguments[0]
            : type;
        if (valueType.TypeKind == TypeKind.Enum)
        {
            string valueTypeName = valueType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return $"({valueTypeName})({Literal(value)})";
        }

        return Literal(value);
    }

    private static string Literal(object value)
    {
        System.Globalization.CultureInfo invariant = System.Globalization.CultureInfo.InvariantCulture;
        return value switch
        {
            bool b => b ? "true" : "false",
            string s => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(s, quote: true),
            char c => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(c, quote: true),
            byte n => $"(byte){n.ToString(invariant)}",
            sbyte n => $"(sbyte){n.ToString(invariant)}",
            short n => $"(short){n.ToString(invariant)}",
            ushort n => $"(ushort){n.ToString(invariant)}",
            int n => n.ToString(invariant),
            uint n => n.ToString(invariant) + "U",
            long n => n.ToString(invariant) + "L",
            ulong n => n.ToString(invariant) + "UL",
            float f => float.IsNaN(f) ? "float.NaN"
                : float.IsPositiveInfinity(f) ? "float.PositiveInfinity"
                : float.IsNegativeInfinity(f) ? "float.NegativeInfinity"
                : f.ToString("R", invariant) + "F",
            double d => double.IsNaN(d) ? "double.NaN"
                : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
                : double.IsNegativeInfinity(d) ? "double.NegativeInfinity"
                : d.ToString("R", invariant) + "D",
            decimal m => m.ToString(invariant) + "M",
            _ => Convert.ToString(value, invariant) ?? "default",
        };
    }
}
