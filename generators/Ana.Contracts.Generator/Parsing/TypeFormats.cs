using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>How the parsers print types: for generated code, for messages, and for JSON member paths.</summary>
internal static class TypeFormats
{
    /// <summary><c>global::System.Collections.Generic.List&lt;string&gt;</c>: the key of a type's JSON metadata.</summary>
    public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

    /// <summary><c>global::System.Collections.Generic.List&lt;string?&gt;?</c>: a type as generated code declares it.</summary>
    public static readonly SymbolDisplayFormat FullyQualifiedAnnotated =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary><c>Outer.IScheduler</c>, <c>List&lt;string?&gt;</c>: a contract, member or type as the contract diagnostics name it.</summary>
    public static readonly SymbolDisplayFormat Short = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary><c>IFoo.SendAsync(string topic, int times)</c>: a method as ANA004 names it, so that overloads differ.</summary>
    public static readonly SymbolDisplayFormat Signature = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeParameters,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary><c>List&lt;Job&gt;</c>: the root of a JSON member path in ANA007.</summary>
    public static readonly SymbolDisplayFormat PathRoot = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>A type as the compiler's messages name it, without nullable annotations: the type ANA007 reports.</summary>
    public static readonly SymbolDisplayFormat ErrorMessage = SymbolDisplayFormat.CSharpErrorMessageFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);
}
