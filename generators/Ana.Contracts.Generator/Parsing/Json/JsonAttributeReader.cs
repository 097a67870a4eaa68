using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>What a property's attributes say about its JSON.</summary>
/// <param name="JsonName">From <c>[JsonPropertyName]</c>.</param>
/// <param name="Order">From <c>[JsonPropertyOrder]</c>.</param>
/// <param name="IgnoreCondition">From <c>[JsonIgnore]</c>.</param>
/// <param name="IsJsonRequired">Whether it carries <c>[JsonRequired]</c>.</param>
/// <param name="Problem">Why the generated context cannot serialize the property (an unsupported attribute), or <see langword="null"/>.</param>
internal readonly record struct JsonPropertyAttributes(string? JsonName, int? Order, JsonIgnoreConditionKind? IgnoreCondition, bool IsJsonRequired, string? Problem);

/// <summary>What <c>[JsonPolymorphic]</c> and <c>[JsonDerivedType]</c> declare on a base type.</summary>
/// <param name="DiscriminatorName">The discriminator property, as declared (no naming policy applies to it).</param>
/// <param name="DerivedTypes">Each derived type and its discriminator value as text (<see langword="null"/>: none).</param>
internal sealed record JsonPolymorphism(string DiscriminatorName, List<(ITypeSymbol Type, string? Discriminator, bool DiscriminatorIsNumber)> DerivedTypes);

/// <summary>
/// Reads the System.Text.Json attributes of types, properties and constructors, matched by symbol
/// (<see cref="KnownSymbols.JsonAttribute"/>), and says which of them the generated context does not support.
/// </summary>
internal sealed class JsonAttributeReader(KnownSymbols known)
{
    /// <summary>
    /// Whether an enum's member names go through the naming policy (<see langword="false"/> under
    /// <c>[JsonConverter(typeof(JsonStringEnumConverter))]</c>, as in System.Text.Json); <paramref name="problem"/> is set for any other converter.
    /// </summary>
    public bool EnumUsesNamingPolicy(INamedTypeSymbol type, out string? problem)
    {
        problem = null;
        bool namingPolicy = true;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (known.JsonAttribute(attribute) != JsonAttributeKind.Converter)
            {
                continue;
            }

            if (attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol converterType
                && known.IsStringEnumConverter(converterType))
            {
                namingPolicy = false;
            }
            else
            {
                problem = "custom converters ([JsonConverter]) are not supported; only JsonStringEnumConverter is accepted on an enum";
                return namingPolicy;
            }
        }

