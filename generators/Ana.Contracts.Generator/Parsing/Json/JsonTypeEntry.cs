using Ana.Contracts.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>A type found by the walk, before its context property is named. Holds a symbol: never leaves the parser.</summary>
internal sealed class JsonTypeEntry(ITypeSymbol symbol, string typeName)
{
    public ITypeSymbol Symbol { get; } = symbol;

    public string TypeName { get; } = typeName;

    public JsonTypeKind Kind { get; set; }

    public string? Converter { get; set; }

    public string? ElementTypeName { get; set; }

    public string? KeyTypeName { get; set; }

    public bool EnumNamingPolicy { get; set; }

    public EquatableArray<string> EnumMembers { get; set; }

    public bool IsFlagsEnum { get; set; }

    public JsonObjectModel? Object { get; set; }

    public string? UnsupportedReason { get; set; }

    public bool IsPublic { get; set; }

    /// <summary>For a polymorphic base type: its discriminator and derived types.</summary>
    public JsonPolymorphism? Polymorphism { get; set; }
}
