using System.Collections;
using System.Reflection;
using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Incrementality;

/// <summary>
/// The pipeline caches: an edit that does not change a contract re-runs nothing downstream of its model, because the
/// model is made of values (no symbols, no compilation, no syntax) and compares equal from one run to the next.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps = [TrackingNames.Contracts, TrackingNames.Diagnostics, TrackingNames.Models];

    private const string Broken = """
        using System.Threading.Tasks;
        using Ana.Contracts;

        [AnaAgent("a.b")]
        public interface IBroken
        {
            int Count();

            Task<T> EchoAsync<T>(T value);
        }
        """;

    public static TheoryData<string> Contracts() => [.. TestContracts.All.Keys];

    [Theory]
    [MemberData(nameof(Contracts))]
    public void An_unrelated_new_file_leaves_every_step_cached_or_unchanged(string contract)
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(contract);

        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Elsewhere; public static class Unrelated { public const int Answer = 42; }", GeneratorHarness.ParseOptions, "/src/Unrelated.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single(IsContractsGenerator);

        AssertAllCachedOrUnchanged(second);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void An_edit_of_the_contracts_file_that_keeps_the_contract_leaves_the_model_unchanged(string contract)
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(contract);
        SyntaxTree tree = compilation.SyntaxTrees.First();
        SyntaxTree edited = tree.WithChangedText(tree.GetText().Replace(0, 0, "// An edit that moves everything down a line.\n"));

        GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited)).GetRunResult().Results.Single(IsContractsGenerator);

        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void An_unrelated_new_file_leaves_a_broken_contract_s_steps_cached_and_reports_its_diagnostics_in_the_new_compilation()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRunOf(Broken);

        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Elsewhere; public static class Unrelated { }", GeneratorHarness.ParseOptions, "/src/Unrelated.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single(IsContractsGenerator);

        // Only the reporting runs again: it places the unchanged diagnostics in the new compilation's syntax tree.
        Assert.True(second.TrackedSteps.ContainsKey(TrackingNames.Diagnostics), "The diagnostics step did not run.");
        AssertStepsCachedOrUnchanged(second);
        Assert.NotEmpty(second.Diagnostics);
        Assert.All(second.Diagnostics, diagnostic => Assert.Same(edited.SyntaxTrees.First(), diagnostic.Location.SourceTree));
    }

    [Fact]
    public void The_known_symbols_are_built_once_per_compilation_for_every_contract()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(TestFramework.Net10, TestContracts.Scheduler, TestContracts.ValueTasks);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ContractsGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        GeneratorRunResult run = driver.RunGenerators(compilation).GetRunResult().Results.Single(IsContractsGenerator);

        Assert.Equal(2, run.TrackedSteps[TrackingNames.Contracts].SelectMany(step => step.Outputs).Count());
        IncrementalGeneratorRunStep knownSymbols = Assert.Single(run.TrackedSteps[TrackingNames.KnownSymbols]);
        Assert.Single(knownSymbols.Outputs);
    }

    [Fact]
    public void Changing_a_contract_changes_its_model()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(nameof(TestContracts.Scheduler));
        SyntaxTree tree = compilation.SyntaxTrees.First();
        string source = tree.GetText().ToString().Replace("Task PingAsync();", "Task PingAsync();\n    Task PongAsync();", StringComparison.Ordinal);

        GeneratorRunResult second = driver
            .RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(source))))
            .GetRunResult().Results.Single(IsContractsGenerator);

        Assert.Contains(second.TrackedSteps[TrackingNames.Models].SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(second.GeneratedSources, source => source.SourceText.ToString().Contains("PongAsync", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Models_hold_no_symbols_compilations_or_syntax(string contract)
    {
        (GeneratorDriver driver, _) = FirstRun(contract);
        GeneratorRunResult run = driver.GetRunResult().Results.Single(IsContractsGenerator);
        object[] results = [.. run.TrackedSteps[TrackingNames.Contracts].SelectMany(step => step.Outputs).Select(output => output.Value)];

        Assert.NotEmpty(results);
        foreach (object result in results)
        {
            AssertHoldsNoRoslynObjects(result);
        }
    }

    [Fact]
    public void Models_with_diagnostics_hold_no_symbols_compilations_or_syntax()
    {
        (GeneratorDriver driver, _) = FirstRunOf(Broken);
        GeneratorRunResult run = driver.GetRunResult().Results.Single(IsContractsGenerator);

        Assert.NotEmpty(run.Diagnostics);
        foreach (object result in run.TrackedSteps[TrackingNames.Contracts].SelectMany(step => step.Outputs).Select(output => output.Value))
        {
            AssertHoldsNoRoslynObjects(result);
        }
    }

    [Fact]
    public void The_model_walk_finds_a_symbol_hidden_in_an_array()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(TestFramework.Net10, "class C { }");
        Tuple<object[]> holder = new([new List<object> { compilation.GetTypeByMetadataName("C")! }]);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertHoldsNoRoslynObjects(holder));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(string contract)
        => FirstRunOf(TestContracts.All[contract]);

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRunOf(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(TestFramework.Net10, source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ContractsGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single(IsContractsGenerator);
        Assert.True(first.TrackedSteps.ContainsKey(TrackingNames.Contracts), "The contracts step is not tracked.");
        Assert.True(
            first.TrackedSteps.ContainsKey(first.Diagnostics.IsEmpty ? TrackingNames.Models : TrackingNames.Diagnostics),
            "The models or diagnostics step is not tracked.");

        return (driver, compilation);
    }

    private static bool IsContractsGenerator(GeneratorRunResult result) => result.Generator.GetGeneratorType() == typeof(ContractsGenerator);

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult run)
    {
        AssertStepsCachedOrUnchanged(run);
        foreach ((string name, IncrementalGeneratorRunStep[] steps) in run.TrackedOutputSteps.Select(pair => (pair.Key, pair.Value.ToArray())))
        {
            Assert.All(steps.SelectMany(step => step.Outputs), output =>
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Output step '{name}' was {output.Reason}."));
        }
    }

    private static void AssertStepsCachedOrUnchanged(GeneratorRunResult run)
    {
        // A step with nothing to produce (no diagnostics) is not listed at all.
        Assert.True(run.TrackedSteps.ContainsKey(TrackingNames.Contracts), "The contracts step did not run.");
        foreach (string step in TrackedSteps.Where(run.TrackedSteps.ContainsKey))
        {
            foreach (IncrementalGeneratorRunStep runStep in run.TrackedSteps[step])
            {
                foreach ((object value, IncrementalStepRunReason reason) in runStep.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step '{step}' output {value} was {reason}.");
                }
            }
        }
    }

    /// <summary>Walks every field reachable from <paramref name="root"/> and fails on a Roslyn object that would keep a compilation alive or defeat equality.</summary>
    private static void AssertHoldsNoRoslynObjects(object root)
    {
        HashSet<object> visited = new(ReferenceEqualityComparer.Instance);
        Stack<(object Value, string Path)> pending = new();
        pending.Push((root, root.GetType().Name));
        while (pending.Count > 0)
        {
            (object value, string path) = pending.Pop();
            Type type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is string || (!type.IsValueType && !visited.Add(value)))
            {
                continue;
            }

            Assert.False(
                value is ISymbol or Compilation or SemanticModel or SyntaxNode or SyntaxTree or Location || type == typeof(SyntaxToken),
                $"{path} holds a {type.FullName}.");

            if (value is Array array)
            {
                int i = 0;
                foreach (object? item in array)
                {
                    if (item is not null)
                    {
                        pending.Push((item, $"{path}[{i}]"));
                    }

                    i++;
                }

                continue;
            }

            for (Type? current = type; current is not null && current != typeof(object); current = current.BaseType)
            {
                foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.GetValue(value) is { } child)
                    {
                        pending.Push((child, path + "." + field.Name));
                    }
                }
            }
        }
    }
}
