using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Ana.Contracts.Generator.Tests.Diagnostics;

/// <summary>
/// The generator's diagnostics are located in the compilation's own syntax trees (not by file path alone), so that the
/// compiler treats them as in source: <c>#pragma warning disable</c> applies, for today's errors and for any later warning.
/// </summary>
public sealed class DiagnosticLocationTests
{
    private const string NotPartial = """
        using System.Threading.Tasks;
        using Ana.Contracts;

        [AnaAgent("a")]
        public interface [|IFoo|]
        {
            Task PingAsync();
        }
        """;

    [Fact]
    public void A_diagnostic_is_located_in_the_compilation_s_syntax_tree()
    {
        Markup markup = Markup.Parse(NotPartial);
        GeneratorRun run = GeneratorHarness.Run(markup.Source);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.True(diagnostic.Location.IsInSource);
        Assert.Same(run.Input.SyntaxTrees.Single(tree => tree.FilePath == GeneratorHarness.ConsumerFile), diagnostic.Location.SourceTree);
        Assert.Equal(markup.Span, diagnostic.Location.SourceSpan);
        Assert.False(diagnostic.IsSuppressed);
    }

    [Fact]
    public void A_pragma_suppresses_a_diagnostic_of_the_generator()
    {
        string source = "#pragma warning disable ANA001\n" + Markup.Parse(NotPartial).Source + "\n#pragma warning restore ANA001\n";
        GeneratorRun run = GeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("ANA001", diagnostic.Id);
        Assert.True(diagnostic.IsSuppressed, "The generator's diagnostic is not suppressed by #pragma warning disable.");
    }

    [Fact]
    public async Task A_pragma_suppresses_a_warning_at_a_location_the_generator_reports()
    {
        // A warning-level copy of the descriptor, reported by an analyzer at the generator's location: the analyzer driver
        // accepts only locations in the compilation's trees, and the compiler applies the pragma there.
        string source = "#pragma warning disable ANA001\n" + Markup.Parse(NotPartial).Source + "\n#pragma warning restore ANA001\n";
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic reported = Assert.Single(run.Diagnostics);
        DiagnosticDescriptor warning = new(
            reported.Id, reported.Descriptor.Title, reported.Descriptor.MessageFormat, reported.Descriptor.Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        CompilationWithAnalyzers analyzed = ((CSharpCompilation)run.Input)
            .WithOptions(((CSharpCompilation)run.Input).Options.WithGeneralDiagnosticOption(ReportDiagnostic.Default))
            .WithAnalyzers(
                [new ReportAt(Diagnostic.Create(warning, reported.Location, "IFoo"))],
                new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true));
        Diagnostic[] diagnostics = [.. (await analyzed.GetAllDiagnosticsAsync()).Where(d => d.Id == reported.Id)];

        Diagnostic copy = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, copy.Severity);
        Assert.True(copy.IsSuppressed, "A warning at the generator's location is not suppressed by #pragma warning disable.");
    }

    /// <summary>Reports one given diagnostic when its syntax tree is analyzed.</summary>
#pragma warning disable RS1036 // A test double, never loaded by a compiler: the extended analyzer rules do not apply.
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ReportAt(Diagnostic diagnostic) : DiagnosticAnalyzer
    {
        public override System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [diagnostic.Descriptor];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxTreeAction(tree =>
            {
                if (tree.Tree == diagnostic.Location.SourceTree)
                {
                    tree.ReportDiagnostic(diagnostic);
                }
            });
        }
    }
#pragma warning restore RS1036
}
