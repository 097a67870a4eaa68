namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>The attributes that shape a type's JSON, as <see cref="KnownSymbols.JsonAttribute"/> recognizes them.</summary>
internal enum JsonAttributeKind
{
    /// <summary>Any other attribute.</summary>
    None,
    Converter,
    Polymorphic,
    DerivedType,
    NumberHandling,
    ObjectCreationHandling,
    UnmappedMemberHandling,
    PropertyName,
    PropertyOrder,
    Required,
    Ignore,
    ExtensionData,
    Include,
    Constructor,

    /// <summary><c>System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute</c>, on a constructor.</summary>
    SetsRequiredMembers,

    /// <summary><c>JsonStringEnumMemberNameAttribute</c> (.NET 9 and later), on an enum member.</summary>
    StringEnumMemberName,

    /// <summary><c>System.FlagsAttribute</c>, on an enum.</summary>
    Flags,
}
