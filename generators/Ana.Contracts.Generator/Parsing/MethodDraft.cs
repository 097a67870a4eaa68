using System.Text;
using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>A parameter as parsed: its symbol, its JSON key, and where its type is written (ANA007 points there).</summary>
internal sealed record ParameterDraft(IParameterSymbol Symbol, string JsonName, LocationInfo? TypeLocation);

/// <summary>A method's <c>IProgress&lt;T&gt;</c> parameter as parsed: <paramref name="Position"/> counts the <c>data</c> parameters before it.</summary>
internal sealed record ProgressDraft(IParameterSymbol Symbol, ITypeSymbol ReportType, int Position, LocationInfo? TypeLocation);

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
    bool cancellationTokenHasDefault,
    bool declaredByContract,
    int? streamWindow,
    ProgressDraft? progress,
    string? heartbeat,
    DurableModel? durable)
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

        if (progress is not null)
        {
            yield return (progress.ReportType, progress.TypeLocation, displayName);
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
            return new ParameterModel(CSharpLiteral.Identifier(p.Name), parameter.JsonName, typeInfos.TypeRef(p.Type), read, defaultValue, nullable);
        });

        ResultModel? result = resultType is null
            ? null
            : new ResultModel(typeInfos.TypeRef(resultType), IsNullable(resultType), resultType.IsReferenceType);

        return new MethodModel(
            symbol.Name,
            handlerName,
            topic,
            kind,
            typeInfos.Names.Of(symbol.ReturnType, TypeFormats.FullyQualifiedAnnotated),
            result,
            timeout,
            parameterModels.ToEquatableArray(),
            cancellationTokenName,
            typeInfos.Names.Of(symbol.ContainingType, TypeFormats.FullyQualified),
            declaredByContract,
            Declaration(typeInfos.Names),
            streamWindow,
            progress is null ? null : new ProgressModel(CSharpLiteral.Identifier(progress.Symbol.Name), typeInfos.TypeRef(progress.ReportType), progress.Position, typeInfos.Names.Of(progress.Symbol.Type, TypeFormats.FullyQualifiedAnnotated)),
            heartbeat,
            durable);
    }

    /// <summary>
    /// The method as declared, with types as the contract diagnostics name them and defaults as values:
    /// <c>Task&lt;Job&gt; SubmitAsync(string name, Priority priority = Priority.High, CancellationToken ct = default)</c>.
    /// </summary>
    private string Declaration(TypeNames names)
    {
        StringBuilder declaration = new();
        declaration.Append(names.Of(symbol.ReturnType, TypeFormats.Short)).Append(' ').Append(symbol.Name).Append('(');
        for (int i = 0; i < symbol.Parameters.Length; i++)
        {
            IParameterSymbol parameter = symbol.Parameters[i];
            string name = CSharpLiteral.Identifier(parameter.Name);
            declaration.Append(i == 0 ? string.Empty : ", ")
                .Append(parameter.IsParams ? "params " : string.Empty)
                .Append(names.Of(parameter.Type, TypeFormats.Short)).Append(' ')
                .Append(name);
            if (name == cancellationTokenName)
            {
                // Any default a token can have is `default`; asking the symbol for it would bind the default's
                // expression and run the nullable analysis over it in every compilation (the parser read the syntax).
                declaration.Append(cancellationTokenHasDefault ? " = default" : string.Empty);
            }
            else if (parameter.HasExplicitDefaultValue)
            {
                declaration.Append(" = ").Append(DeclaredDefault(parameter.Type, parameter.ExplicitDefaultValue));
            }
        }

        return declaration.Append(')').ToString();
    }

    private static string DeclaredDefault(ITypeSymbol type, object? value)
    {
        ITypeSymbol underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;
        if (value is null)
        {
            return type.IsValueType && underlying.Equals(type, SymbolEqualityComparer.Default) ? "default" : "null";
        }

        if (underlying.TypeKind == TypeKind.Enum)
        {
            string enumType = underlying.ToDisplayString(TypeFormats.Short);
            IFieldSymbol? member = underlying.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(field => field.HasConstantValue && Equals(field.ConstantValue, value));
            return member is not null ? enumType + "." + member.Name : "(" + enumType + ")" + SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false);
        }

        return SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
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
