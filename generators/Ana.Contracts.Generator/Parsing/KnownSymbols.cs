using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>The framework and runtime types the parser recognizes, looked up once per contract.</summary>
internal sealed class KnownSymbols
{
    public const string AnaAgentAttribute = "Ana.Contracts.AnaAgentAttribute";

    public KnownSymbols(Compilation compilation)
    {
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        JsonSerializerContext = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonSerializerContext");
        AnaTopicAttribute = compilation.GetTypeByMetadataName("Ana.Contracts.AnaTopicAttribute");
        AnaTimeoutAttribute = compilation.GetTypeByMetadataName("Ana.Contracts.AnaTimeoutAttribute");
        AnaOneWayAttribute = compilation.GetTypeByMetadataName("Ana.Contracts.AnaOneWayAttribute");
    }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? JsonSerializerContext { get; }

    public INamedTypeSymbol? AnaTopicAttribute { get; }

    public INamedTypeSymbol? AnaTimeoutAttribute { get; }

    public INamedTypeSymbol? AnaOneWayAttribute { get; }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => type is not null && known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }
}
