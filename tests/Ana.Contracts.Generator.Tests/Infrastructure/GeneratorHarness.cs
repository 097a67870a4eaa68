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
