using Ana.Contracts.Generator.Model;

namespace Ana.Contracts.Generator.Parsing;

/// <summary>What the parser makes of one <c>[AnaAgent]</c> interface: a model to emit, or the reasons why not.</summary>
/// <param name="Model">The contract, or <see langword="null"/> when it has errors (then nothing is generated for it).</param>
/// <param name="Diagnostics">The contract's diagnostics, including those of its JSON context.</param>
/// <param name="Site">Where the contract is declared.</param>
internal sealed record ContractParseResult(ContractModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, ContractSite? Site = null);

/// <summary>
/// Where a contract is declared: its metadata name (compatibility diagnostics are placed at its declaration in the
/// compilation they are reported in) and the folder of its file (its baseline goes there). No location: an edit that moves
/// the contract within its file checks nothing again.
/// </summary>
internal sealed record ContractSite(string MetadataName, string Directory);
