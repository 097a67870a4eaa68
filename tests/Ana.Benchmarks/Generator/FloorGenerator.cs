using Microsoft.CodeAnalysis;

namespace Ana.Benchmarks.Generator;

/// <summary>
/// The least a generator keyed on <c>[AnaAgent]</c> can do: find the interfaces and emit nothing. What it costs after an
/// edit is Roslyn's own part of the contracts generator's cost (binding the attribute in the new compilation).
/// </summary>
internal sealed class FloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<string> names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Ana.Contracts.AnaAgentAttribute",
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.InterfaceDeclarationSyntax,
            static (syntaxContext, _) => syntaxContext.TargetSymbol.Name);
        context.RegisterSourceOutput(names, static (_, _) => { });
    }
}
