namespace Ana.Contracts.Generator.Model;

/// <summary>A type that crosses the wire, and the expression of its JSON metadata.</summary>
/// <param name="Name">The type as generated code writes it, with nullable annotations: <c>global::System.Collections.Generic.List&lt;string?&gt;</c>.</param>
/// <param name="TypeInfo">An expression of type <c>JsonTypeInfo&lt;T&gt;</c> for it, e.g. <c>global::Demo.SchedulerJsonContext.Default.Job</c>.</param>
/// <param name="TypeInfoMatchesAnnotations">
/// Whether <see cref="TypeInfo"/>'s <c>T</c> is exactly <see cref="Name"/>. JSON metadata is keyed by the type without
/// nullable reference annotations; where <see cref="Name"/> has some, generated code names the type argument and
/// writes <c>TypeInfo!</c> so that the nullable analysis does not warn.
/// </param>
/// <param name="JsonTypeName">The type without nullable reference annotations: the key of its <see cref="JsonTypeModel"/>.</param>
internal sealed record TypeRefModel(string Name, string TypeInfo, bool TypeInfoMatchesAnnotations, string JsonTypeName);
