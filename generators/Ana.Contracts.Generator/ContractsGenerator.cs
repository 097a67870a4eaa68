using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ana.Contracts.Generator;

/// <summary>Turns <c>[AnaAgent]</c> partial interfaces into JSON contexts, typed clients and server dispatchers.</summary>
/// <remarks>
/// The pipeline: every interface marked <c>[AnaAgent]</c> is parsed into a value-equatable
/// <see cref="ContractParseResult"/> (a model, or the diagnostics that prevent one); its diagnostics are reported
/// through one output and its model emitted through another, so that an edit elsewhere in the compilation re-runs
/// nothing downstream of an unchanged model.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class ContractsGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ContractParseResult> contracts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.AnaAgentAttribute,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (syntaxContext, cancellationToken) => ContractParser.Parse(syntaxContext, cancellationToken))
            .WithTrackingName(TrackingNames.Contracts);

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = contracts
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, diagnostic) => output.ReportDiagnostic(diagnostic.ToDiagnostic()));

        IncrementalValuesProvider<ContractModel> models = contracts
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(TrackingNames.Models);
        context.RegisterSourceOutput(models, static (output, model) =>
        {
            foreach ((string hintName, string source) in ContractEmitter.Emit(model))
            {
                output.AddSource(hintName, source);
            }
        });
    }
}

/// <summary>The names of the pipeline's steps, for the incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Contracts = "Contracts";
    public const string Diagnostics = "Diagnostics";
    public const string Models = "Models";
}
