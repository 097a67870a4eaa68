using System.Collections.Immutable;
using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>
/// Reads the serializable shape of a class, record or struct like System.Text.Json's source generator: the constructor
/// it deserializes through, the properties it reads and writes, and the members set in the object initializer.
/// Member types are covered through the <see cref="JsonTypeWalker"/>.
/// </summary>
internal sealed class JsonObjectShapeReader(JsonTypeWalker walker, JsonAttributeReader attributes, Compilation compilation)
{
    private bool? _unsafeAccessorAvailable;

    /// <summary>Covers <paramref name="type"/> as an object; returns why not when it cannot be serialized.</summary>
    public JsonTypeFailure? Read(INamedTypeSymbol type, string typeName, string path)
    {
        if (attributes.ObjectProblem(type) is { } attributeProblem)
        {
            return JsonTypeFailure.Of(type, attributeProblem);
        }

        // A polymorphic base ([JsonDerivedType]) may be abstract: only its derived types are instantiated.
        JsonPolymorphism? polymorphism = attributes.ReadPolymorphism(type);
        if (type.IsAbstract && polymorphism is null)
        {
            return JsonTypeFailure.Of(type, "abstract types cannot be deserialized; use a concrete type, or declare its derived types with [JsonDerivedType]");
        }

        if (type.IsStatic)
        {
            return JsonTypeFailure.Of(type, "static types cannot be serialized");
        }

        IMethodSymbol? constructor = null;
        if (!type.IsAbstract && SelectConstructor(type, out constructor) is { } constructorFailure)
        {
            return constructorFailure;
        }

        bool setsRequiredMembers = constructor is not null && attributes.Has(constructor, JsonAttributeKind.SetsRequiredMembers);

        // The serialized properties: public ones and [JsonInclude] ones, the most derived type first, each in declaration order.
        List<(IPropertySymbol Symbol, bool Include, bool IsPublic)> candidates = new();
        HashSet<string> seen = new(StringComparer.Ordinal);
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is IFieldSymbol { IsRequired: true, IsStatic: false } requiredField && !setsRequiredMembers)
                {
                    return JsonTypeFailure.Of(type, $"the required field '{requiredField.Name}' cannot be set: fields are not serialized; make it a property");
                }

