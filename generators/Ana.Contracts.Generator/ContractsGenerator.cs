using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator;

/// <summary>Turns <c>[AnaAgent]</c> partial interfaces into JSON contexts, typed clients and server dispatchers.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class ContractsGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
