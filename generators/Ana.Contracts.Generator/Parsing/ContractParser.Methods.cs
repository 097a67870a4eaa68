using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>The contract's members: each abstract method becomes a <see cref="MethodDraft"/>; anything else is reported.</summary>
internal sealed partial class ContractParser
{
    private MethodDraft? ParseMember(
        ISymbol member, INamedTypeSymbol contract, JsonNamingPolicyKind namingPolicy, string? contractTimeout, string? contractHeartbeat, LocationInfo? contractIdentifier)
    {
        // Static members and members with a body (default implementations) are not part of the wire contract.
        if (member.IsStatic || !member.IsAbstract)
        {
            return null;
        }

        string memberName = _names.Of(member.ContainingType, TypeFormats.Short) + "." + member.Name;
        switch (member)
        {
            case IPropertySymbol { IsIndexer: true } indexer:
                Report(DiagnosticDescriptors.NonMethodMember, LocationOf(indexer, contractIdentifier), indexer.ContainingType.ToDisplayString(TypeFormats.Short) + ".this[]");
                return null;
            case IPropertySymbol or IEventSymbol:
                Report(DiagnosticDescriptors.NonMethodMember, LocationOf(member, contractIdentifier), memberName);
                return null;
            case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                return ParseMethod(method, memberName, contract, namingPolicy, contractTimeout, contractHeartbeat, contractIdentifier);
            default:
                return null;
        }
    }

    private MethodDraft? ParseMethod(
        IMethodSymbol method, string methodName, INamedTypeSymbol contract, JsonNamingPolicyKind namingPolicy, string? contractTimeout, string? contractHeartbeat, LocationInfo? contractIdentifier)
    {
        int before = _diagnostics.Count;
        MethodDeclarationSyntax? syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
        LocationInfo? nameLocation = syntax is not null ? LocationInfo.From(syntax.Identifier.GetLocation()) : contractIdentifier;
        LocationInfo? returnLocation = syntax is not null ? LocationInfo.From(syntax.ReturnType) : contractIdentifier;

        if (method.IsGenericMethod)
        {
            LocationInfo? location = syntax?.TypeParameterList is { } typeParameters ? LocationInfo.From(typeParameters) : nameLocation;
            Report(DiagnosticDescriptors.GenericMethod, location, methodName);
        }

        // The return type says how the call goes.
        ITypeSymbol returnType = method.ReturnType;
        ITypeSymbol? resultType = null;
        bool returnsTask = false, streams = false;
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
            else if (named.IsGenericType && KnownSymbols.Is(named.OriginalDefinition, known.AsyncEnumerableOfT))
            {
                returnsTask = streams = true;
                resultType = named.TypeArguments[0];
            }
        }

        if (!returnsTask)
        {
            Report(DiagnosticDescriptors.UnsupportedReturnType, returnLocation, methodName, returnType.ToDisplayString(TypeFormats.Short));
        }

        bool oneWay = KnownSymbols.Find(method, known.AnaOneWayAttribute) is not null;
        if (oneWay && streams)
        {
            Report(DiagnosticDescriptors.OneWayStream, returnLocation, methodName);
        }
        else if (oneWay && resultType is not null)
        {
            Report(DiagnosticDescriptors.OneWayReturnsValue, returnLocation, methodName);
        }

        int? streamWindow = ReadStreamWindow(method, methodName, streams, nameLocation);
        AttributeData? durableAttribute = KnownSymbols.Find(method, known.AnaDurableAttribute);
        string? heartbeat = ReadHeartbeat(method, methodName, nameLocation, waitsForReply: !oneWay)
            ?? (!oneWay && durableAttribute is null ? contractHeartbeat : null);
        DurableModel? durable = durableAttribute is null ? null : ReadDurable(durableAttribute, methodName, streams, heartbeat, nameLocation);

        (string topic, LocationInfo? topicLocation) = ReadTopic(method, methodName, nameLocation);
        string? timeout = ReadTimeout(method, methodName, nameLocation) ?? contractTimeout;