                if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer || property.ExplicitInterfaceImplementations.Length > 0)
                {
                    continue;
                }

                bool include = attributes.Has(property, JsonAttributeKind.Include);
                bool isPublic = property.DeclaredAccessibility == Accessibility.Public;
                if (!isPublic && !include)
                {
                    if (property.IsRequired && !setsRequiredMembers)
                    {
                        return JsonTypeFailure.Of(type, $"the required property '{property.Name}' is not public");
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
        List<(IParameterSymbol Parameter, IPropertySymbol Property)> bindings = new();
        foreach (IParameterSymbol parameter in constructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In))
            {
                return JsonTypeFailure.Of(type, $"the constructor parameter '{parameter.Name}' is passed by reference");
            }

            IPropertySymbol? match = candidates.FirstOrDefault(p => string.Equals(p.Symbol.Name, parameter.Name, StringComparison.Ordinal)).Symbol
                ?? candidates.FirstOrDefault(p => string.Equals(p.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)).Symbol;
            if (match is null || !SymbolEqualityComparer.Default.Equals(match.Type, parameter.Type))
            {
                return JsonTypeFailure.Of(type, $"the constructor parameter '{parameter.Name}' does not match a public property of the same name (ignoring case) and type");
            }

            bindings.Add((parameter, match));
        }

        // Register before visiting members, so that recursive types (Node -> List<Node>) end here.
        JsonTypeEntry entry = new(type, typeName) { Kind = JsonTypeKind.Object, IsPublic = TypeFacts.IsEffectivelyPublic(type) };
        walker.Add(entry);

        HashSet<IPropertySymbol> boundToParameter = new(SymbolEqualityComparer.Default);
        foreach ((IParameterSymbol _, IPropertySymbol match) in bindings)
        {
            boundToParameter.Add(match);
        }

        List<(IPropertySymbol Symbol, JsonPropertyModel? Model)> properties = new();
        foreach ((IPropertySymbol property, bool include, bool isPublic) in candidates)
        {
            string memberPath = path + "." + property.Name;
            (JsonPropertyModel? model, JsonTypeFailure? problem) = DescribeProperty(type, property, include, isPublic, setsRequiredMembers, boundToParameter.Contains(property), memberPath);
            if (problem is not null)
            {
                walker.Report(problem, memberPath);
            }

            properties.Add((property, model));
        }

        List<JsonParameterModel> constructorArguments = new();
        int position = 0;
        foreach ((IParameterSymbol parameter, IPropertySymbol match) in bindings)
        {
            string memberPath = path + "." + match.Name;
            JsonTypeFailure? parameterFailure = walker.Visit(parameter.Type, memberPath);
            if (parameterFailure is not null)
            {
                walker.Report(parameterFailure, memberPath);
            }

            constructorArguments.Add(new JsonParameterModel(
                parameter.Name,
                walker.Names.Of(parameter.Type, TypeFormats.FullyQualifiedAnnotated),
                walker.Names.Of(parameter.Type, TypeFormats.FullyQualified),
                parameterFailure is null ? position++ : -1,
                parameter.HasExplicitDefaultValue,
                parameter.HasExplicitDefaultValue ? DefaultValue(parameter) : null,
                IsNonNullableReference(parameter.Type, parameter.NullableAnnotation, parameter.OriginalDefinition.Type) ? match.Name : null));
        }

        // init members are set after construction through generated [UnsafeAccessor] setters, so that absent ones keep their
        // initializer, and required members are then checked by the JSON required check rather than by C#. Generic types keep
        // the object initializer (their accessors bind differently on the .NET 8 and .NET 10 runtimes): absent init members
        // get their type's default there, reported as ANA015 where the member declares an initializer.
        bool requiresMembers = properties.Any(p => p.Symbol.IsRequired) && !setsRequiredMembers;
        bool usesAccessors = UnsafeAccessorAvailable
            && !IsGeneric(type)
            && !properties.Any(p => (p.Symbol.IsRequired || p.Model?.Setter == JsonSetterKind.InitOnly) && IsGeneric(p.Symbol.ContainingType));

        // Members set in the object initializer (without accessors): required members (a compile error otherwise) and init-only ones.
        List<JsonParameterModel> memberInitializers = new();
        foreach ((IPropertySymbol symbol, JsonPropertyModel? model) in properties)
        {
            if (boundToParameter.Contains(symbol))
            {
                continue;
            }

            bool mustInitialize = symbol.IsRequired && !setsRequiredMembers;
            bool serializable = model is not null && model.IgnoreCondition != JsonIgnoreConditionKind.Always;
            bool initOnly = serializable && model!.Setter == JsonSetterKind.InitOnly;
            if (!mustInitialize && !initOnly)
            {
                continue;
            }

            if (mustInitialize && model?.IgnoreCondition == JsonIgnoreConditionKind.Always)
            {
                walker.Report(JsonTypeFailure.Of(type, $"the required property '{symbol.Name}' is ignored by [JsonIgnore]"), path + "." + symbol.Name);
            }

            if (usesAccessors)
            {
                continue;
            }

            if (initOnly && !symbol.IsRequired && HasInitializer(symbol))
            {
                walker.ReportDefaultLost($"{type.ToDisplayString(TypeFormats.ErrorMessage)}.{symbol.Name}", path + "." + symbol.Name);
            }

            memberInitializers.Add(new JsonParameterModel(
                symbol.Name,
                walker.Names.Of(symbol.Type, TypeFormats.FullyQualifiedAnnotated),
                walker.Names.Of(symbol.Type, TypeFormats.FullyQualified),
                serializable ? position++ : -1,
                HasDefaultValue: false,
                DefaultValueLiteral: null,
                NonNullMember: model?.IsNonNullable == true ? symbol.Name : null));
        }

        JsonCreatorKind creator = type.IsAbstract
            ? JsonCreatorKind.None
            : constructorArguments.Count > 0 || memberInitializers.Count > 0
                ? JsonCreatorKind.Parameterized
                : JsonCreatorKind.Parameterless;
        if (creator == JsonCreatorKind.None)
        {
            memberInitializers.Clear();
        }

        entry.Object = new JsonObjectModel(
            type.IsValueType,
            creator,
            constructorArguments.ToEquatableArray(),
            memberInitializers.ToEquatableArray(),
            properties
                .Where(p => p.Model is not null)
                .Select(p => p.Model! with { RefusedWhenAbsent = RefusedWhenAbsent(p.Symbol, p.Model!, bindings, memberInitializers) })
                .ToEquatableArray(),
            usesAccessors,
            usesAccessors && requiresMembers,
            type.IsValueType && constructor is { IsImplicitlyDeclared: true, Parameters.Length: 0 });
        if (polymorphism is not null)
        {
            // Every derived type needs metadata in the context, or System.Text.Json fails on its first use.
            entry.Polymorphism = polymorphism;
            foreach ((ITypeSymbol derived, string? discriminator, bool _) in polymorphism.DerivedTypes)
            {
                string derivedPath = $"{path}<{discriminator ?? derived.Name}>";
                // The base may name itself, to be written with a discriminator of its own.
                JsonTypeFailure? derivedFailure = SymbolEqualityComparer.Default.Equals(derived, type) || InheritsFrom(derived, type)
                    ? walker.Visit(derived, derivedPath)
                    : JsonTypeFailure.Of(derived, $"it is declared with [JsonDerivedType] on '{type.ToDisplayString(TypeFormats.ErrorMessage)}' but does not derive from it");
                if (derivedFailure is not null)
                {
                    walker.Report(derivedFailure, derivedPath);
                }
            }

            walker.CheckDiscriminator(entry);
        }

        return null;
    }

    /// <summary>
    /// Whether reading an object without the member fails, as the generated metadata behaves: the serializer's required check,
    /// or the refusal of <c>null</c> in a non-nullable member that nothing filled (no initializer, no constructor default).
    /// </summary>
    private static bool RefusedWhenAbsent(
        IPropertySymbol symbol, JsonPropertyModel model, List<(IParameterSymbol Parameter, IPropertySymbol Property)> bindings, List<JsonParameterModel> memberInitializers)
    {
        if (model.IsRequired)
        {
            return true;
        }

        if (!model.IsNonNullable)
        {
            return false;
        }

        foreach ((IParameterSymbol parameter, IPropertySymbol property) in bindings)
        {
            if (SymbolEqualityComparer.Default.Equals(property, symbol))
            {
                return !parameter.HasExplicitDefaultValue || parameter.ExplicitDefaultValue is null;
            }
        }

        if (memberInitializers.Any(m => m.NonNullMember == symbol.Name && m.Position >= 0))
        {
            return true;
        }

        return model.HasGetter && !HasInitializer(symbol);
    }

    private static bool InheritsFrom(ITypeSymbol derived, INamedTypeSymbol baseType)
    {
        for (INamedTypeSymbol? current = derived.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Describes one property; returns a problem (and no model, unless the property is only partly usable) when it cannot be serialized.</summary>
    private (JsonPropertyModel? Model, JsonTypeFailure? Problem) DescribeProperty(
        INamedTypeSymbol owner, IPropertySymbol property, bool include, bool isPublic, bool setsRequiredMembers, bool boundToParameter, string memberPath)
    {
        JsonPropertyAttributes read = attributes.ReadProperty(property);
        if (read.Problem is not null)
        {
            return (null, JsonTypeFailure.Of(property.Type, read.Problem));
        }

        if (property.ReturnsByRef || property.ReturnsByRefReadonly)
        {
            return (null, JsonTypeFailure.Of(property.Type, "ref-returning properties are not supported"));
        }

        if (read.IgnoreCondition == JsonIgnoreConditionKind.Always)
        {
            // Kept, without accessors, like System.Text.Json: it still hides base members and binds constructor parameters.
            if (!TypeFacts.IsNameable(property.Type, compilation))
            {
                return (null, null);
            }

            return (Model(hasGetter: false, JsonSetterKind.None, isRequired: false), null);
        }

        if (!isPublic && !TypeFacts.IsAccessible(property, compilation))
        {
            return (null, JsonTypeFailure.Of(owner, $"the [JsonInclude] property '{owner.Name}.{property.Name}' is not accessible from the generated context"));
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
                if (!TypeFacts.IsAccessible(getter, compilation))
                {
                    return (null, JsonTypeFailure.Of(owner, $"the getter of the [JsonInclude] property '{owner.Name}.{property.Name}' is not accessible from the generated context"));
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
                if (!TypeFacts.IsAccessible(setMethod, compilation))
                {
                    return (null, JsonTypeFailure.Of(owner, $"the setter of the [JsonInclude] property '{owner.Name}.{property.Name}' is not accessible from the generated context"));
                }

                usable = true;
            }

            if (usable)
            {
                setter = setMethod.IsInitOnly ? JsonSetterKind.InitOnly : JsonSetterKind.Setter;
            }
        }

        if (read.IgnoreCondition == JsonIgnoreConditionKind.WhenWritingNull && property.Type.IsValueType && property.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
        {
            return (null, JsonTypeFailure.Of(property.Type, "JsonIgnoreCondition.WhenWritingNull is not valid on a property of a non-nullable value type"));
        }

        JsonTypeFailure? typeFailure = walker.Visit(property.Type, memberPath);
        if (typeFailure is not null)
        {
            return (null, typeFailure);
        }

        return (Model(hasGetter, setter, read.IsJsonRequired || (property.IsRequired && !setsRequiredMembers)), null);

        JsonPropertyModel Model(bool hasGetter, JsonSetterKind setter, bool isRequired) => new(
            property.Name,
            walker.Names.Of(property.Type, TypeFormats.FullyQualifiedAnnotated),
            walker.Names.Of(property.ContainingType, TypeFormats.FullyQualified),
            property.IsVirtual || property.IsOverride || property.IsAbstract,
            hasGetter,
            setter,
            read.JsonName,
            read.Order,
            read.IgnoreCondition,
            isRequired,
            include,
            read.IgnoreCondition != JsonIgnoreConditionKind.Always
                && (setter != JsonSetterKind.None || boundToParameter)
                && IsNonNullableReference(property.Type, property.NullableAnnotation, property.OriginalDefinition.Type),
            walker.Names.Of(property.Type, TypeFormats.FullyQualified));
    }

    /// <summary>
    /// Whether the member's type is a reference type declared non-nullable (nullable annotations enabled). A type parameter's
    /// substitution is not checked (generic type arguments are out of scope), nor are collection elements.
    /// </summary>
    private static bool IsNonNullableReference(ITypeSymbol type, NullableAnnotation annotation, ITypeSymbol declaredType)
        => type.IsReferenceType && annotation == NullableAnnotation.NotAnnotated && declaredType is not ITypeParameterSymbol;

    /// <summary>Whether the type or one that contains it is generic.</summary>
    private static bool IsGeneric(INamedTypeSymbol? type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the property's declaration has an initializer (<c>= value</c>); unknown (false) for metadata-only types.</summary>
    private static bool HasInitializer(IPropertySymbol property)
        => property.OriginalDefinition.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is PropertyDeclarationSyntax { Initializer: not null });

    private bool UnsafeAccessorAvailable => _unsafeAccessorAvailable ??=
        compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.UnsafeAccessorAttribute") is not null;

    /// <summary>
    /// Picks the deserialization constructor like System.Text.Json: the one with [JsonConstructor], else the public parameterless
    /// one (always there for structs), else the only public one. <paramref name="constructor"/> is null only on failure.
    /// </summary>
    private JsonTypeFailure? SelectConstructor(INamedTypeSymbol type, out IMethodSymbol? constructor)
    {
        constructor = null;
        IMethodSymbol[] candidates = type.InstanceConstructors.Where(c => !c.IsStatic).ToArray();
        IMethodSymbol[] marked = candidates.Where(c => attributes.Has(c, JsonAttributeKind.Constructor)).ToArray();
        if (marked.Length > 1)
        {
            return JsonTypeFailure.Of(type, "more than one constructor has [JsonConstructor]");
        }

        if (marked.Length == 1)
        {
            if (marked[0].DeclaredAccessibility != Accessibility.Public && !TypeFacts.IsAccessible(marked[0], compilation))
            {
                return JsonTypeFailure.Of(type, "the [JsonConstructor] constructor is not accessible from the generated context");
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
            ? JsonTypeFailure.Of(type, "it has no public constructor; add one, or mark an accessible one with [JsonConstructor]")
            : JsonTypeFailure.Of(type, "it has no public parameterless constructor and several public constructors; mark one with [JsonConstructor]");
    }

    /// <summary>A constructor parameter's default value as the <c>object</c> <c>JsonParameterInfoValues.DefaultValue</c> holds: typed, so that it boxes as the parameter's type.</summary>
    private string DefaultValue(IParameterSymbol parameter)
        => parameter.ExplicitDefaultValue is { } value
            ? CSharpLiteral.Constant(parameter.Type, value)
            : $"default({walker.Names.Of(parameter.Type, TypeFormats.FullyQualified)})";
}
