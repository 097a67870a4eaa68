using Ana.Contracts.Generator.Compatibility;
using Ana.Contracts.Generator.Emit;
using Ana.Contracts.Generator.Model;
using Ana.Contracts.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ana.Contracts.Generator;

/// <summary>Turns <c>[AnaAgent]</c> partial interfaces into JSON contexts, typed clients and server dispatchers.</summary>
/// <remarks>
/// The pipeline: the <see cref="KnownSymbols"/> of the compilation are built once and handed to the parse of every
/// interface marked <c>[AnaAgent]</c>, which yields a value-equatable <see cref="ContractParseResult"/> (a model, or the
/// diagnostics that prevent one). Its model is emitted through one output, so that an edit elsewhere in the
/// compilation re-runs nothing downstream of an unchanged model; its diagnostics through another, which places each in
/// the current compilation's syntax tree of its file, so that they are in source (and <c>#pragma</c> applies).
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class ContractsGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<KnownSymbols> knownSymbols = context.CompilationProvider
            .Select(static (compilation, _) => new KnownSymbols(compilation))
            .WithTrackingName(TrackingNames.KnownSymbols);

        IncrementalValuesProvider<ContractParseResult> contracts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.AnaAgentAttribute,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (syntaxContext, _) => syntaxContext)
            .Combine(knownSymbols)
            .Select(static (pair, cancellationToken) => new ContractParser(pair.Right, cancellationToken).Parse(pair.Left))
            .WithTrackingName(TrackingNames.Contracts);

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = contracts
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(
            diagnostics.Combine(context.CompilationProvider),
            static (output, pair) => output.ReportDiagnostic(pair.Left.ToDiagnostic(pair.Right)));

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

        InitializeBaselines(context, contracts);
    }

    /// <summary>
    /// Compares each contract with its baseline file (<c>&lt;Namespace.IContract&gt;.ana.json</c> among the additional
    /// files) and reports what breaks deployed peers; with the build property <c>AnaUpdateContractBaselines</c> set, emits
    /// the new baseline for the build to write instead (see <see cref="BaselineEmitter"/>).
    /// </summary>
    private static void InitializeBaselines(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ContractParseResult> contracts)
    {
        IncrementalValueProvider<EquatableArray<BaselineFile>> files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".ana.json", StringComparison.OrdinalIgnoreCase))
            .Select(static (text, cancellationToken) => new BaselineFile(text.Path, text.GetText(cancellationToken)?.ToString()))
            .Collect()
            .Select(static (all, _) => all.ToEquatableArray());
        IncrementalValueProvider<BaselineSettings> settings = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => new BaselineSettings(
                IsTrue(options.GlobalOptions, "build_property.AnaUpdateContractBaselines"),
                IsTrue(options.GlobalOptions, "build_property.AnaRequireContractBaselines")));

        IncrementalValuesProvider<BaselineCheckResult> checks = contracts
            .Where(static result => result.Model is not null && result.Site is not null)
            .Combine(files)
            .Combine(settings)
            .Select(static (input, _) => BaselineCheck.Run(input.Left.Left.Model!, input.Left.Left.Site!, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.Baselines);

        context.RegisterSourceOutput(
            checks.Where(static check => check.Diagnostics.Count > 0).Combine(context.CompilationProvider),
            static (output, pair) =>
            {
                foreach (Diagnostic diagnostic in pair.Left.ToDiagnostics(pair.Right))
                {
                    output.ReportDiagnostic(diagnostic);
                }
            });
        context.RegisterSourceOutput(
            checks.Where(static check => check.Update is not null),
            static (output, check) => output.AddSource(check.Update!.HintName, BaselineEmitter.Emit(check.Update)));
    }

    private static bool IsTrue(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options, string key)
        => options.TryGetValue(key, out string? value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The names of the pipeline's steps, for the incrementality tests.</summary>
internal static class TrackingNames
{
    /// <summary>The compilation's known symbols: one per run, however many contracts.</summary>
    public const string KnownSymbols = "KnownSymbols";

    /// <summary>The parse of each contract: its model or its diagnostics.</summary>
    public const string Contracts = "Contracts";

    public const string Diagnostics = "Diagnostics";

    public const string Models = "Models";

    /// <summary>Each contract checked against its baseline file.</summary>
    public const string Baselines = "Baselines";
}
