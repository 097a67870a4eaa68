namespace Ana.Contracts.Generator.Model;

/// <summary>
/// How the emitted context names JSON properties that carry no <c>[JsonPropertyName]</c>, and how it writes enum
/// members (enums are strings, named by the same policy, as <c>JsonStringEnumConverter&lt;T&gt;(policy)</c> does).
/// </summary>
internal enum JsonNamingPolicyKind
{
    /// <summary>Names as declared in C#.</summary>
    None,

    /// <summary><c>JsonNamingPolicy.CamelCase</c>.</summary>
    CamelCase,

    /// <summary><c>JsonNamingPolicy.SnakeCaseLower</c>.</summary>
    SnakeCaseLower,

    /// <summary><c>JsonNamingPolicy.SnakeCaseUpper</c>.</summary>
    SnakeCaseUpper,

    /// <summary><c>JsonNamingPolicy.KebabCaseLower</c>.</summary>
    KebabCaseLower,

    /// <summary><c>JsonNamingPolicy.KebabCaseUpper</c>.</summary>
    KebabCaseUpper,
}
