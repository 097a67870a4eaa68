using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Infrastructure;

/// <summary>Compiles test sources, runs the contracts generator over them, and hands back what came out.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    public const string ConsumerFile = "/src/Contracts.cs";

    /// <summary>A compilation of <paramref name="sources"/> (the first at <see cref="ConsumerFile"/>) with nullable on and warnings as errors.</summary>
    public static CSharpCompilation Compilation(TestFramework framework, params string[] sources)
        => CSharpCompilation.Create(
            "Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, i == 0 ? ConsumerFile : $"/src/Other{i}.cs")),
            References.For(framework),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    // Assembly unification notes, not problems of the code (the compiler's command line suppresses them too).
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,

                    // The test sources document nothing; generated code is still checked for malformed XML comments.
                    ["CS1591"] = ReportDiagnostic.Suppress,
                }));

    /// <summary>
    /// Runs the generator over <paramref name="source"/> with additional files (path and text) and build properties
    /// (<c>AnaUpdateContractBaselines</c> and the like, as <c>&lt;CompilerVisibleProperty&gt;</c> hands them on).
    /// </summary>
    public static GeneratorRun Run(string source, IEnumerable<(string Path, string Text)> additionalFiles, params (string Name, string Value)[] properties)
    {
        CSharpCompilation compilation = Compilation(TestFramework.Net10, source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ContractsGenerator().AsSourceGenerator()],
            additionalFiles.Select(file => (AdditionalText)new InMemoryAdditionalText(file.Path, file.Text)),
            ParseOptions,
            new BuildProperties(properties.ToDictionary(p => "build_property." + p.Name, p => p.Value)));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(driver.GetRunResult(), compilation, output, diagnostics);
    }

    /// <summary>Runs the generator (and, when asked, System.Text.Json's) over <paramref name="source"/>.</summary>
    public static GeneratorRun Run(string source, TestFramework framework = TestFramework.Net10, bool withSystemTextJson = false)
    {
        CSharpCompilation compilation = Compilation(framework, source);
        List<ISourceGenerator> generators = new() { new ContractsGenerator().AsSourceGenerator() };
        if (withSystemTextJson)
        {
            generators.Add(References.SystemTextJsonGenerator(framework));
        }

        GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(driver.GetRunResult(), compilation, output, diagnostics);
    }
}

/// <summary>One run of the generator: its output sources and diagnostics, and the compilation with the sources added.</summary>
internal sealed record GeneratorRun(
    GeneratorDriverRunResult Result,
    Compilation Input,
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    /// <summary>The contracts generator's sources, by hint name.</summary>
    public IReadOnlyList<GeneratedSourceResult> Sources
        => Result.Results.Single(result => result.Generator.GetGeneratorType() == typeof(ContractsGenerator)).GeneratedSources;

    /// <summary>The contracts generator's diagnostics.</summary>
    public ImmutableArray<Diagnostic> Diagnostics
        => Result.Results.Single(result => result.Generator.GetGeneratorType() == typeof(ContractsGenerator)).Diagnostics;

    /// <summary>The source of <paramref name="hintName"/>.</summary>
    public string Source(string hintName) => Sources.Single(source => source.HintName == hintName).SourceText.ToString();

    /// <summary>Errors and warnings of the output compilation (the user's code plus everything generated).</summary>
    public ImmutableArray<Diagnostic> CompilationProblems()
        => Output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning || diagnostic.IsWarningAsError).ToImmutableArray();
}

/// <summary>An additional file (an <c>AdditionalFiles</c> item) held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default)
        => Microsoft.CodeAnalysis.Text.SourceText.From(text);
}

/// <summary>The build properties a generator sees (<c>build_property.*</c>), and no per-file options.</summary>
internal sealed class BuildProperties(IReadOnlyDictionary<string, string> values) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
{
    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(new Dictionary<string, string>());

    private sealed class Options(IReadOnlyDictionary<string, string> values) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
