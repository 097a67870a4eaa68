using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Parsing.Json;

/// <summary>Why a type cannot be serialized. <see cref="Silent"/> failures (unresolved types) are reported by the compiler already.</summary>
internal sealed record JsonTypeFailure(string TypeDisplay, string Reason, bool Silent = false)
{
    public static JsonTypeFailure Of(ITypeSymbol type, string reason) => new(type.ToDisplayString(TypeFormats.ErrorMessage), reason);
}