        // The parameters: any number, then optionally one CancellationToken, last.
        List<ParameterDraft> parameters = new();
        Dictionary<string, string> jsonNames = new(StringComparer.Ordinal);
        string? cancellationTokenName = null;
        bool cancellationTokenHasDefault = false;
        ProgressDraft? progress = null;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            ParameterSyntax? parameterSyntax = syntax is not null && parameter.Ordinal < syntax.ParameterList.Parameters.Count
                ? syntax.ParameterList.Parameters[parameter.Ordinal]
                : null;
            LocationInfo? parameterLocation = parameterSyntax is not null ? LocationInfo.From(parameterSyntax) : nameLocation;
            if (parameter.Type is INamedTypeSymbol { IsGenericType: true } progressType && KnownSymbols.Is(progressType.OriginalDefinition, known.ProgressOfT)
                && parameter.RefKind == RefKind.None && cancellationTokenName is null)
            {
                // Reports travel back as the call runs; the parameter is not part of the arguments' JSON.
                if (progress is not null)
                {
                    Report(DiagnosticDescriptors.TwoProgressParameters, parameterLocation, methodName, progress.Symbol.Name, parameter.Name);
                }
                else if (oneWay || streams)
                {
                    Report(DiagnosticDescriptors.ProgressWithoutReply, parameterLocation, methodName, parameter.Name, oneWay ? "it is one-way: nothing waits for its reply" : "it streams its results");
                }
                else
                {
                    LocationInfo? reportLocation = parameterSyntax?.Type is { } progressSyntax ? LocationInfo.From(progressSyntax) : parameterLocation;
                    progress = new ProgressDraft(parameter, progressType.TypeArguments[0], parameters.Count, reportLocation);
                }

                continue;
            }

            string? problem = ParameterProblem(parameter, cancellationTokenName);
            string jsonName = JsonNaming.Convert(parameter.Name, namingPolicy);
            if (problem is null && !KnownSymbols.Is(parameter.Type, known.CancellationToken) && jsonNames.TryGetValue(jsonName, out string? other))
            {
                problem = $"its JSON key '{jsonName}' is already the key of parameter '{other}'";
            }

