
namespace Ana.Contracts.Generator.Model;

/// <summary>
/// Everything the emitters need to write one contract's client, dispatcher, registration and JSON context: plain
/// strings and equatable collections, no symbols, so that the incremental pipeline can tell when nothing changed.
/// </summary>
/// <param name="Namespace">The contract's namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="ContainingTypes">The types the contract is nested in, outermost first.</param>
/// <param name="InterfaceName">The interface's name as declared, e.g. <c>IScheduler</c>.</param>
/// <param name="FullyQualifiedName">The interface as generated code writes it, e.g. <c>global::Demo.IScheduler</c>.</param>
/// <param name="DisplayName">The interface as messages name it: containing types and name, e.g. <c>Outer.IScheduler</c>.</param>
/// <param name="HintNamePrefix">The stem of the generated files' names, e.g. <c>Demo.IScheduler</c>.</param>
/// <param name="AgentName">The agent name of <c>[AnaAgent]</c>.</param>
/// <param name="Methods">The contract's methods, in declaration order.</param>
/// <param name="JsonContext">The JSON context to generate, or <see langword="null"/> when the user hands in their own.</param>
/// <param name="UserJsonContext">The user's own context type (fully qualified), or <see langword="null"/> when one is generated.</param>
/// <param name="Version">The <c>Version</c> of <c>[AnaAgent]</c>, or <see langword="null"/>.</param>
/// <param name="HiddenNestedTypes">The generated nested types (<see cref="NestedTypeNames"/>) that hide a base interface's member of the same name.</param>
/// <param name="WireShapes">
/// The JSON shapes of every type the contract exchanges, which its JSON Schemas describe: <paramref name="JsonContext"/>
/// when one is generated, else the same walk over the user's types.
/// </param>
internal sealed record ContractModel(
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string InterfaceName,
    string FullyQualifiedName,
    string DisplayName,
    string HintNamePrefix,
    string AgentName,
    EquatableArray<MethodModel> Methods,
    JsonContextModel? JsonContext,
    string? UserJsonContext,
    string? Version,
    EquatableArray<string> HiddenNestedTypes,
    JsonContextModel WireShapes)
{
    /// <summary>The modifier that a generated nested type named <paramref name="name"/> needs: <c>new </c> where it hides an inherited member.</summary>
    public string HidingModifier(string name) => HiddenNestedTypes.Contains(name) ? "new " : string.Empty;
}
