using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Ana.Contracts.Generator.Json;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Naming;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>
/// Turns an <c>[AnaAgent]</c> interface into a <see cref="ContractModel"/>, checking every rule of the diagnostic
/// catalogue on the way. Symbols are used here and nowhere after: the result holds only strings and values.
/// </summary>
internal static class ContractParser
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    private static readonly SymbolDisplayFormat AnnotatedTypeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat ShortTypeFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static ContractParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var contract = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (InterfaceDeclarationSyntax)context.TargetNode;
        var known = new KnownSymbols(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        string displayName = contract.ToDisplayString(ShortTypeFormat);
        LocationInfo? identifier = LocationInfo.From(declaration.Identifier.GetLocation());

        // The contract itself: partial, placed where generated code can go, a valid agent name.
        bool placementValid = CheckPlacement(contract, declaration, displayName, identifier, diagnostics, cancellationToken);
        AttributeData agentAttribute = context.Attributes[0];
        string agentName = ReadAgentName(agentAttribute, displayName, identifier, diagnostics, cancellationToken);
        JsonNamingPolicyKind namingPolicy = ReadNamingPolicy(agentAttribute);
        string? userJsonContext = ReadJsonContext(agentAttribute, known, displayName, identifier, diagnostics, cancellationToken);
        string? contractTimeout = ReadTimeout(contract, known, displayName, identifier, diagnostics, cancellationToken);

        // Its methods, including those of the interfaces it extends (the client implements them all).
        var methods = new List<MethodDraft>();
        foreach (INamedTypeSymbol type in new[] { contract }.Concat(contract.AllInterfaces))
        {
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ParseMember(member, contract, known, namingPolicy, contractTimeout, identifier, diagnostics, cancellationToken) is { } method)
                {
                    methods.Add(method);
                }
            }
        }

        CheckDuplicateTopics(methods, diagnostics);

        string? contractNamespace = contract.ContainingNamespace.IsGlobalNamespace ? null : contract.ContainingNamespace.ToDisplayString();
        JsonContextModel? jsonContext = null;
        string jsonContextClassName = JsonContextClassName(contract);
        if (placementValid && userJsonContext is null)
        {
            jsonContext = JsonContextModelBuilder.Build(
                contractNamespace,
                jsonContextClassName,
                "internal",
                namingPolicy,
                methods.SelectMany(method => method.Roots()),
                context.SemanticModel.Compilation,
                cancellationToken);
            diagnostics.AddRange(jsonContext.Diagnostics);
        }

        if (diagnostics.Count > 0)
        {
            return new ContractParseResult(null, diagnostics.ToEquatableArray());
        }

        string fullyQualifiedName = contract.ToDisplayString(TypeFormat);
        TypeInfoResolver typeInfos = jsonContext is not null
            ? new TypeInfoResolver(jsonContext, (contractNamespace is null ? "global::" : "global::" + contractNamespace + ".") + jsonContextClassName)
            : new TypeInfoResolver(null, fullyQualifiedName + ".JsonTypeInfos");
        var handlerNames = new HashSet<string>(System.StringComparer.Ordinal);
        EquatableArray<MethodModel> methodModels = methods
            .Select(method => method.ToModel(typeInfos, UniqueHandlerName(method.Name, handlerNames)))
            .ToEquatableArray();

        var model = new ContractModel(
            contractNamespace,
            ContainingTypes(contract, cancellationToken),
            contract.Name,
            fullyQualifiedName,
            displayName,
            fullyQualifiedName.Replace("global::", string.Empty),
            agentName,
            methodModels,
            jsonContext,
            userJsonContext);
        return new ContractParseResult(model, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The name of the generated JSON context: the interface's name without its leading <c>I</c>, after its containing types', plus <c>JsonContext</c>.</summary>
    public static string JsonContextClassName(INamedTypeSymbol contract)
    {
        string name = contract.Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name.Substring(1);
        }

        for (INamedTypeSymbol? outer = contract.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.Name + name;
        }

        return name + "JsonContext";
    }

    // ---------------------------------------------------------------- the contract

    private static bool CheckPlacement(
        INamedTypeSymbol contract,
        InterfaceDeclarationSyntax declaration,
        string displayName,
        LocationInfo? identifier,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        int before = diagnostics.Count;
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContractNotPartial, identifier, displayName));
        }

        if (contract.Arity > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.ContractNestingNotSupported, identifier, displayName, "it is generic; a contract has no type parameters"));
        }

        for (INamedTypeSymbol? outer = contract.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string outerName = outer.ToDisplayString(ShortTypeFormat);
            if (outer.Arity > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ContractNestingNotSupported, identifier, displayName, $"it is nested in '{outerName}', which is generic"));
            }
            else if (!IsPartial(outer, cancellationToken))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ContractNestingNotSupported, identifier, displayName, $"it is nested in '{outerName}', which is not partial"));
            }
        }

        for (INamedTypeSymbol? type = contract; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                string who = SymbolEqualityComparer.Default.Equals(type, contract) ? "it is" : $"'{type.ToDisplayString(ShortTypeFormat)}' is";
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ContractNestingNotSupported,
                    identifier,
                    displayName,
                    $"{who} {AccessibilityText(type.DeclaredAccessibility)}; a contract must be internal or public for its registration to run when the program starts"));
                break;
            }
        }

        return diagnostics.Count == before;
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax syntax || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static string ReadAgentName(
        AttributeData attribute, string displayName, LocationInfo? identifier, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        string? name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        string? problem = name is null ? "it is null" : SubjectTokenRules.FindProblem(name, allowDots: false);
        if (problem is not null)
        {
            LocationInfo? location = ArgumentLocation(attribute, 0, null, cancellationToken) ?? identifier;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAgentName, location, name ?? "null", displayName, problem));
        }

        return name ?? string.Empty;
    }

    private static JsonNamingPolicyKind ReadNamingPolicy(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "NamingPolicy" && argument.Value.Value is int value)
            {
                // System.Text.Json.Serialization.JsonKnownNamingPolicy: Unspecified, CamelCase, SnakeCaseLower, SnakeCaseUpper, KebabCaseLower, KebabCaseUpper.
                return value switch
                {
                    1 => JsonNamingPolicyKind.CamelCase,
                    2 => JsonNamingPolicyKind.SnakeCaseLower,
                    3 => JsonNamingPolicyKind.SnakeCaseUpper,
                    4 => JsonNamingPolicyKind.KebabCaseLower,
                    5 => JsonNamingPolicyKind.KebabCaseUpper,
                    _ => JsonNamingPolicyKind.None,
                };
            }
        }

        return JsonNamingPolicyKind.SnakeCaseLower;
    }

    private static string? ReadJsonContext(
        AttributeData attribute,
        KnownSymbols known,
        string displayName,
        LocationInfo? identifier,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key != "JsonContext" || argument.Value.Value is not ITypeSymbol type)
            {
                continue;
            }

            string? problem = null;
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class } named || !DerivesFrom(named, known.JsonSerializerContext))
            {
                problem = "it does not derive from System.Text.Json.Serialization.JsonSerializerContext";
            }
            else if (named.IsGenericType || named.IsAbstract)
            {
                problem = "it is generic or abstract; the generated code reads its static 'Default' instance";
            }

            if (problem is not null)
            {
                LocationInfo? location = ArgumentLocation(attribute, -1, "JsonContext", cancellationToken) ?? identifier;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJsonContext, location, type.ToDisplayString(ShortTypeFormat), displayName, problem));
                return null;
            }

            return type.ToDisplayString(TypeFormat);
        }

        return null;
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (KnownSymbols.Is(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ReadTimeout(
        ISymbol symbol, KnownSymbols known, string displayName, LocationInfo? fallback, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        AttributeData? attribute = KnownSymbols.Find(symbol, known.AnaTimeoutAttribute);
        if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not double seconds)
        {
            return null;
        }

        string literal = FormatDouble(seconds);
        string? problem = double.IsNaN(seconds) || double.IsInfinity(seconds) ? "it is not a finite number of seconds"
            : seconds <= 0 ? "it must be greater than zero"
            : seconds > System.TimeSpan.MaxValue.TotalSeconds / 2 ? "it is too large for a TimeSpan"
            : null;
        if (problem is not null)
        {
            LocationInfo? location = ArgumentLocation(attribute, 0, null, cancellationToken) ?? fallback;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTimeout, location, literal, displayName, problem));
            return null;
        }

        return literal;
    }

    private static EquatableArray<ContainingTypeModel> ContainingTypes(INamedTypeSymbol contract, CancellationToken cancellationToken)
    {
        var types = new List<ContainingTypeModel>();
        for (INamedTypeSymbol? outer = contract.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var syntax = (TypeDeclarationSyntax)outer.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            string keyword = syntax switch
            {
                RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            if (syntax.Modifiers.Any(SyntaxKind.RefKeyword))
            {
                keyword = "ref partial " + keyword;
            }
            else
            {
                keyword = "partial " + keyword;
            }

            types.Insert(0, new ContainingTypeModel(keyword, outer.Name));
        }

        return types.ToEquatableArray();
    }

    // ---------------------------------------------------------------- members

    private static MethodDraft? ParseMember(
        ISymbol member,
        INamedTypeSymbol contract,
        KnownSymbols known,
        JsonNamingPolicyKind namingPolicy,
        string? contractTimeout,
        LocationInfo? contractIdentifier,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        // Static members and members with a body (default implementations) are not part of the wire contract.
        if (member.IsStatic || !member.IsAbstract)
        {
            return null;
        }

        string memberName = member.ContainingType.ToDisplayString(ShortTypeFormat) + "." + member.Name;
        switch (member)
        {
            case IPropertySymbol { IsIndexer: true } indexer:
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.NonMethodMember, LocationOf(indexer, contractIdentifier), indexer.ContainingType.ToDisplayString(ShortTypeFormat) + ".this[]"));
                return null;
            case IPropertySymbol or IEventSymbol:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonMethodMember, LocationOf(member, contractIdentifier), memberName));
                return null;
            case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                return ParseMethod(method, memberName, contract, known, namingPolicy, contractTimeout, contractIdentifier, diagnostics, cancellationToken);
            default:
                return null;
        }
    }

    private static MethodDraft? ParseMethod(
        IMethodSymbol method,
        string methodName,
        INamedTypeSymbol contract,
        KnownSymbols known,
        JsonNamingPolicyKind namingPolicy,
        string? contractTimeout,
        LocationInfo? contractIdentifier,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        int before = diagnostics.Count;
        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
        LocationInfo? nameLocation = syntax is not null ? LocationInfo.From(syntax.Identifier.GetLocation()) : contractIdentifier;
        LocationInfo? returnLocation = syntax is not null ? LocationInfo.From(syntax.ReturnType) : contractIdentifier;

        if (method.IsGenericMethod)
        {
            LocationInfo? location = syntax?.TypeParameterList is { } typeParameters ? LocationInfo.From(typeParameters) : nameLocation;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericMethod, location, methodName));
        }

        // The return type says how the call goes.
        ITypeSymbol returnType = method.ReturnType;
        ITypeSymbol? resultType = null;
        bool returnsTask = false;
        if (returnType is INamedTypeSymbol named && !method.ReturnsByRef && !method.ReturnsByRefReadonly)
        {
            if (KnownSymbols.Is(named, known.Task) || KnownSymbols.Is(named, known.ValueTask))
            {
                returnsTask = true;
            }
            else if (named.IsGenericType && (KnownSymbols.Is(named.OriginalDefinition, known.TaskOfT) || KnownSymbols.Is(named.OriginalDefinition, known.ValueTaskOfT)))
            {
                returnsTask = true;
                resultType = named.TypeArguments[0];
            }
        }

        if (!returnsTask)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedReturnType, returnLocation, methodName, returnType.ToDisplayString(ShortTypeFormat)));
        }

        bool oneWay = KnownSymbols.Find(method, known.AnaOneWayAttribute) is not null;
        if (oneWay && resultType is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OneWayReturnsValue, returnLocation, methodName));
        }

        // The topic.
        string topic;
        LocationInfo? topicLocation;
        if (KnownSymbols.Find(method, known.AnaTopicAttribute) is { } topicAttribute)
        {
            topic = topicAttribute.ConstructorArguments.Length == 1 && topicAttribute.ConstructorArguments[0].Value is string value ? value : string.Empty;
            topicLocation = ArgumentLocation(topicAttribute, 0, null, cancellationToken) ?? nameLocation;
            string? problem = topicAttribute.ConstructorArguments[0].IsNull ? "it is null" : SubjectTokenRules.FindProblem(topic, allowDots: true);
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTopic, topicLocation, topic, methodName, problem));
            }
        }
        else
        {
            topic = TopicNaming.FromMethodName(method.Name);
            topicLocation = nameLocation;
            if (SubjectTokenRules.FindProblem(topic, allowDots: true) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTopic, topicLocation, topic, methodName, problem));
            }
        }

        string? timeout = ReadTimeout(method, known, methodName, nameLocation, diagnostics, cancellationToken) ?? contractTimeout;

        // The parameters: any number, then optionally one CancellationToken, last.
        var parameters = new List<ParameterDraft>();
        var jsonNames = new Dictionary<string, string>(System.StringComparer.Ordinal);
        string? cancellationTokenName = null;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            ParameterSyntax? parameterSyntax = syntax is not null && parameter.Ordinal < syntax.ParameterList.Parameters.Count
                ? syntax.ParameterList.Parameters[parameter.Ordinal]
                : null;
            LocationInfo? parameterLocation = parameterSyntax is not null ? LocationInfo.From(parameterSyntax) : nameLocation;
            string? problem = ParameterProblem(parameter, known, cancellationTokenName);
            string jsonName = JsonNaming.Convert(parameter.Name, namingPolicy);
            if (problem is null && !KnownSymbols.Is(parameter.Type, known.CancellationToken) && jsonNames.TryGetValue(jsonName, out string? other))
            {
                problem = $"its JSON key '{jsonName}' is already the key of parameter '{other}'";
            }

            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter, parameterLocation, parameter.Name, methodName, problem));
                continue;
            }

            if (KnownSymbols.Is(parameter.Type, known.CancellationToken))
            {
                cancellationTokenName = parameter.Name;
                continue;
            }

            jsonNames[jsonName] = parameter.Name;
            LocationInfo? typeLocation = parameterSyntax?.Type is { } typeSyntax ? LocationInfo.From(typeSyntax) : parameterLocation;
            parameters.Add(new ParameterDraft(parameter, jsonName, typeLocation));
        }

        if (diagnostics.Count > before)
        {
            return null;
        }

        CallKind kind = oneWay ? CallKind.OneWay : resultType is null ? CallKind.Completion : CallKind.Query;
        return new MethodDraft(
            method,
            methodName,
            topic,
            topicLocation,
            kind,
            resultType,
            returnLocation,
            timeout,
            parameters,
            cancellationTokenName is null ? null : Identifier(cancellationTokenName),
            SymbolEqualityComparer.Default.Equals(method.ContainingType, contract));
    }

    private static string? ParameterProblem(IParameterSymbol parameter, KnownSymbols known, string? cancellationTokenSeen)
    {
        if (cancellationTokenSeen is not null)
        {
            return KnownSymbols.Is(parameter.Type, known.CancellationToken)
                ? $"the method already takes the CancellationToken '{cancellationTokenSeen}'; a method takes at most one"
                : $"it comes after the CancellationToken '{cancellationTokenSeen}', which must be the last parameter";
        }

        switch (parameter.RefKind)
        {
            case RefKind.Ref:
                return "it is passed by reference ('ref'); arguments travel by value";
            case RefKind.Out:
                return "it is an 'out' parameter; results travel in the return value";
            case RefKind.In:
                return "it is passed by reference ('in'); arguments travel by value";
            case RefKind.None:
                break;
            default:
                return "it is passed by reference; arguments travel by value";
        }

        if (parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return "it is a pointer";
        }

        if (parameter.Type.IsRefLikeType)
        {
            return $"its type '{parameter.Type.ToDisplayString(ShortTypeFormat)}' is a ref struct, which cannot cross an await";
        }

        return null;
    }

    private static void CheckDuplicateTopics(List<MethodDraft> methods, List<DiagnosticInfo> diagnostics)
    {
        var seen = new Dictionary<string, MethodDraft>(System.StringComparer.Ordinal);
        foreach (MethodDraft method in methods)
        {
            if (seen.TryGetValue(method.Topic, out MethodDraft? first))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTopic, method.TopicLocation, first.DisplayName, method.DisplayName, method.Topic));
            }
            else
            {
                seen.Add(method.Topic, method);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static LocationInfo? LocationOf(ISymbol symbol, LocationInfo? fallback)
        => symbol.Locations.FirstOrDefault(location => location.IsInSource) is { } location ? LocationInfo.From(location) : fallback;

    /// <summary>The location of an attribute's positional argument <paramref name="position"/>, or of its named argument <paramref name="name"/>.</summary>
    private static LocationInfo? ArgumentLocation(AttributeData attribute, int position, string? name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } arguments } syntax)
        {
            return null;
        }

        if (name is not null)
        {
            AttributeArgumentSyntax? named = arguments.Arguments.FirstOrDefault(argument => argument.NameEquals?.Name.Identifier.ValueText == name);
            return named is not null ? LocationInfo.From(named.Expression) : LocationInfo.From(syntax);
        }

        return position < arguments.Arguments.Count && arguments.Arguments[position].NameEquals is null
            ? LocationInfo.From(arguments.Arguments[position].Expression)
            : LocationInfo.From(syntax);
    }

    private static string UniqueHandlerName(string methodName, HashSet<string> taken)
    {
        string stem = "Handle" + (methodName.EndsWith("Async", System.StringComparison.Ordinal) && methodName.Length > 5
            ? methodName.Substring(0, methodName.Length - 5)
            : methodName);
        string name = stem + "Async";
        for (int i = 2; !taken.Add(name); i++)
        {
            name = stem + i.ToString(CultureInfo.InvariantCulture) + "Async";
        }

        return name;
    }

    /// <summary>A name as a C# identifier: keywords escaped with <c>@</c>.</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static bool IsNullable(ITypeSymbol type)
        => type.IsReferenceType
            ? type.NullableAnnotation != NullableAnnotation.NotAnnotated
            : type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    private static string FormatDouble(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e', 'N', 'I']) >= 0 ? text : text + ".0";
    }

    /// <summary>A parameter's default value as a C# expression of its type.</summary>
    private static string FormatDefaultValue(ITypeSymbol type, object? value)
    {
        ITypeSymbol underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;
        if (value is null)
        {
            return type.IsValueType && SymbolEqualityComparer.Default.Equals(underlying, type) ? "default" : "null";
        }

        if (underlying.TypeKind == TypeKind.Enum)
        {
            string enumType = underlying.ToDisplayString(TypeFormat);
            IFieldSymbol? member = underlying.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(field => field.HasConstantValue && Equals(field.ConstantValue, value));
            return member is not null ? enumType + "." + Identifier(member.Name) : "(" + enumType + ")(" + FormatLiteral(value) + ")";
        }

        return FormatLiteral(value);
    }

    private static string FormatLiteral(object value) => value switch
    {
        string text => SymbolDisplay.FormatLiteral(text, quote: true),
        char character => SymbolDisplay.FormatLiteral(character, quote: true),
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        uint number => number.ToString(CultureInfo.InvariantCulture) + "U",
        ulong number => number.ToString(CultureInfo.InvariantCulture) + "UL",
        short number => "(short)" + number.ToString(CultureInfo.InvariantCulture),
        ushort number => "(ushort)" + number.ToString(CultureInfo.InvariantCulture),
        byte number => "(byte)" + number.ToString(CultureInfo.InvariantCulture),
        sbyte number => "(sbyte)" + number.ToString(CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture) + "M",
        float number when float.IsNaN(number) => "float.NaN",
        float number when float.IsPositiveInfinity(number) => "float.PositiveInfinity",
        float number when float.IsNegativeInfinity(number) => "float.NegativeInfinity",
        float number => number.ToString("R", CultureInfo.InvariantCulture) + "F",
        double number when double.IsNaN(number) => "double.NaN",
        double number when double.IsPositiveInfinity(number) => "double.PositiveInfinity",
        double number when double.IsNegativeInfinity(number) => "double.NegativeInfinity",
        double number => number.ToString("R", CultureInfo.InvariantCulture) + "D",
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "default",
    };

    private static TypeRefModel TypeRef(ITypeSymbol type, TypeInfoResolver typeInfos)
    {
        string name = type.ToDisplayString(AnnotatedTypeFormat);
        string key = type.ToDisplayString(TypeFormat);
        return new TypeRefModel(name, typeInfos.Expression(key), name == key);
    }

    /// <summary>
    /// Where the <c>JsonTypeInfo&lt;T&gt;</c> of a type comes from: a property of the generated context's <c>Default</c>
    /// (<paramref name="owner"/> is the context class), or the <c>Get&lt;T&gt;()</c> of the helper over the user's context
    /// (<paramref name="owner"/> is the helper class).
    /// </summary>
    private sealed class TypeInfoResolver(JsonContextModel? generated, string owner)
    {
        public string Expression(string fullyQualifiedType)
            => generated is not null
                ? owner + ".Default." + JsonContextEmitter.PropertyNameFor(generated, fullyQualifiedType)
                : owner + ".Get<" + fullyQualifiedType + ">()";
    }

    private sealed record ParameterDraft(IParameterSymbol Symbol, string JsonName, LocationInfo? TypeLocation);

    /// <summary>A method as parsed, still holding symbols; turned into a <see cref="MethodModel"/> once the JSON context is known.</summary>
    private sealed class MethodDraft(
        IMethodSymbol symbol,
        string displayName,
        string topic,
        LocationInfo? topicLocation,
        CallKind kind,
        ITypeSymbol? resultType,
        LocationInfo? resultLocation,
        string? timeout,
        List<ParameterDraft> parameters,
        string? cancellationTokenName,
        bool declaredByContract)
    {
        public string Name => symbol.Name;

        public string DisplayName => displayName;

        public string Topic => topic;

        public LocationInfo? TopicLocation => topicLocation;

        public IEnumerable<(ITypeSymbol Type, LocationInfo? UsedAt, string UsedBy)> Roots()
        {
            foreach (ParameterDraft parameter in parameters)
            {
                yield return (parameter.Symbol.Type, parameter.TypeLocation, displayName);
            }

            if (resultType is not null)
            {
                yield return (resultType, resultLocation, displayName);
            }
        }

        public MethodModel ToModel(TypeInfoResolver typeInfos, string handlerName)
        {
            var parameterModels = parameters.Select(parameter =>
            {
                IParameterSymbol p = parameter.Symbol;
                bool nullable = IsNullable(p.Type);
                string? defaultValue = p.HasExplicitDefaultValue ? FormatDefaultValue(p.Type, p.ExplicitDefaultValue) : null;
                ArgumentRead read = nullable ? ArgumentRead.Optional
                    : defaultValue is null ? ArgumentRead.Required
                    : p.Type.IsReferenceType && defaultValue != "null" ? ArgumentRead.OptionalNotNull
                    : ArgumentRead.Optional;
                return new ParameterModel(Identifier(p.Name), parameter.JsonName, TypeRef(p.Type, typeInfos), read, defaultValue);
            });

            ResultModel? result = resultType is null
                ? null
                : new ResultModel(TypeRef(resultType, typeInfos), IsNullable(resultType), resultType.IsReferenceType);

            return new MethodModel(
                symbol.Name,
                handlerName,
                topic,
                kind,
                symbol.ReturnType.ToDisplayString(AnnotatedTypeFormat),
                result,
                timeout,
                parameterModels.ToEquatableArray(),
                cancellationTokenName,
                symbol.ContainingType.ToDisplayString(TypeFormat),
                declaredByContract);
        }
    }
}