            if (problem is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedParameter, parameterLocation, parameter.Name, methodName, problem);
                continue;
            }

            if (KnownSymbols.Is(parameter.Type, known.CancellationToken))
            {
                cancellationTokenName = parameter.Name;
                cancellationTokenHasDefault = parameterSyntax is not null ? parameterSyntax.Default is not null : parameter.HasExplicitDefaultValue;
                continue;
            }

            jsonNames[jsonName] = parameter.Name;
            LocationInfo? typeLocation = parameterSyntax?.Type is { } typeSyntax ? LocationInfo.From(typeSyntax) : parameterLocation;
            parameters.Add(new ParameterDraft(parameter, jsonName, typeLocation));
        }

        if (durable is not null && progress is not null)
        {
            Report(DiagnosticDescriptors.InvalidDurable, progress.TypeLocation, methodName, $"it reports progress through '{progress.Symbol.Name}', and a stored call has one reply, published on the agent's reply subject");
        }

        if (_diagnostics.Count > before)
        {
            return null;
        }

        CallKind kind = streams ? CallKind.Stream : oneWay ? CallKind.OneWay : resultType is null ? CallKind.Completion : CallKind.Query;
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
            cancellationTokenName is null ? null : CSharpLiteral.Identifier(cancellationTokenName),
            cancellationTokenHasDefault,
            SymbolEqualityComparer.Default.Equals(method.ContainingType, contract),
            streamWindow,
            progress,
            heartbeat,
            durable);
    }

    /// <summary>The method's <c>[AnaHeartbeat]</c> as a C# double literal: greater than zero, within the timeout range, on a method that waits for an answer (not one-way).</summary>
    private string? ReadHeartbeat(ISymbol symbol, string displayName, LocationInfo? fallback, bool waitsForReply)
    {
        AttributeData? attribute = KnownSymbols.Find(symbol, known.AnaHeartbeatAttribute);
        if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not double seconds)
        {
            return null;
        }

        string literal = FormatSeconds(seconds);
        string? problem = double.IsNaN(seconds) || double.IsInfinity(seconds) ? "it is not a finite number of seconds"
            : seconds <= 0 ? "it must be greater than zero"
            : seconds < MinTimeoutSeconds ? "it is shorter than 1 millisecond, the shortest deadline"
            : seconds > MaxTimeoutSeconds ? "it is longer than 24 days (2,073,600 s), the longest deadline"
            : symbol is IMethodSymbol && !waitsForReply ? "the method is one-way: nothing waits for its answer"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidHeartbeat, ArgumentLocation(attribute, 0, null) ?? fallback, literal, displayName, problem);
            return null;
        }

        return literal;
    }

    /// <summary>
    /// The method's <c>[AnaDurable]</c>: on a method with one stored message and one reply (no stream, no heartbeats —
    /// progress is checked with the parameters), at least one attempt, a first retry delay of more than zero and at most a
    /// minute. <see langword="null"/> once reported.
    /// </summary>
    private DurableModel? ReadDurable(AttributeData attribute, string methodName, bool streams, string? heartbeat, LocationInfo? nameLocation)
    {
        int maxAttempts = 5;
        double retryDelay = 1;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "MaxAttempts" && named.Value.Value is int attempts)
            {
                maxAttempts = attempts;
            }
            else if (named.Key == "RetryDelaySeconds" && named.Value.Value is double seconds)
            {
                retryDelay = seconds;
            }
        }

        LocationInfo? location = attribute.ApplicationSyntaxReference is { } reference ? LocationInfo.From(reference.GetSyntax(cancellationToken)) : nameLocation;
        (string? problem, string? argument) = streams ? ("it streams its results (IAsyncEnumerable<T>), and a stored call has one reply", null)
            : heartbeat is not null ? ("it has [AnaHeartbeat], and heartbeats go to the caller's inbox, which a stored call does not carry", null)
            : maxAttempts < 1 ? ($"MaxAttempts is {Invariant(maxAttempts)}; it must be at least 1", "MaxAttempts")
            : double.IsNaN(retryDelay) || retryDelay <= 0 || retryDelay > 60 ? ($"RetryDelaySeconds is {FormatSeconds(retryDelay)}; it must be greater than 0 and at most 60", "RetryDelaySeconds")
            : ((string?)null, (string?)null);
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidDurable, argument is null ? location : ArgumentLocation(attribute, -1, argument) ?? location, methodName, problem);
            return null;
        }

        return new DurableModel(maxAttempts, FormatSeconds(retryDelay));
    }

    /// <summary>The method's <c>[AnaStreamWindow]</c>: at least 1, and only on a method that streams.</summary>
    private int? ReadStreamWindow(IMethodSymbol method, string methodName, bool streams, LocationInfo? nameLocation)
    {
        AttributeData? attribute = KnownSymbols.Find(method, known.AnaStreamWindowAttribute);
        if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not int items)
        {
            return null;
        }

        string? problem = !streams ? "the method does not stream its results (it does not return IAsyncEnumerable<T>)"
            : items < 1 ? "it must be at least 1 item"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidStreamWindow, ArgumentLocation(attribute, 0, null) ?? nameLocation, Invariant(items), methodName, problem);
            return null;
        }

        return items;
    }

    /// <summary>The method's topic: <c>[AnaTopic]</c>'s, else derived from its name; reported when not a valid subject.</summary>
    private (string Topic, LocationInfo? Location) ReadTopic(IMethodSymbol method, string methodName, LocationInfo? nameLocation)
    {
        if (KnownSymbols.Find(method, known.AnaTopicAttribute) is { } topicAttribute)
        {
            string topic = topicAttribute.ConstructorArguments.Length == 1 && topicAttribute.ConstructorArguments[0].Value is string value ? value : string.Empty;
            LocationInfo? location = ArgumentLocation(topicAttribute, 0, null) ?? nameLocation;
            string? problem = topicAttribute.ConstructorArguments[0].IsNull ? "it is null" : SubjectTokenRules.FindProblem(topic, allowDots: true);
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.InvalidTopic, location, topic, methodName, problem);
            }
            else
            {
                ReportTopicOverCap(topic, methodName, location);
            }

            return (topic, location);
        }

        string derived = TopicNaming.FromMethodName(method.Name);
        if (SubjectTokenRules.FindProblem(derived, allowDots: true) is { } derivedProblem)
        {
            Report(DiagnosticDescriptors.InvalidTopic, nameLocation, derived, methodName, derivedProblem);
        }
        else
        {
            ReportTopicOverCap(derived, methodName, nameLocation);
        }

        return (derived, nameLocation);
    }

    private void ReportTopicOverCap(string topic, string methodName, LocationInfo? location)
    {
        if (SubjectTokenRules.LengthOverCap(topic, SubjectTokenRules.MaxTopicBytes) is { } bytes)
        {
            Report(DiagnosticDescriptors.NameTooLong, location, "topic", SubjectTokenRules.Shortened(topic), methodName, Invariant(bytes), "a topic", Invariant(SubjectTokenRules.MaxTopicBytes));
        }
    }

    private string? ParameterProblem(IParameterSymbol parameter, string? cancellationTokenSeen)
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
            return $"its type '{parameter.Type.ToDisplayString(TypeFormats.Short)}' is a ref struct, which cannot cross an await";
        }

        return null;
    }
}
