using System.Text;
using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>
/// Names the context's <c>JsonTypeInfo&lt;T&gt;</c> properties like System.Text.Json's generator: <c>Job</c>, <c>Int64</c>,
/// <c>ListJob</c>, <c>DictionaryStringInt32</c>, <c>NullableInt32</c>, <c>JobArray</c>. Types whose short names clash
/// (<c>A.Job</c> and <c>B.Job</c>) are all named from their namespaces instead (<c>A_Job</c>, <c>B_Job</c>); a name that still
/// clashes with another or with a member of the context gets a numeric suffix, in the order of the types' full names.
/// </summary>
internal static class JsonTypeNaming
{
    private static readonly string[] ReservedNames =
    [
        "Default", "Options", "GeneratedSerializerOptions", "GetTypeInfo", "Equals", "GetHashCode", "ToString", "GetType",
        "MemberwiseClone", "Finalize", "ReferenceEquals", "s_defaultOptions", "TryGetTypeInfoForRuntimeCustomConverter",
        "GetRuntimeConverterForType", "ExpandConverter",
    ];

    public static EquatableArray<JsonTypeModel> Assign(IReadOnlyList<JsonTypeEntry> entries, string contextClassName)
    {
        JsonTypeEntry[] ordered = entries.OrderBy(e => e.TypeName, StringComparer.Ordinal).ToArray();
        string[] shortNames = ordered.Select(e => Escape(ShortName(e.Symbol))).ToArray();
        Dictionary<string, int> shortNameCounts = shortNames.GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        HashSet<string> used = new(ReservedNames, StringComparer.Ordinal) { contextClassName };
        List<JsonTypeModel> models = new(ordered.Length);
        for (int i = 0; i < ordered.Length; i++)
        {
            JsonTypeEntry entry = ordered[i];
            string candidate = shortNameCounts[shortNames[i]] > 1 ? Escape(QualifiedName(entry.Symbol)) : shortNames[i];
            string name = candidate;
            for (int suffix = 2; !IsFree(name, used); suffix++)
            {
                name = candidate + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            foreach (string member in MemberNames(name))
            {
                used.Add(member);
            }

            models.Add(new JsonTypeModel(
                entry.TypeName,
                name,
                entry.IsPublic ? "public" : "internal",
                entry.Kind,
                entry.Converter,
                entry.ElementTypeName,
                entry.KeyTypeName,
                entry.EnumNamingPolicy,
                entry.Object,
                entry.UnsupportedReason)
            {
                EnumMembers = entry.EnumMembers,
                IsFlagsEnum = entry.IsFlagsEnum,
                Polymorphism = entry.Polymorphism is { } polymorphism
                    ? new JsonPolymorphismModel(
                        polymorphism.DiscriminatorName,
                        polymorphism.DerivedTypes
                            .Select(d => new JsonDerivedTypeModel(d.Type.ToDisplayString(TypeFormats.FullyQualified), d.Discriminator, d.DiscriminatorIsNumber))
                            .ToEquatableArray())
                    : null,
            });
        }

        return models.ToEquatableArray();
    }

    /// <summary>The members the emitter declares for a type info property named <paramref name="propertyName"/>.</summary>
    public static IEnumerable<string> MemberNames(string propertyName) =>
    [
        propertyName,
        "_" + propertyName,
        "Create_" + propertyName,
        propertyName + "_PropInit",
        propertyName + "_CtorParamInit",
    ];

    private static bool IsFree(string name, HashSet<string> used) => MemberNames(name).All(m => !used.Contains(m));

    private static string ShortName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => ShortName(array.ElementType) + "Array",
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => "Nullable" + ShortName(nullable.TypeArguments[0]),
        INamedTypeSymbol named => named.Name + string.Concat(named.TypeArguments.Select(ShortName)),
        _ => type.Name,
    };

    private static string QualifiedName(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return QualifiedName(array.ElementType) + "Array";
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                return "Nullable_" + QualifiedName(nullable.TypeArguments[0]);
            case INamedTypeSymbol named:
                List<string> parts = new();
                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    parts.Insert(0, current.Name);
                }

                if (named.ContainingNamespace is { IsGlobalNamespace: false } ns)
                {
                    parts.InsertRange(0, ns.ToDisplayString().Split('.'));
                }

                parts.AddRange(named.TypeArguments.Select(QualifiedName));
                return string.Join("_", parts);
            default:
                return type.Name;
        }
    }

    /// <summary>Keeps identifier characters only, and never returns a C# keyword.</summary>
    private static string Escape(string name)
    {
        StringBuilder builder = new(name.Length);
        foreach (char c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }

        string result = builder.Length == 0 || char.IsDigit(builder[0]) ? "_" + builder : builder.ToString();
        return SyntaxFacts.GetKeywordKind(result) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? result + "Type" : result;
    }
}
