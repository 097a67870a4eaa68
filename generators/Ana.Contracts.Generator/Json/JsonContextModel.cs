// STUB: replaced by the json branch's implementation at merge.
namespace Ana.Contracts.Generator.Json;

/// <summary>STUB of the JSON context model: the root types only.</summary>
internal sealed record JsonContextModel(
    string? Namespace,
    string ClassName,
    string Accessibility,
    JsonNamingPolicyKind NamingPolicy,
    EquatableArray<string> Types,
    EquatableArray<DiagnosticInfo> Diagnostics);
