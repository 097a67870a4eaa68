using System.Collections.Immutable;
using Ana.Contracts.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ana.Contracts.Generator.Tests.Snapshots;

/// <summary>
/// A contract that extends a contract of another assembly: its generated nested types hide the base's only where the
/// base's (internal) ones are visible, so that the code compiles without CS0108 and without CS0109.
/// </summary>
public sealed class InheritanceAcrossAssembliesTests
{
    private const string Base = """
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace Shared;

        [AnaAgent("assistant")]
        public partial interface IAssistant
        {
            Task<string> AskAsync(string question);
        }
        """;

    private const string Derived = """
        using System.Threading.Tasks;
        using Ana.Contracts;

        namespace App;

        [AnaAgent("planner")]
        public partial interface IPlanner : Shared.IAssistant
        {
            Task<int> PlanAsync(string goal);
        }
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_derived_contract_compiles_whether_or_not_it_sees_the_bases_generated_types(bool internalsVisible)
    {
        MetadataReference baseAssembly = CompileBase(internalsVisible);
        CSharpCompilation consumer = GeneratorHarness.Compilation(TestFramework.Net10, Derived).AddReferences(baseAssembly);

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ContractsGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(consumer, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning || d.IsWarningAsError));
        string client = output.SyntaxTrees.Single(tree => tree.FilePath.EndsWith("App.IPlanner.Client.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Equal(internalsVisible, client.Contains("internal new sealed class Client", StringComparison.Ordinal));
    }

    private static MetadataReference CompileBase(bool internalsVisible)
    {
        string[] sources = internalsVisible ? [Base, "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Consumer\")]"] : [Base];
        CSharpCompilation compilation = GeneratorHarness.Compilation(TestFramework.Net10, sources).WithAssemblyName("Shared");
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ContractsGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        using MemoryStream image = new();
        Microsoft.CodeAnalysis.Emit.EmitResult result = output.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
