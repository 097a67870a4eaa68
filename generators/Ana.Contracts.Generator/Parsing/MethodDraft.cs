using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>A parameter as parsed: its symbol, its JSON key, and where its type is written (ANA007 points there).</summary>
internal sealed record ParameterDraft(IParameterSymbol Symbol, string JsonName, LocationInfo? TypeLocation);

/// <summary>A method as parsed, still holding symbols; turned into a <see cref="MethodModel"/> once the JSON context is known.</summary>
internal sealed class MethodDraft(
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

    /// <summary>The method with its parameters, e.g. <c>IFoo.SendAsync(string topic, int times)</c>.</summary>
    public string Signature => symbol.ToDisplayString(TypeFormats.Signature);

    public string Topic => topic;

    public LocationInfo? TopicLocation => topicLocation;

    /// <summary>The types the method exchanges (its parameters' and its result's): the roots of the contract's JSON context.</summary>
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
        IEnumerable<ParameterModel> parameterModels = parameters.Select(parameter =>
        {
            IParameterSymbol p = parameter.Symbol;
            bool nullable = IsNullable(p.Type);
            string? defaultValue = p.HasExplicitDefaultValue ? DefaultValue(p.Type, p.ExplicitDefaultValue) : null;
            ArgumentRead read = nullable ? ArgumentRead.Optional
                : defaultValue is null ? ArgumentRead.Required
                : p.Type.IsReferenceType && defaultValue != "null" ? ArgumentRead.OptionalNotNull
                : ArgumentRead.Optional;
            return new ParameterModel(CSharpLiteral.Identifier(p.Name), parameter.JsonName, typeInfos.TypeRef(p.Type), read, defaultValue);
        });

        ResultModel? result = resultType is null
            ? null
            : new ResultModel(typeInfos.TypeRef(resultType), IsNullable(resultType), resultType.IsReferenceType);

        return new MethodModel(
            symbol.Name,
            handlerName,
            topic,
            kind,
            symbol.ReturnType.ToDisplayString(TypeFormats.FullyQualifiedAnnotated),
            result,
            timeout,
            parameterModels.ToEquatableArray(),
            cancellationTokenName,
            symbol.ContainingType.ToDisplayString(TypeFormats.FullyQualified),
            declaredByContract);
    }

    private static bool IsNullable(ITypeSymbol type)
        => type.IsReferenceType
            ? type.NullableAnnotation != NullableAnnotation.NotAnnotated
            : type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    /// <summary>A parameter's default value as a C# expression in an argument position of its type.</summary>
    private static string DefaultValue(ITypeSymbol type, object? value)
    {
        if (value is not null)
        {
            return CSharpLiteral.Constant(type, value);
        }

        return type.IsValueType && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
    }
}
