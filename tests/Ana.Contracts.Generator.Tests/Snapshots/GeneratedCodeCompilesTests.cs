using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Ana.Contracts.Generator.Tests.Snapshots;

/// <summary>
/// The generated code of every test contract compiles with no error and no warning (nullable on, warnings as errors)
/// against Ana.dll, for net10.0 and for net8.0 (the .NET 8 reference assemblies and Ana.dll built for net8.0).
/// </summary>
public sealed class GeneratedCodeCompilesTests
{
    public static TheoryData<string, TestFramework> Contracts()
    {
        var data = new TheoryData<string, TestFramework>();
        foreach (string name in TestContracts.All.Keys)
        {
            data.Add(name, TestFramework.Net10);
            data.Add(name, TestFramework.Net8);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Compiles_without_warnings(string contract, TestFramework framework)
    {
        GeneratorRun run = GeneratorHarness.Run(TestContracts.All[contract], framework, TestContracts.UsesSystemTextJson(contract));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Input.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && !IsMissingGeneratedCode(d)));
        Assert.NotEmpty(run.Sources);
        Diagnostic[] problems = [.. run.CompilationProblems()];
        Assert.True(problems.Length == 0, Describe(run, problems));
    }

    // Before generation, the user's code may lack what the generators add (e.g. System.Text.Json's Default property).
    private static bool IsMissingGeneratedCode(Diagnostic diagnostic) => diagnostic.Id is "CS0117" or "CS0534" or "CS7036" or "CS8795" or "CS0103";

    private static string Describe(GeneratorRun run, Diagnostic[] problems)
        => string.Join(
            "\n",
            problems.Select(problem =>
            {
                string where = problem.Location.SourceTree is { } tree
                    ? tree.FilePath + ": " + tree.GetText().Lines[problem.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim()
                    : string.Empty;
                return problem + "\n    " + where;
            }));
}
