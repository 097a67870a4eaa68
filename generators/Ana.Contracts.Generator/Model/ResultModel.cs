namespace Ana.Contracts.Generator.Model;

/// <summary>The value a query method's reply carries: the <c>T</c> of <c>Task&lt;T&gt;</c> / <c>ValueTask&lt;T&gt;</c>.</summary>
/// <param name="Type">The type and the JSON metadata for it.</param>
/// <param name="AllowsNull">Whether <c>null</c> is a valid result (a nullable type, or nullable-oblivious).</param>
/// <param name="IsReferenceType">Whether the dispatcher must check a non-nullable result for <c>null</c>.</param>
internal sealed record ResultModel(TypeRefModel Type, bool AllowsNull, bool IsReferenceType);
