using System.Globalization;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>
/// Turns an <c>[AnaAgent]</c> interface into a <see cref="ContractModel"/>, checking every rule of the diagnostic
/// catalogue on the way. Symbols are used here and nowhere after: the result holds only strings and values.
/// One parser parses one contract; the <see cref="KnownSymbols"/> it is given are shared by the compilation's contracts.
/// </summary>
internal sealed partial class ContractParser(KnownSymbols known, CancellationToken cancellationToken)
{
    // A timeout's bounds, the runtime's (CallTimeouts in src/Ana): 1 ms to 24 days.
    private const double MinTimeoutSeconds = 0.001;
    private const double MaxTimeoutSeconds = 24 * 24 * 60 * 60;

    private readonly List<DiagnosticInfo> _diagnostics = [];
    private readonly TypeNames _names = known.Names;

    public ContractParseResult Parse(GeneratorAttributeSyntaxContext context)
    {
        INamedTypeSymbol contract = (INamedTypeSymbol)context.TargetSymbol;
        InterfaceDeclarationSyntax declaration = (InterfaceDeclarationSyntax)context.TargetNode;
        string displayName = contract.ToDisplayString(TypeFormats.Short);
        LocationInfo? identifier = LocationInfo.From(declaration.Identifier.GetLocation());

        // The contract itself: partial, placed where generated code can go, a valid agent name.
        bool placementValid = CheckPlacement(contract, declaration, displayName, identifier);
        AttributeData agentAttribute = context.Attributes[0];
        string agentName = ReadAgentName(agentAttribute, displayName, identifier);
        JsonNamingPolicyKind namingPolicy = ReadNamingPolicy(agentAttribute);
        string? userJsonContext = ReadJsonContext(agentAttribute, displayName, identifier, namingPolicy, contract);
        string? contractTimeout = ReadTimeout(contract, displayName, identifier);
        string? contractHeartbeat = ReadHeartbeat(contract, displayName, identifier, waitsForReply: true);

        // Its methods, including those of the interfaces it extends (the client implements them all).
        List<MethodDraft> methods = new();
        foreach (INamedTypeSymbol type in new[] { contract }.Concat(contract.AllInterfaces))
        {
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ParseMember(member, contract, namingPolicy, contractTimeout, contractHeartbeat, identifier) is { } method)
                {
                    methods.Add(method);
                }
            }
        }

        CheckDuplicateTopics(methods);

        string? contractNamespace = contract.ContainingNamespace.IsGlobalNamespace ? null : contract.ContainingNamespace.ToDisplayString();
        string jsonContextClassName = JsonContextClassName(contract);

        // The shapes of every type the contract exchanges: the JSON context to generate, and what the JSON Schemas
        // describe. Under a context of the user's only the latter (the walk's diagnostics are that context's business).
        JsonContextModel? wireShapes = null;
        JsonContextModel? jsonContext = null;
        if (placementValid)
        {
            wireShapes = JsonContextModelBuilder.Build(
                contractNamespace,
                jsonContextClassName,
                "internal",
                namingPolicy,
                methods.SelectMany(method => method.Roots()),
                known,
                cancellationToken,
                _names);
            if (userJsonContext is null)
            {
                jsonContext = wireShapes;
                _diagnostics.AddRange(jsonContext.Diagnostics);
            }
        }

        // Errors stop generation; warnings (ANA015, ANA017) do not.
        if (_diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
        {
            return new ContractParseResult(null, _diagnostics.ToEquatableArray());
        }

        string fullyQualifiedName = contract.ToDisplayString(TypeFormats.FullyQualified);
        TypeInfoResolver typeInfos = jsonContext is not null
            ? new TypeInfoResolver(jsonContext, (contractNamespace is null ? "global::" : "global::" + contractNamespace + ".") + jsonContextClassName, _names)
            : new TypeInfoResolver(null, fullyQualifiedName + ".JsonTypeInfos", _names);
        HashSet<string> handlerNames = new(StringComparer.Ordinal);
        EquatableArray<MethodModel> methodModels = methods
            .Select(method => method.ToModel(typeInfos, UniqueHandlerName(method.Name, handlerNames)))
            .ToEquatableArray();

        ContractModel model = new(
            contractNamespace,
            ContainingTypes(contract),
            contract.Name,
            fullyQualifiedName,
            displayName,
            fullyQualifiedName.Replace("global::", string.Empty),
            agentName,
            methodModels,
            jsonContext,
            userJsonContext,
            ReadVersion(agentAttribute),
            HiddenNestedTypes(contract, userJsonContext is not null),
            wireShapes!);
        string file = declaration.SyntaxTree.FilePath;
        ContractSite site = new(MetadataName(contract), string.IsNullOrEmpty(file) ? string.Empty : System.IO.Path.GetDirectoryName(file) ?? string.Empty);
        return new ContractParseResult(model, _diagnostics.ToEquatableArray(), site);
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

    /// <summary>The name <c>Compilation.GetTypeByMetadataName</c> finds the contract by: <c>Demo.Outer+IInner</c>.</summary>
    private static string MetadataName(INamedTypeSymbol contract)
    {
        string name = contract.MetadataName;
        for (INamedTypeSymbol? outer = contract.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        return contract.ContainingNamespace.IsGlobalNamespace ? name : contract.ContainingNamespace.ToDisplayString() + "." + name;
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, messageArgs));

    private bool CheckPlacement(INamedTypeSymbol contract, InterfaceDeclarationSyntax declaration, string displayName, LocationInfo? identifier)
    {
        int before = _diagnostics.Count;
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            Report(DiagnosticDescriptors.ContractNotPartial, identifier, displayName);
        }

        if (contract.Arity > 0)
        {
            Report(DiagnosticDescriptors.ContractNestingNotSupported, identifier, displayName, "it is generic; a contract has no type parameters");
        }

        for (INamedTypeSymbol? outer = contract.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string outerName = outer.ToDisplayString(TypeFormats.Short);
            if (outer.Arity > 0)
            {
                Report(DiagnosticDescriptors.ContractNestingNotSupported, identifier, displayName, $"it is nested in '{outerName}', which is generic");
            }
            else if (!IsPartial(outer))
            {
                Report(DiagnosticDescriptors.ContractNestingNotSupported, identifier, displayName, $"it is nested in '{outerName}', which is not partial");
            }
        }

        for (INamedTypeSymbol? type = contract; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                string who = SymbolEqualityComparer.Default.Equals(type, contract) ? "it is" : $"'{type.ToDisplayString(TypeFormats.Short)}' is";
                Report(
                    DiagnosticDescriptors.ContractNestingNotSupported,
                    identifier,
                    displayName,
                    $"{who} {AccessibilityText(type.DeclaredAccessibility)}; a contract must be internal or public for its registration to run when the program starts");
                break;
            }
        }

        return _diagnostics.Count == before;
    }

    private bool IsPartial(INamedTypeSymbol type)
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

    private string ReadAgentName(AttributeData attribute, string displayName, LocationInfo? identifier)
    {
        string? name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        string? problem = name is null ? "it is null" : SubjectTokenRules.FindProblem(name, allowDots: false);
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidAgentName, ArgumentLocation(attribute, 0, null) ?? identifier, name ?? "null", displayName, problem);
        }
        else if (SubjectTokenRules.LengthOverCap(name!, SubjectTokenRules.MaxAgentBytes) is { } bytes)
        {
            Report(
                DiagnosticDescriptors.NameTooLong,
                ArgumentLocation(attribute, 0, null) ?? identifier,
                "agent name",
                SubjectTokenRules.Shortened(name!),
                displayName,
                Invariant(bytes),
                "an agent name",
                Invariant(SubjectTokenRules.MaxAgentBytes));
        }

        return name ?? string.Empty;
    }

    /// <summary>The <c>Version</c> named argument of <c>[AnaAgent]</c>; checked at run time, when discovery shows it.</summary>
    private static string? ReadVersion(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "Version" && argument.Value.Value is string version)
            {
                return version;
            }
        }

        return null;
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

    private string? ReadJsonContext(AttributeData attribute, string displayName, LocationInfo? identifier, JsonNamingPolicyKind namingPolicy, INamedTypeSymbol contract)
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
                LocationInfo? location = ArgumentLocation(attribute, -1, "JsonContext") ?? identifier;
                Report(DiagnosticDescriptors.InvalidJsonContext, location, type.ToDisplayString(TypeFormats.Short), displayName, problem);
                return null;
            }

            if (ConventionDifferences((INamedTypeSymbol)type, namingPolicy, UsesEnums(contract)) is { } differences)
            {
                LocationInfo? location = ArgumentLocation(attribute, -1, "JsonContext") ?? identifier;
                Report(DiagnosticDescriptors.UserContextConventions, location, type.ToDisplayString(TypeFormats.Short), displayName, differences);
            }

            return type.ToDisplayString(TypeFormats.FullyQualified);
        }

        return null;
    }

    /// <summary>
    /// What a user's context writes differently from the generated one (its <c>[JsonSourceGenerationOptions]</c> against
    /// the contract's naming policy, nulls left out, enums as strings), or <see langword="null"/> when nothing.
    /// </summary>
    private string? ConventionDifferences(INamedTypeSymbol context, JsonNamingPolicyKind namingPolicy, bool usesEnums)
    {
        int naming = 0;
        int ignoreCondition = 0;
        bool stringEnums = false;
        bool converters = false;
        foreach (AttributeData options in context.GetAttributes())
        {
            if (!KnownSymbols.Is(options.AttributeClass, known.JsonSourceGenerationOptionsAttribute))
            {
                continue;
            }

            // [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)] starts from camelCase names.
            if (options.ConstructorArguments.Length == 1 && options.ConstructorArguments[0].Value is int defaults && defaults == 1)
            {
                naming = (int)JsonNamingPolicyKind.CamelCase;
            }

            foreach (KeyValuePair<string, TypedConstant> argument in options.NamedArguments)
            {
                switch (argument.Key)
                {
                    case "PropertyNamingPolicy" when argument.Value.Value is int value:
                        naming = value;
                        break;
                    case "DefaultIgnoreCondition" when argument.Value.Value is int value:
                        ignoreCondition = value;
                        break;
                    case "UseStringEnumConverter" when argument.Value.Value is bool value:
                        stringEnums = value;
                        break;
                    case "Converters" when !argument.Value.IsNull && argument.Value.Values.Length > 0:
                        converters = true;
                        break;
                    default:
                        break;
                }
            }
        }

        List<string> differences = [];
        if (naming != (int)namingPolicy)
        {
            differences.Add($"property names are not {namingPolicy} (set PropertyNamingPolicy = JsonKnownNamingPolicy.{(namingPolicy == JsonNamingPolicyKind.None ? "Unspecified" : namingPolicy.ToString())})");
        }

        // JsonIgnoreCondition.WhenWritingNull is 3.
        if (ignoreCondition != 3)
        {
            differences.Add("null members are written as \"x\": null instead of left out (set DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)");
        }

        if (usesEnums && !stringEnums && !converters)
        {
            differences.Add("enums are written as numbers instead of strings (set UseStringEnumConverter = true, or add a JsonStringEnumConverter with the naming policy to Converters)");
        }
        else if (usesEnums && stringEnums && !converters && namingPolicy != JsonNamingPolicyKind.None)
        {
            differences.Add($"enum members keep their declared names instead of {namingPolicy} ones (add a JsonStringEnumConverter with the naming policy to Converters)");
        }

        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    /// <summary>Whether an enum crosses the wire in a call of <paramref name="contract"/> (parameters, results, and their members).</summary>
    private static bool UsesEnums(INamedTypeSymbol contract)
    {
        HashSet<ITypeSymbol> seen = new(SymbolEqualityComparer.Default);
        Stack<ITypeSymbol> pending = new();
        foreach (IMethodSymbol method in new[] { contract }.Concat(contract.AllInterfaces).SelectMany(t => t.GetMembers().OfType<IMethodSymbol>()))
        {
            pending.Push(method.ReturnType);
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                pending.Push(parameter.Type);
            }
        }

        while (pending.Count > 0)
        {
            ITypeSymbol type = pending.Pop();
            if (!seen.Add(type))
            {
                continue;
            }

            switch (type)
            {
                case { TypeKind: TypeKind.Enum }:
                    return true;
                case IArrayTypeSymbol array:
                    pending.Push(array.ElementType);
                    break;
                case INamedTypeSymbol named:
                    foreach (ITypeSymbol argument in named.TypeArguments)
                    {
                        pending.Push(argument);
                    }

                    string? ns = named.ContainingNamespace?.ToDisplayString();
                    if (ns is not null && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)))
                    {
                        break;
                    }

                    for (INamedTypeSymbol? current = named; current is not null; current = current.BaseType)
                    {
                        foreach (IPropertySymbol property in current.GetMembers().OfType<IPropertySymbol>())
                        {
                            if (!property.IsStatic)
                            {
                                pending.Push(property.Type);
                            }
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        return false;
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

    private string? ReadTimeout(ISymbol symbol, string displayName, LocationInfo? fallback)
    {
        AttributeData? attribute = KnownSymbols.Find(symbol, known.AnaTimeoutAttribute);
        if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not double seconds)
        {
            return null;
        }

        string literal = FormatSeconds(seconds);
        string? problem = double.IsNaN(seconds) || double.IsInfinity(seconds) ? "it is not a finite number of seconds"
            : seconds <= 0 ? "it must be greater than zero"
            : seconds < MinTimeoutSeconds ? "it is shorter than 1 millisecond, the shortest timeout"
            : seconds > MaxTimeoutSeconds ? "it is longer than 24 days (2,073,600 s), the longest timeout"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidTimeout, ArgumentLocation(attribute, 0, null) ?? fallback, literal, displayName, problem);
            return null;
        }

        return literal;
    }

    /// <summary>A timeout as a C# double literal without a suffix (<c>2.5</c>, <c>30.0</c>), as messages and generated code show it.</summary>
    private static string FormatSeconds(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e', 'N', 'I']) >= 0 ? text : text + ".0";
    }

    private EquatableArray<ContainingTypeModel> ContainingTypes(INamedTypeSymbol contract)
    {
        List<ContainingTypeModel> types = new();
        for (INamedTypeSymbol? outer = contract.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            TypeDeclarationSyntax syntax = (TypeDeclarationSyntax)outer.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            string keyword = syntax switch
            {
                RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            keyword = (syntax.Modifiers.Any(SyntaxKind.RefKeyword) ? "ref partial " : "partial ") + keyword;
            types.Insert(0, new ContainingTypeModel(keyword, outer.Name));
        }

        return types.ToEquatableArray();
    }

    private void CheckDuplicateTopics(List<MethodDraft> methods)
    {
        Dictionary<string, MethodDraft> seen = new(StringComparer.Ordinal);
        foreach (MethodDraft method in methods)
        {
            if (seen.TryGetValue(method.Topic, out MethodDraft? first))
            {
                Report(DiagnosticDescriptors.DuplicateTopic, method.TopicLocation, first.Signature, method.Signature, method.Topic);
            }
            else
            {
                seen.Add(method.Topic, method);
            }
        }
    }

    private static string UniqueHandlerName(string methodName, HashSet<string> taken)
    {
        string stem = "Handle" + (methodName.EndsWith("Async", StringComparison.Ordinal) && methodName.Length > 5
            ? methodName.Substring(0, methodName.Length - 5)
            : methodName);
        string name = stem + "Async";
        for (int i = 2; !taken.Add(name); i++)
        {
            name = stem + i.ToString(CultureInfo.InvariantCulture) + "Async";
        }

        return name;
    }

    /// <summary>Where a symbol is declared in source, else <paramref name="fallback"/>.</summary>
    private static LocationInfo? LocationOf(ISymbol symbol, LocationInfo? fallback)
        => symbol.Locations.FirstOrDefault(location => location.IsInSource) is { } location ? LocationInfo.From(location) : fallback;

    /// <summary>The location of an attribute's positional argument <paramref name="position"/>, or of its named argument <paramref name="name"/>.</summary>
    private LocationInfo? ArgumentLocation(AttributeData attribute, int position, string? name)
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
}
