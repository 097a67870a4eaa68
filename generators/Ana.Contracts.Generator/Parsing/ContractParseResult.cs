using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>What the parser makes of one <c>[AnaAgent]</c> interface: a model to emit, or the reasons why not.</summary>
/// <param name="Model">The contract, or <see langword="null"/> when it has errors (then nothing is generated for it).</param>
/// <param name="Diagnostics">The contract's diagnostics, including those of its JSON context.</param>
internal sealed record ContractParseResult(ContractModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