        return namingPolicy;
    }

    /// <summary>
    /// The names an enum's members are written with, in declaration order: <c>[JsonStringEnumMemberName]</c> (.NET 9 and
    /// later), else the member's name through <paramref name="namingPolicy"/> when the enum uses it.
    /// </summary>
    public EquatableArray<string> EnumMemberNames(INamedTypeSymbol type, JsonNamingPolicyKind namingPolicy, bool usesNamingPolicy)
    {
        List<string> names = [];
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IFieldSymbol { HasConstantValue: true, IsStatic: true } field)
            {
                continue;
            }

            string? declared = null;
            foreach (AttributeData attribute in field.GetAttributes())
            {
                if (known.JsonAttribute(attribute) == JsonAttributeKind.StringEnumMemberName && attribute.ConstructorArguments.Length == 1)
                {
                    declared = attribute.ConstructorArguments[0].Value as string;
                }
            }

            names.Add(declared ?? (usesNamingPolicy ? JsonNaming.Convert(field.Name, namingPolicy) : field.Name));
        }

        return names.ToEquatableArray();
    }

    /// <summary>Why the attributes of a class, record or struct keep it out of the generated context, or <see langword="null"/>.</summary>
    public string? ObjectProblem(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            switch (known.JsonAttribute(attribute))
            {
                case JsonAttributeKind.Converter:
                    return "custom converters ([JsonConverter]) are not supported by the generated JSON context";
                case JsonAttributeKind.NumberHandling:
                case JsonAttributeKind.ObjectCreationHandling:
                case JsonAttributeKind.UnmappedMemberHandling:
                    return NotSupported(attribute);
                default:
                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// The polymorphism a type declares: its <c>[JsonDerivedType]</c>s (type and discriminator as written: a string, an
    /// int, or none) and the discriminator property of <c>[JsonPolymorphic]</c> (<c>$type</c> when not set), or
    /// <see langword="null"/> when it declares no derived type. System.Text.Json reads the same attributes at run time.
    /// </summary>
    public JsonPolymorphism? ReadPolymorphism(INamedTypeSymbol type)
    {
        string discriminatorName = "$type";
        List<(ITypeSymbol Type, string? Discriminator, bool DiscriminatorIsNumber)> derived = [];
        foreach (AttributeData attribute in type.GetAttributes())
        {
            switch (known.JsonAttribute(attribute))
            {
                case JsonAttributeKind.Polymorphic:
                    foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                    {
                        if (argument.Key == "TypeDiscriminatorPropertyName" && argument.Value.Value is string name)
                        {
                            discriminatorName = name;
                        }
                    }

                    break;
                case JsonAttributeKind.DerivedType when attribute.ConstructorArguments.Length >= 1 && attribute.ConstructorArguments[0].Value is ITypeSymbol derivedType:
                    string? discriminator = attribute.ConstructorArguments.Length == 2
                        ? attribute.ConstructorArguments[1].Value switch
                        {
                            string text => text,
                            int number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            _ => null,
                        }
                        : null;
                    derived.Add((derivedType, discriminator, attribute.ConstructorArguments.Length == 2 && attribute.ConstructorArguments[1].Value is int));
                    break;
                default:
                    break;
            }
        }

        return derived.Count == 0 ? null : new JsonPolymorphism(discriminatorName, derived);
    }

    public JsonPropertyAttributes ReadProperty(IPropertySymbol property)
    {
        string? jsonName = null;
        int? order = null;
        JsonIgnoreConditionKind? ignoreCondition = null;
        bool jsonRequired = false;
        foreach (AttributeData attribute in property.GetAttributes())
        {
            switch (known.JsonAttribute(attribute))
            {
                case JsonAttributeKind.PropertyName:
                    jsonName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                    break;
                case JsonAttributeKind.PropertyOrder:
                    order = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int value ? value : null;
                    break;
                case JsonAttributeKind.Required:
                    jsonRequired = true;
                    break;
                case JsonAttributeKind.Ignore:
                    ignoreCondition = IgnoreCondition(attribute);
                    break;
                case JsonAttributeKind.Converter:
                    return Unsupported("custom converters ([JsonConverter]) on properties are not supported by the generated JSON context");
                case JsonAttributeKind.ExtensionData:
                    return Unsupported("[JsonExtensionData] is not supported by the generated JSON context");
                case JsonAttributeKind.NumberHandling:
                case JsonAttributeKind.ObjectCreationHandling:
                    return Unsupported(NotSupported(attribute));
                default:
                    break;
            }
        }

        return new JsonPropertyAttributes(jsonName, order, ignoreCondition, jsonRequired, Problem: null);
    }

    public bool Has(ISymbol symbol, JsonAttributeKind kind)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (known.JsonAttribute(attribute) == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The <c>Condition</c> of <c>[JsonIgnore]</c>: <see cref="JsonIgnoreConditionKind.Always"/> when absent or unknown.</summary>
    private static JsonIgnoreConditionKind IgnoreCondition(AttributeData attribute)
    {
        JsonIgnoreConditionKind condition = JsonIgnoreConditionKind.Always;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "Condition" && argument.Value.Value is int value)
            {
                condition = value is >= (int)JsonIgnoreConditionKind.Never and <= (int)JsonIgnoreConditionKind.WhenWritingNull
                    ? (JsonIgnoreConditionKind)value
                    : JsonIgnoreConditionKind.Always;
            }
        }

        return condition;
    }

    private static JsonPropertyAttributes Unsupported(string problem) => new(null, null, null, false, problem);

    private static string NotSupported(AttributeData attribute)
        => $"[{attribute.AttributeClass!.Name.Replace("Attribute", string.Empty)}] is not supported by the generated JSON context";
}
