// STUB: replaced by the json branch's implementation at merge.
namespace Ana.Contracts.Generator.Json;

/// <summary>The naming policies of <c>System.Text.Json.Serialization.JsonKnownNamingPolicy</c>, as the generator knows them.</summary>
internal enum JsonNamingPolicyKind
{
    None,
    CamelCase,
    SnakeCaseLower,
    SnakeCaseUpper,
    KebabCaseLower,
    KebabCaseUpper,
}
